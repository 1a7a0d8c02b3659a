"use client";
import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { PublishPreview, PublishResult } from "@/views/drafts";
import type { StrandedChoice } from "@/workflows/graph/index";
import { fetchPublishPreview, publishDraft } from "./api";

function leads(count: number): string {
  return `${count} lead${count === 1 ? "" : "s"}`;
}

const REASONS: Readonly<Record<string, string>> = {
  removed: "this step is not in the new version",
  kind_changed: "this step does something else in the new version",
  unknown_node: "this step is not known to either version",
};

/**
 * Publishing: saves what is unsaved, asks the server what publishing would do, and publishes at
 * once when no lead is in flight. With leads in flight it first shows where they go (the
 * version mapping) and asks what to do with leads whose step is gone.
 */
export function PublishButton({
  campaignId,
  label = "Publish",
  disabledReason,
  flush,
  onPublished,
}: {
  campaignId: string;
  label?: string;
  disabledReason: string | null;
  flush: () => Promise<boolean>;
  onPublished: (result: PublishResult) => void | Promise<void>;
}) {
  const [working, setWorking] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [preview, setPreview] = useState<PublishPreview | null>(null);

  async function loadPreview(): Promise<PublishPreview | null> {
    const result = await fetchPublishPreview(campaignId);
    if (!result.ok) {
      setMessage(result.message);
      return null;
    }
    if (result.data.errors.length > 0) {
      setMessage(
        `Fix the ${errorsWord(result.data.errors.length)} in the checklist first: ${result.data.errors[0]!.message}`,
      );
      return null;
    }
    return result.data;
  }

  async function publish(draftHash: string, choices: Record<string, StrandedChoice>) {
    const result = await publishDraft(campaignId, draftHash, choices);
    if (result.ok) {
      setPreview(null);
      setMessage(null);
      await onPublished(result.data);
      return;
    }
    if (result.code === "draft_conflict") {
      // Usually this tab's own autosave landed in between; a save from elsewhere shows up as a
      // conflict on the next autosave.
      setPreview(null);
      setMessage(
        "The draft changed while it was being published, so nothing was published. Press Publish again to publish it as it is now.",
      );
      return;
    }
    if (result.code === "stranded_leads") {
      // Leads moved since the mapping was shown: show it again as it is now.
      setPreview(await loadPreview());
    }
    setMessage(result.message);
  }

  async function start() {
    setWorking(true);
    setMessage(null);
    try {
      if (!(await flush())) {
        setMessage("The draft could not be saved, so it was not published. Try again in a moment.");
        return;
      }
      const current = await loadPreview();
      if (current === null) return;
      if (current.inFlight > 0) setPreview(current);
      else await publish(current.draftHash, {});
    } finally {
      setWorking(false);
    }
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        onClick={start}
        disabled={working || disabledReason !== null}
        title={disabledReason ?? undefined}
        aria-describedby={disabledReason ? "publish-disabled-reason" : undefined}
      >
        {working && preview === null ? "Publishing…" : label}
      </Button>
      {disabledReason ? (
        <span id="publish-disabled-reason" className="sr-only">
          {disabledReason}
        </span>
      ) : null}
      {message && preview === null ? (
        <Alert tone="error" className="absolute right-4 top-16 z-20 max-w-md text-xs">
          {message}
        </Alert>
      ) : null}
      {preview ? (
        <MappingDialog
          preview={preview}
          message={message}
          onCancel={() => {
            setPreview(null);
            setMessage(null);
          }}
          onConfirm={async (choices) => {
            setWorking(true);
            try {
              await publish(preview.draftHash, choices);
            } finally {
              setWorking(false);
            }
          }}
          working={working}
        />
      ) : null}
    </div>
  );
}

function errorsWord(errors: number): string {
  return errors === 1 ? "error" : `${errors} errors`;
}

