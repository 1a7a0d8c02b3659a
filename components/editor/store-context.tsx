"use client";
import { createContext, useContext } from "react";
import { useStore } from "zustand";
import type { EditorActions, EditorState, EditorStore } from "./model/store";

export const EditorStoreContext = createContext<EditorStore | null>(null);

export function useEditorStore(): EditorStore {
  const store = useContext(EditorStoreContext);
  if (store === null) throw new Error("useEditor is used outside the campaign editor");
  return store;
}

/** Reads one slice of the editor's state; components re-render only when it changes. */
export function useEditor<Slice>(selector: (state: EditorState & EditorActions) => Slice): Slice {
  return useStore(useEditorStore(), selector);
}
