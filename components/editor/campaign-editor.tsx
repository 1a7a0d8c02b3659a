"use client";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import { FlowCanvas } from "@/components/canvas/flow-canvas";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { EditorData, PublishResult } from "@/server/drafts";
import { Checklist } from "./checklist";
import { Inspector } from "./inspector";
import type { SaveStatus } from "./model/autosave";
import { layoutDocument } from "./model/layout";
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
export function CampaignEditor({ data }: { data: EditorData }) {
  const [store] = useState(() => createEditorStore(data.graph, { readOnly: !data.canEdit }));
  return (
    <EditorStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorLayout data={data} store={store} />
      </ReactFlowProvider>
    </EditorStoreContext.Provider>
  );
}

function EditorLayout({ data, store }: { data: EditorData; store: EditorStore }) {
  const campaignId = data.campaign.id;
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
      const positions = await layoutDocument(documentOfState(state), (id) => state.sizes.get(id));
      store.getState().moveNodes(positions);
      requestAnimationFrame(() => void fitView({ padding: 0.2, duration: 300, maxZoom: 1 }));
    } finally {
      setLayingOut(false);
    }
  }

  function onAdded(nodeId: string, byKeyboard: boolean) {
    // Keyboard users go straight to the new step's settings.
    if (byKeyboard) focusRequest.current = nodeId;
  }

  return (
    <div className="fixed inset-y-0 right-0 left-60 z-10 flex flex-col bg-slate-50">
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-slate-200 bg-white px-4 py-2.5">
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
        <PublishButton
          campaignId={campaignId}
          disabledReason={disabledReason}
          flush={autosave.flush}
          onPublished={(result) => {
            setLive({
              id: result.versionId,
              version: result.version,
              publishedAt: new Date().toISOString(),
            });
            setPublishedAt(Date.now());
            setPublished(result);
          }}
        />
      </header>

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
          {data.campaign.status === "draft" ? (
            <Link href={`/campaigns/${campaignId}`} className="font-medium underline">
              Launch it from the campaign page.
            </Link>
          ) : null}
        </Alert>
      ) : null}

      <div className="flex min-h-0 flex-1">
        <aside className="flex w-56 shrink-0 flex-col gap-4 overflow-y-auto border-r border-slate-200 bg-white p-3">
          <Palette onAdded={onAdded} />
          <Checklist />
        </aside>
        <div className="relative min-w-0 flex-1" data-testid="canvas">
          <FlowCanvas />
        </div>
        <aside className="w-80 shrink-0 overflow-y-auto border-l border-slate-200 bg-white p-4">
          <Inspector
            focusRequest={focusRequest}
            samples={data.sampleLeads}
            customFields={data.customFields}
          />
        </aside>
      </div>
      <div role="status" aria-live="polite" className="sr-only">
        {notice?.text}
      </div>
      <Toast notice={notice} />
    </div>
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
