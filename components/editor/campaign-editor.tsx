"use client";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import { resumeCampaignAction } from "@/app/(app)/campaigns/actions";
import { FIT_VIEW_OPTIONS, FlowCanvas } from "@/components/canvas/flow-canvas";
import { ForecastPanel } from "@/components/forecast/forecast-panel";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { EditorData, PublishResult } from "@/views/drafts";
import { Checklist } from "./checklist";
import { Inspector } from "./inspector";
import type { SaveStatus } from "./model/autosave";
import { layoutWithRoutes } from "./model/layout";
import { createEditorStore, documentOfState, type EditorStore } from "./model/store";
import { Palette } from "./palette";
import { PublishButton } from "./publish-button";
import { EditorStoreContext, useEditor } from "./store-context";
import { useAutosave } from "./use-autosave";
import { useShortcuts } from "./use-shortcuts";

const SAVE_LABELS: Readonly<Record<SaveStatus, string>> = {
  saved: "All changes saved",
  saving: "Saving…",
  unsaved: "Unsaved changes",
  conflict: "Not saved: changed elsewhere",
  error: "Saving failed, retrying",
};

/** The campaign editor: palette, canvas, inspector and checklist around one draft. */
export function CampaignEditor({
  data,
  launchAfterPublish = false,
}: {
  data: EditorData;
  /** Came from "Publish and launch": publishing launches the campaign too. */
  launchAfterPublish?: boolean;
}) {
  const [store] = useState(() => createEditorStore(data.graph, { readOnly: !data.canEdit }));
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorLayout data={data} store={store} launchAfterPublish={launchAfterPublish} />
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

function EditorLayout({
  data,
  store,
  launchAfterPublish,
}: {
  data: EditorData;
  store: EditorStore;
  launchAfterPublish: boolean;
}) {
  const campaignId = data.campaign.id;
  const router = useRouter();
  const [paletteOpen, setPaletteOpen] = useRememberedFlag("outflow.editor.palette", true);
  const [inspectorOpen, setInspectorOpen] = useRememberedFlag("outflow.editor.inspector", true);
  const [forecastOpen, setForecastOpen] = useRememberedFlag("outflow.editor.forecast", false);
  const launching = launchAfterPublish && data.campaign.status === "draft";
  const [checklistOpen, setChecklistOpen] = useState(false);
  const [launchError, setLaunchError] = useState<string | null>(null);
  const autosave = useAutosave(store, {
    campaignId,
    baseHash: data.draftHash,
    unpublishedChanges: data.unpublishedChanges,
    enabled: data.canEdit,
  });
  useShortcuts(store);
  const [live, setLive] = useState(data.live);
  const [publishedAt, setPublishedAt] = useState<number | null>(null);
  const [published, setPublished] = useState<PublishResult | null>(null);
  const focusRequest = useRef<string | null>(null);
  const errorCount = useEditor((state) => state.validation.result.errors.length);
  const warningCount = useEditor(
    (state) => state.validation.checklist.filter((item) => item.severity !== "error").length,
  );
  // "Publish and launch" with something to fix: show what, at once.
  const showedBlockers = useRef(false);
  useEffect(() => {
    if (launching && errorCount > 0 && !showedBlockers.current) {
      showedBlockers.current = true;
      setChecklistOpen(true);
    }
  }, [launching, errorCount]);
  const notice = useEditor((state) => state.notice);
  const canUndo = useStore(store.temporal, (state) => state.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (state) => state.futureStates.length > 0);
  const { fitView } = useReactFlow();
  const [layingOut, setLayingOut] = useState(false);

  const { status, savedAt } = autosave.state;
  const unpublished =
    status !== "saved"
      ? true
      : publishedAt !== null && (savedAt ?? 0) <= publishedAt
        ? false
        : autosave.state.unpublishedChanges;

  const disabledReason = !data.canEdit
    ? "Only owners and admins can publish."
    : status === "conflict"
      ? "Reload first: the draft was changed elsewhere."
      : errorCount > 0
        ? `Fix the ${errorCount === 1 ? "error" : `${errorCount} errors`} in the checklist first.`
        : !unpublished && live !== null
          ? `Nothing to publish: v${live.version} is the draft as it is.`
          : null;

  async function tidyUp() {
    setLayingOut(true);
    try {
      const state = store.getState();
      const { positions, routes } = await layoutWithRoutes(documentOfState(state), (id) =>
        state.sizes.get(id),
      );
      store.getState().moveNodes(positions);
      store.getState().setRoutes(routes);
      requestAnimationFrame(() => void fitView({ ...FIT_VIEW_OPTIONS, duration: 300 }));
    } finally {
      setLayingOut(false);
    }
  }

  function onAdded(nodeId: string, byKeyboard: boolean) {
    // Keyboard users go straight to the new step's settings.
    if (byKeyboard) focusRequest.current = nodeId;
  }

  return (
    <div className="fixed inset-y-0 right-0 left-12 z-10 flex flex-col bg-slate-50">
      <header className="relative flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-2.5">
        <div className="min-w-0 flex-1">
          <Link
            href={`/campaigns/${campaignId}`}
            className="text-xs text-slate-600 hover:text-slate-900"
          >
            ← Back to the campaign
          </Link>
          <h1 className="truncate text-lg font-semibold text-slate-900">{data.campaign.name}</h1>
        </div>
        <p className="flex items-center gap-2 text-sm">
          <span
            className={cn(
              "rounded-full px-2 py-0.5 font-medium",
              live ? "bg-emerald-50 text-emerald-800" : "bg-slate-100 text-slate-700",
            )}
          >
            {live ? `Live: v${live.version}` : "Not published yet"}
          </span>
          {unpublished ? (
            <span className="rounded-full bg-amber-50 px-2 py-0.5 font-medium text-amber-900">
              Unpublished changes
            </span>
          ) : null}
        </p>
        <p
          role="status"
          data-save-status={status}
          className={cn(
            "min-w-40 text-sm",
            status === "conflict" || status === "error" ? "text-red-700" : "text-slate-600",
          )}
        >
          {data.canEdit ? SAVE_LABELS[status] : "Read only"}
        </p>
        <div className="flex items-center gap-1.5">
          <Button
            variant="secondary"
            className="px-2.5 py-1.5"
            onClick={() => store.getState().undo()}
            disabled={!canUndo || !data.canEdit}
            aria-keyshortcuts="Control+Z Meta+Z"
          >
            Undo
          </Button>
          <Button
            variant="secondary"
            className="px-2.5 py-1.5"
            onClick={() => store.getState().redo()}
            disabled={!canRedo || !data.canEdit}
            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
          >
            Redo
          </Button>
          <Button
            variant="secondary"
            className="px-2.5 py-1.5"
            onClick={tidyUp}
            disabled={layingOut || !data.canEdit}
          >
            {layingOut ? "Arranging…" : "Auto-layout"}
          </Button>
        </div>
        <div className="flex items-start gap-2">
          <Button
            variant="secondary"
            className="px-2.5 py-1.5"
            aria-expanded={forecastOpen}
            aria-controls="editor-forecast"
            title={forecastOpen ? "Hide the forecast" : "When the draft would finish, and its cost"}
            onClick={() => setForecastOpen(!forecastOpen)}
          >
            Forecast
          </Button>
          <Button
            variant={errorCount > 0 ? "danger" : "secondary"}
            className="px-2.5 py-1.5"
            aria-expanded={checklistOpen}
            aria-controls="editor-checklist"
            onClick={() => setChecklistOpen((open) => !open)}
          >
            {errorCount > 0
              ? plural(errorCount, "error")
              : warningCount > 0
                ? plural(warningCount, "warning")
                : "Checklist"}
          </Button>
          <PublishButton
            campaignId={campaignId}
            label={launching ? "Publish and launch" : "Publish"}
            disabledReason={disabledReason}
            flush={autosave.flush}
            onPublished={async (result) => {
              setLive({
                id: result.versionId,
                version: result.version,
                publishedAt: new Date().toISOString(),
              });
              setPublishedAt(Date.now());
              setPublished(result);
              if (launching) {
                const launched = await resumeCampaignAction({ campaignId });
                if (launched.ok) router.push(`/campaigns/${campaignId}`);
                else setLaunchError(launched.error.message);
              }
            }}
          />
        </div>
        {checklistOpen ? (
          <div
            id="editor-checklist"
            className="absolute top-full right-4 z-30 mt-2 flex max-h-[calc(100vh-6rem)] w-96 max-w-[calc(100vw-5rem)] flex-col rounded-lg bg-white p-3 shadow-xl ring-1 ring-slate-200"
          >
            <div className="flex min-h-0 flex-1 flex-col">
              <Checklist />
            </div>
            <Button
              variant="ghost"
              className="mt-2 self-end px-2 py-1 text-xs"
              onClick={() => setChecklistOpen(false)}
            >
              Close
            </Button>
          </div>
        ) : null}
      </header>
      {launchError ? (
        <Alert tone="error" className="m-3">
          Published, but not launched: {launchError}
        </Alert>
      ) : null}

      {status === "conflict" ? (
        <Alert tone="error" className="m-3 flex flex-wrap items-center justify-between gap-3">
          <span>{autosave.state.message ?? "This draft was changed elsewhere."}</span>
          <Button variant="secondary" onClick={() => window.location.reload()}>
            Reload the latest version
          </Button>
        </Alert>
      ) : null}
      {data.problem ? (
        <Alert tone="warning" className="m-3">
          {data.problem}
        </Alert>
      ) : null}
      {data.migratedFrom !== null ? (
        <Alert tone="info" className="m-3">
          This campaign was saved by an older version of the editor (format {data.migratedFrom}) and
          has been upgraded; it is saved in the new format with your next change.
        </Alert>
      ) : null}
      {published ? (
        <Alert tone="success" className="m-3">
          Version {published.version} is live.
          {published.leads.moved + published.leads.stayed + published.leads.ended > 0
            ? ` ${published.leads.stayed} leads stayed where they were, ${published.leads.moved} moved, ${published.leads.ended} ended.`
            : ""}{" "}
          {data.campaign.status === "draft" && !launching ? (
            <Link href={`/campaigns/${campaignId}`} className="font-medium underline">
              Launch it from the campaign page.
            </Link>
          ) : null}
        </Alert>
      ) : null}

      <div className="flex min-h-0 flex-1">
        <aside
          aria-label="Steps palette"
          data-testid="palette-panel"
          className={cn(
            "flex shrink-0 flex-col gap-2 overflow-y-auto border-r border-slate-200 bg-white",
            paletteOpen ? "w-56 p-3" : "w-12 items-center px-1 py-2",
          )}
        >
          <PanelToggle
            open={paletteOpen}
            onToggle={() => setPaletteOpen(!paletteOpen)}
            openLabel="Show step names"
            closeLabel="Collapse the palette"
            side="left"
          />
          <Palette onAdded={onAdded} compact={!paletteOpen} />
        </aside>
        <div className="relative min-w-0 flex-1" data-testid="canvas">
          <FlowCanvas />
        </div>
        <aside
          aria-label="Step settings"
          data-testid="inspector-panel"
          className={cn(
            "shrink-0 overflow-y-auto border-l border-slate-200 bg-white",
            inspectorOpen ? "w-[17rem] p-3" : "flex w-10 flex-col items-center py-2",
          )}
        >
          <PanelToggle
            open={inspectorOpen}
            onToggle={() => setInspectorOpen(!inspectorOpen)}
            openLabel="Show the step settings"
            closeLabel="Collapse the step settings"
            side="right"
          />
          {inspectorOpen ? (
            <Inspector
              focusRequest={focusRequest}
              samples={data.sampleLeads}
              customFields={data.customFields}
            />
          ) : null}
        </aside>
      </div>
      {forecastOpen ? (
        <div
          id="editor-forecast"
          className="max-h-[45vh] shrink-0 overflow-y-auto border-t border-slate-200 bg-slate-50 p-3"
        >
          <ForecastPanel campaignId={campaignId} draft />
        </div>
      ) : null}
      <div role="status" aria-live="polite" className="sr-only">
        {notice?.text}
      </div>
      <Toast notice={notice} />
    </div>
  );
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** A panel's open/closed state, remembered in this browser. */
function useRememberedFlag(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    // Read after mounting: the server knows nothing of this browser's choice.
    const stored = window.localStorage.getItem(key);
    if (stored === "0" || stored === "1") setValue(stored === "1");
  }, [key]);
  const set = (next: boolean) => {
    setValue(next);
    try {
      window.localStorage.setItem(key, next ? "1" : "0");
    } catch {
      // Storage full or refused: the choice simply lasts for this page.
    }
  };
  return [value, set];
}

