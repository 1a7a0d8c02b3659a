"use client";
import { useEffect } from "react";
import { isTypingTarget, shortcutFor } from "./model/shortcuts";
import type { EditorStore } from "./model/store";

/** Listens for the editor's shortcuts on the whole page, except while typing in a field. */
export function useShortcuts(store: EditorStore) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || isTypingTarget(event.target as HTMLElement | null)) return;
      // Inside an open dialog the dialog's own keys apply.
      if ((event.target as HTMLElement | null)?.closest?.("dialog")) return;
      const command = shortcutFor(event);
      if (command === null) return;
      const state = store.getState();
      // Text selected on the page (a preview, a message) copies as text, as everywhere else.
      if (command === "copy" && (window.getSelection()?.toString() ?? "") !== "") return;
      event.preventDefault();
      switch (command) {
        case "undo":
          state.undo();
          break;
        case "redo":
          state.redo();
          break;
        case "copy":
          state.copy();
          break;
        case "paste":
          state.paste();
          break;
        case "duplicate":
          state.duplicate();
          break;
        case "delete":
          state.deleteSelection();
          break;
        case "clear-selection":
          state.select({ nodeIds: [], edgeIds: [] });
          break;
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [store]);
}