function MappingDialog({
  preview,
  message,
  working,
  onCancel,
  onConfirm,
}: {
  preview: PublishPreview;
  message: string | null;
  working: boolean;
  onCancel: () => void;
  onConfirm: (choices: Record<string, StrandedChoice>) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [choices, setChoices] = useState<Record<string, StrandedChoice | undefined>>({});
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  const decided = preview.stranded.every((group) => {
    const choice = choices[group.nodeId];
    return choice !== undefined && (choice.action === "end" || choice.toNodeId !== "");
  });
  const version = preview.nextVersion;

  return (
    <dialog
      ref={dialog}
      aria-labelledby="publish-dialog-heading"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      className="m-auto w-[min(40rem,calc(100vw-2rem))] rounded-lg bg-white p-0 text-left shadow-xl backdrop:bg-slate-900/40"
    >
      <form
        method="dialog"
        className="space-y-4 p-5"
        onSubmit={(event) => {
          event.preventDefault();
          if (decided) {
            onConfirm(
              Object.fromEntries(
                Object.entries(choices).filter(
                  (entry): entry is [string, StrandedChoice] => !!entry[1],
                ),
              ),
            );
          }
        }}
      >
        <h2 id="publish-dialog-heading" className="text-lg font-semibold text-slate-900">
          Publish version {version}
        </h2>
        <p className="text-sm text-slate-700">
          {leads(preview.inFlight)} {preview.inFlight === 1 ? "is" : "are"} in this campaign right
          now. When you publish, they all move to version {version}: nobody is contacted again for a
          step they already did.
        </p>
        {preview.busy > 0 ? (
          <Alert tone="warning">
            {leads(preview.busy)} {preview.busy === 1 ? "is" : "are"} being processed right now.
            Publishing waits a few seconds for {preview.busy === 1 ? "it" : "them"}.
          </Alert>
        ) : null}
        {preview.staying.length > 0 ? (
          <section aria-labelledby="staying-heading">
            <h3 id="staying-heading" className="text-sm font-semibold text-slate-900">
              Stay where they are
            </h3>
            <ul className="mt-1 space-y-1 text-sm text-slate-700">
              {preview.staying.map((group) => (
                <li key={group.nodeId}>
                  {leads(group.count)} at {group.label}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {preview.stranded.length > 0 ? (
          <section aria-labelledby="stranded-heading" className="space-y-3">
            <h3 id="stranded-heading" className="text-sm font-semibold text-slate-900">
              Need a decision: their step is gone
            </h3>
            {preview.stranded.map((group) => {
              const choice = choices[group.nodeId];
              const name = `stranded-${group.nodeId}`;
              const set = (next: StrandedChoice) =>
                setChoices((current) => ({ ...current, [group.nodeId]: next }));
              return (
                <fieldset key={group.nodeId} className="rounded-md p-3 ring-1 ring-amber-300">
                  <legend className="px-1 text-sm text-slate-900">
                    {leads(group.count)} at {group.label}: {REASONS[group.reason] ?? group.reason}
                  </legend>
                  <div className="space-y-2 text-sm text-slate-800">
                    <label className="flex items-center gap-2">
                      <input
                        type="radio"
                        name={name}
                        checked={choice?.action === "end"}
                        onChange={() => set({ action: "end" })}
                      />
                      End their run here
                    </label>
                    <div className="flex flex-wrap items-center gap-2">
                      <label className="flex items-center gap-2">
                        <input
                          type="radio"
                          name={name}
                          checked={choice?.action === "move"}
                          onChange={() =>
                            set({ action: "move", toNodeId: preview.targets[0]?.nodeId ?? "" })
                          }
                        />
                        Move them to
                      </label>
                      <select
                        aria-label={`Step to move the ${leads(group.count)} at ${group.label} to`}
                        value={choice?.action === "move" ? choice.toNodeId : ""}
                        onChange={(event) => set({ action: "move", toNodeId: event.target.value })}
                        className={`${inputClass} w-auto min-w-0 flex-1`}
                      >
                        <option value="" disabled>
                          Choose a step…
                        </option>
                        {preview.targets.map((target) => (
                          <option key={target.nodeId} value={target.nodeId}>
                            {target.label}
                          </option>
                        ))}
                      </select>
                    </div>
                  </div>
                </fieldset>
              );
            })}
          </section>
        ) : null}
        {message ? <Alert tone="error">{message}</Alert> : null}
        <div className="flex justify-end gap-2 pt-1">
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" disabled={!decided || working}>
            {working ? "Publishing…" : `Publish version ${version}`}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
