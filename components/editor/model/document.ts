/**
 * The document the editor changes and undoes: the draft graph's steps and connections, in the
 * shape the server saves (`DraftGraph` without its schema version). Every operation in this
 * folder is a pure function from one document to the next; nothing here knows about React.
 */
import type { DraftGraph, DraftGraphEdge, DraftGraphNode, Position } from "@/workflows/graph/index";
import { CURRENT_SCHEMA_VERSION } from "@/workflows/graph/index";

export type EditorNode = DraftGraphNode;
export type EditorEdge = DraftGraphEdge;
export type { Position };

export interface EditorDocument {
  readonly nodes: readonly EditorNode[];
  readonly edges: readonly EditorEdge[];
}

export function documentOf(graph: DraftGraph): EditorDocument {
  return { nodes: graph.nodes, edges: graph.edges };
}

export function graphOf(document: EditorDocument): DraftGraph {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: [...document.nodes],
    edges: [...document.edges],
  };
}

/** Makes ids for new steps and connections; tests pass a predictable one. */
export type IdSource = (prefix: string) => string;

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `wait-k3j9x2`: readable in messages ("3 leads at step wait-k3j9x2"), unlikely to repeat. */
export const randomIds: IdSource = (prefix) => {
  let suffix = "";
  for (let index = 0; index < 6; index += 1) {
    suffix += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
  }
  return `${prefix}-${suffix}`;
};

/** Ids are at most 64 characters of letters, digits, - and _ (the graph schema's rule). */
const ID_UNSAFE = /[^A-Za-z0-9_-]/;
const ID_UNSAFE_ALL = /[^A-Za-z0-9_-]/g;

/** A fresh id not used by any node or edge of the document. */
export function freshId(document: EditorDocument, prefix: string, ids: IdSource): string {
  const taken = new Set<string>([
    ...document.nodes.map((node) => node.id),
    ...document.edges.map((edge) => edge.id),
  ]);
  const safePrefix = prefix.replace(ID_UNSAFE_ALL, "").slice(0, 40) || "step";
  for (;;) {
    const candidate = ids(safePrefix).slice(0, 64);
    if (!taken.has(candidate)) return candidate;
  }
}

/** The id of the connection leaving `source` by `handle`: `connect-k3j9x2-next` when it fits. */
export function edgeIdFor(
  document: EditorDocument,
  source: string,
  handle: string,
  ids: IdSource,
): string {
  const natural = `${source}-${handle}`;
  const taken = document.edges.some((edge) => edge.id === natural);
  return natural.length <= 64 && !taken && !ID_UNSAFE.test(natural)
    ? natural
    : freshId(document, "edge", ids);
}

export function nodeById(document: EditorDocument, id: string): EditorNode | undefined {
  return document.nodes.find((node) => node.id === id);
}
