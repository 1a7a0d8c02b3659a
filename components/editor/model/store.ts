/**
 * The editor's state: a zustand store with zundo's undo history. Only the document (steps and
 * connections) is in the history; selection, card sizes, validation and the clipboard are not,
 * so selecting is never an undo step. Changes made under a group key (typing in one field,
 * dragging) join one undo step (see history.ts). Plain TypeScript: the React side only reads
 * it through selectors and calls its actions.
 */
import { temporal } from "zundo";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { DraftGraph } from "@/workflows/graph/index";
import type { NodeKind } from "@/workflows/nodes/index";
import { type ClipboardContent, copySelection, PASTE_OFFSET, pasteClipboard } from "./clipboard";
import { type Connection, checkConnection, connect, wiredExitKeys } from "./connections";
import { type ValidationView, validateDocument } from "./diagnostics";
import {
  documentOf,
  type EditorDocument,
  type EditorEdge,
  type EditorNode,
  type IdSource,
  type Position,
  randomIds,
} from "./document";
import { createHistoryGrouper, typedWordBreak } from "./history";
import type { EdgeRoute, Size } from "./layout";
import {
  type AppendAnchor,
  addNode,
  appendStep,
  clearSpot,
  deleteElements,
  moveNodes,
  updateConfig,
} from "./operations";

export interface SelectedExit {
  nodeId: string;
  handle: string;
}

export interface EditorState {
  nodes: readonly EditorNode[];
  edges: readonly EditorEdge[];
  selectedNodeIds: readonly string[];
  selectedEdgeIds: readonly string[];
  /** An exit picked on a card: the palette appends after it. */
  selectedExit: SelectedExit | null;
  sizes: ReadonlyMap<string, Size>;
  /** Auto-layout's routes of the connections, drawn while their ends stay where it put them. */
  routes: ReadonlyMap<string, EdgeRoute>;
  validation: ValidationView;
  /** `${nodeId}:${handle}` of every wired exit. */
  wiredExits: ReadonlySet<string>;
  clipboard: { content: ClipboardContent; pastes: number } | null;
  /** A short message for the live region: what a shortcut did, or why it did nothing. */
  notice: { text: string; id: number } | null;
  readOnly: boolean;
}

export interface EditorActions {
  /** Replaces everything with a loaded graph and clears the history. */
  load(graph: DraftGraph): void;
  addStep(kind: NodeKind, position: Position): string | null;
  /** Adds a step after the selected exit, connection or step (see `appendStep`). */
  appendStep(kind: NodeKind, fallbackPosition: Position): string | null;
  connect(connection: Connection): boolean;
  updateConfig(nodeId: string, config: unknown, group?: string): void;
  moveNodes(positions: ReadonlyMap<string, Position>, group?: string): void;
  beginGesture(key: string): void;
  endGesture(): void;
  deleteSelection(): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  select(selection: { nodeIds?: readonly string[]; edgeIds?: readonly string[] }): void;
  selectExit(exit: SelectedExit | null): void;
  setSizes(sizes: ReadonlyMap<string, Size>): void;
  setRoutes(routes: ReadonlyMap<string, EdgeRoute>): void;
  undo(): void;
  redo(): void;
  say(text: string): void;
}

export type EditorStore = StoreApi<EditorState & EditorActions> & {
  temporal: StoreApi<{
    pastStates: Partial<EditorState>[];
    futureStates: Partial<EditorState>[];
    undo: (steps?: number) => void;
    redo: (steps?: number) => void;
    clear: () => void;
  }>;
};

/** Undo steps kept; older ones are dropped. */
export const HISTORY_LIMIT = 200;

