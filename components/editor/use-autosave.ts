"use client";
import { useEffect, useRef, useState } from "react";
import { saveDraft } from "./api";
import { type Autosaver, type AutosaveState, createAutosaver } from "./model/autosave";
import { graphOf } from "./model/document";
import { documentOfState, type EditorStore } from "./model/store";

/**
 * Saves the document a moment after each change (see model/autosave.ts) and warns before
 * leaving the page with unsaved changes.
 */
export function useAutosave(
  store: EditorStore,
  options: { campaignId: string; baseHash: string; unpublishedChanges: boolean; enabled: boolean },
): { state: AutosaveState; flush: () => Promise<boolean> } {
  const saver = useRef<Autosaver | null>(null);
  const [state, setState] = useState<AutosaveState>({
    status: "saved",
    baseHash: options.baseHash,
    message: null,
    unpublishedChanges: options.unpublishedChanges,
    savedAt: null,
  });

  useEffect(() => {
    if (!options.enabled) return;
    const autosaver = createAutosaver({
      baseHash: options.baseHash,
      unpublishedChanges: options.unpublishedChanges,
      read: () => graphOf(documentOfState(store.getState())),
      save: (graph, baseHash) => saveDraft(options.campaignId, graph, baseHash),
      onState: setState,
    });
    saver.current = autosaver;
    const unsubscribe = store.subscribe((current, previous) => {
      if (current.nodes !== previous.nodes || current.edges !== previous.edges) autosaver.changed();
    });
    const beforeUnload = (event: BeforeUnloadEvent) => {
      const status = autosaver.getState().status;
      if (status === "unsaved" || status === "saving" || status === "error") event.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      unsubscribe();
      window.removeEventListener("beforeunload", beforeUnload);
      autosaver.dispose();
      saver.current = null;
    };
  }, [store, options.campaignId, options.baseHash, options.unpublishedChanges, options.enabled]);

  return { state, flush: () => saver.current?.flush() ?? Promise.resolve(true) };
}