function PanelToggle({
  open,
  onToggle,
  openLabel,
  closeLabel,
  side,
}: {
  open: boolean;
  onToggle: () => void;
  openLabel: string;
  closeLabel: string;
  side: "left" | "right";
}) {
  // The arrow points where the panel goes: inwards to collapse, outwards to open.
  const arrow = (side === "left") === open ? "«" : "»";
  return (
    <button
      type="button"
      onClick={onToggle}
      aria-expanded={open}
      title={open ? closeLabel : openLabel}
      className={cn(
        "rounded-md px-1.5 text-base leading-6 text-slate-600 ring-1 ring-inset ring-slate-200 hover:bg-slate-100",
        open && (side === "left" ? "self-end" : "float-right ml-2"),
      )}
    >
      <span aria-hidden="true">{arrow}</span>
      <span className="sr-only">{open ? closeLabel : openLabel}</span>
    </button>
  );
}

/** The last notice, shown briefly at the bottom of the canvas. */
function Toast({ notice }: { notice: { text: string; id: number } | null }) {
  const [visible, setVisible] = useState<number | null>(null);
  useEffect(() => {
    if (!notice) return;
    setVisible(notice.id);
    const timer = setTimeout(() => setVisible(null), 3000);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice || visible !== notice.id) return null;
  return (
    <div
      aria-hidden="true"
      className="pointer-events-none fixed bottom-6 left-1/2 z-30 -translate-x-1/2 rounded-md bg-slate-900 px-3 py-2 text-sm text-white shadow-lg"
    >
      {notice.text}
    </div>
  );
}