const EMPTY: readonly string[] = Object.freeze([]);

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function createEditorStore(
  graph: DraftGraph,
  options: { ids?: IdSource; now?: () => number; readOnly?: boolean } = {},
): EditorStore {
  const ids = options.ids ?? randomIds;
  const grouper = createHistoryGrouper({ now: options.now });
  /** The group key of the change being set right now, read by the history's handleSet. */
  let pendingGroup: string | null = null;
  let notices = 0;

  const store = createStore<EditorState & EditorActions>()(
    temporal(
      (set, get) => {
        const derived = (document: EditorDocument, state?: EditorState) => ({
          validation: validateDocument(document, state?.validation),
          wiredExits:
            state && state.edges === document.edges ? state.wiredExits : wiredExitKeys(document),
        });
        const documentNow = (): EditorDocument => ({ nodes: get().nodes, edges: get().edges });
        const commit = (
          document: EditorDocument,
          group: string | null,
          extra: Partial<EditorState> = {},
        ) => {
          const state = get();
          if (state.readOnly) return;
          if (document.nodes === state.nodes && document.edges === state.edges) {
            if (Object.keys(extra).length > 0) set(extra);
            return;
          }
          pendingGroup = group;
          try {
            set({
              nodes: document.nodes,
              edges: document.edges,
              ...derived(document, state),
              ...extra,
            });
          } finally {
            pendingGroup = null;
          }
        };
        /** After undo or redo: derived state follows, selection forgets what is gone. */
        const afterTimeTravel = () => {
          grouper.close();
          const state = get();
          const document = documentNow();
          const nodeIds = new Set(state.nodes.map((node) => node.id));
          const edgeIds = new Set(state.edges.map((edge) => edge.id));
          set({
            ...derived(document, state),
            selectedNodeIds: state.selectedNodeIds.filter((id) => nodeIds.has(id)),
            selectedEdgeIds: state.selectedEdgeIds.filter((id) => edgeIds.has(id)),
            selectedExit:
              state.selectedExit && nodeIds.has(state.selectedExit.nodeId)
                ? state.selectedExit
                : null,
          });
        };
        const selectOnly = (nodeIds: readonly string[]): Partial<EditorState> => ({
          selectedNodeIds: nodeIds,
          selectedEdgeIds: EMPTY,
          selectedExit: null,
        });
        const say = (text: string) => {
          notices += 1;
          set({ notice: { text, id: notices } });
        };
        const initial = documentOf(graph);

        return {
          nodes: initial.nodes,
          edges: initial.edges,
          selectedNodeIds: EMPTY,
          selectedEdgeIds: EMPTY,
          selectedExit: null,
          sizes: new Map(),
          routes: new Map(),
          ...derived(initial),
          clipboard: null,
          notice: null,
          readOnly: options.readOnly ?? false,

          load(loaded) {
            const document = documentOf(loaded);
            set({
              nodes: document.nodes,
              edges: document.edges,
              ...derived(document),
              ...selectOnly(EMPTY),
            });
            // Set after the change above: loading is where history starts.
            grouper.close();
            (store as EditorStore).temporal.getState().clear();
          },

          addStep(kind, position) {
            if (get().readOnly) return null;
            // Where dropped, or the nearest spot from there that covers no other card.
            const document = documentNow();
            const sizeOf = (nodeId: string) => get().sizes.get(nodeId);
            const added = addNode(document, kind, clearSpot(document, position, sizeOf), ids);
            commit(added.document, null, selectOnly([added.nodeId]));
            return added.nodeId;
          },

          appendStep(kind, fallbackPosition) {
            const state = get();
            if (state.readOnly) return null;
            const anchor: AppendAnchor = state.selectedExit
              ? { type: "exit", ...state.selectedExit }
              : state.selectedNodeIds.length === 1
                ? { type: "node", nodeId: state.selectedNodeIds[0]! }
                : state.selectedEdgeIds.length === 1 && state.selectedNodeIds.length === 0
                  ? { type: "edge", edgeId: state.selectedEdgeIds[0]! }
                  : { type: "none", position: fallbackPosition };
            const appended = appendStep(documentNow(), kind, anchor, ids, (nodeId) =>
              get().sizes.get(nodeId),
            );
            commit(appended.document, null, selectOnly([appended.nodeId]));
            return appended.nodeId;
          },

          connect(connection) {
            const check = checkConnection(documentNow(), connection);
            if (!check.ok) {
              say(check.reason);
              return false;
            }
            commit(connect(documentNow(), connection, ids), null);
            return true;
          },

          updateConfig(nodeId, config, group) {
            const previous = get().nodes.find((node) => node.id === nodeId)?.config;
            commit(updateConfig(documentNow(), nodeId, config), group ?? null);
            // A space ends the word, and with it the undo step: the next letter starts another.
            if (typedWordBreak(previous, config)) grouper.close();
          },

          moveNodes(positions, group) {
            commit(moveNodes(documentNow(), positions), group ?? null);
          },

          beginGesture(key) {
            grouper.beginGesture(key);
          },

          endGesture() {
            grouper.endGesture();
          },

          deleteSelection() {
            const state = get();
            if (state.readOnly) return;
            const nodeIds = state.selectedNodeIds;
            const edgeIds = state.selectedEdgeIds;
            if (nodeIds.length === 0 && edgeIds.length === 0) return;
            const result = deleteElements(documentNow(), { nodeIds, edgeIds });
            commit(result.document, null, {
              selectedNodeIds: result.kept,
              selectedEdgeIds: EMPTY,
              selectedExit: null,
            });
            const removed = nodeIds.length - result.kept.length;
            if (result.kept.length > 0) {
              say(
                removed > 0
                  ? `Deleted ${plural(removed, "step")}; the start stays: every campaign needs one.`
                  : "The start cannot be deleted: every campaign needs one.",
              );
            } else if (removed > 0) {
              say(`Deleted ${plural(removed, "step")}.`);
            }
          },

          copy() {
            const content = copySelection(documentNow(), get().selectedNodeIds);
            if (content === null) {
              say("Select the steps to copy first (the start cannot be copied).");
              return;
            }
            set({ clipboard: { content, pastes: 0 } });
            say(`Copied ${plural(content.nodes.length, "step")}.`);
          },

          paste() {
            const clipboard = get().clipboard;
            if (clipboard === null || get().readOnly) return;
            const pasted = pasteClipboard(documentNow(), clipboard.content, {
              offset: PASTE_OFFSET * (clipboard.pastes + 1),
              ids,
            });
            commit(pasted.document, null, {
              ...selectOnly(pasted.nodeIds),
              clipboard: { ...clipboard, pastes: clipboard.pastes + 1 },
            });
            say(`Pasted ${plural(pasted.nodeIds.length, "step")}.`);
          },

          duplicate() {
            const content = copySelection(documentNow(), get().selectedNodeIds);
            if (content === null || get().readOnly) return;
            const pasted = pasteClipboard(documentNow(), content, { offset: PASTE_OFFSET, ids });
            commit(pasted.document, null, selectOnly(pasted.nodeIds));
            say(`Duplicated ${plural(pasted.nodeIds.length, "step")}.`);
          },

          select(selection) {
            const state = get();
            const nodeIds = selection.nodeIds ?? state.selectedNodeIds;
            const edgeIds = selection.edgeIds ?? state.selectedEdgeIds;
            const same = (left: readonly string[], right: readonly string[]) =>
              left.length === right.length && left.every((id, index) => right[index] === id);
            if (same(nodeIds, state.selectedNodeIds) && same(edgeIds, state.selectedEdgeIds))
              return;
            set({
              selectedNodeIds: nodeIds.length === 0 ? EMPTY : nodeIds,
              selectedEdgeIds: edgeIds.length === 0 ? EMPTY : edgeIds,
              selectedExit:
                state.selectedExit && nodeIds.includes(state.selectedExit.nodeId)
                  ? state.selectedExit
                  : null,
            });
          },

          selectExit(exit) {
            set(
              exit ? { ...selectOnly([exit.nodeId]), selectedExit: exit } : { selectedExit: null },
            );
          },

          setSizes(sizes) {
            set({ sizes });
          },

          setRoutes(routes) {
            set({ routes });
          },

          undo() {
            const temporalState = (store as EditorStore).temporal.getState();
            if (temporalState.pastStates.length === 0) return;
            temporalState.undo();
            afterTimeTravel();
          },

          redo() {
            const temporalState = (store as EditorStore).temporal.getState();
            if (temporalState.futureStates.length === 0) return;
            temporalState.redo();
            afterTimeTravel();
          },

          say,
        };
      },
      {
        partialize: (state) => ({ nodes: state.nodes, edges: state.edges }),
        // Only changes to the document are undo steps: selection and sizes never are.
        equality: (past, current) => past.nodes === current.nodes && past.edges === current.edges,
        limit: HISTORY_LIMIT,
        handleSet: (handleSet) => {
          // zundo calls this with the past state, `replace`, the current and the delta state;
          // its type only names the first two.
          const record = handleSet as unknown as (...args: unknown[]) => void;
          return (pastState, replace, currentState, deltaState) => {
            if (grouper.startsStep(pendingGroup))
              record(pastState, replace, currentState, deltaState);
          };
        },
      },
    ),
  ) as EditorStore;
  return store;
}

export function documentOfState(state: Pick<EditorState, "nodes" | "edges">): EditorDocument {
  return { nodes: state.nodes, edges: state.edges };
}
