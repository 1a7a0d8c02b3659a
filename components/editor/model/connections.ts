/**
 * Which connections the canvas accepts. A connection leaves a step by one of its exits and
 * enters another step: one connection per exit (connecting a wired exit again moves its
 * connection), nothing enters the start, and no step connects to itself.
 */
import { findNodeDefinition } from "@/workflows/nodes/index";
import { type EditorDocument, edgeIdFor, type IdSource, nodeById } from "./document";

export interface Connection {
  source: string;
  sourceHandle: string | null | undefined;
  target: string;
}

export type ConnectionCheck = { ok: true } | { ok: false; reason: string };

export function checkConnection(document: EditorDocument, connection: Connection): ConnectionCheck {
  const source = nodeById(document, connection.source);
  const target = nodeById(document, connection.target);
  if (!source || !target) return { ok: false, reason: "Both steps must be on the canvas." };
  const definition = findNodeDefinition(source.kind);
  const handle = connection.sourceHandle ?? "next";
  if (!definition?.hasExit(handle)) {
    return { ok: false, reason: `${definition?.label ?? "This step"} has no “${handle}” exit.` };
  }
  if (source.id === target.id) return { ok: false, reason: "A step cannot lead to itself." };
  if (target.kind === "start") {
    return { ok: false, reason: "Nothing leads into Start: every lead enters there." };
  }
  return { ok: true };
}

/** The edge leaving `nodeId` by `handle`, if the exit is wired. */
export function edgeFromExit(document: EditorDocument, nodeId: string, handle: string) {
  return document.edges.find((edge) => edge.source === nodeId && edge.sourceHandle === handle);
}

/**
 * Adds the connection, replacing the one the exit had. Refused connections leave the document
 * as it was (the same object), so callers can tell nothing happened.
 */
export function connect(
  document: EditorDocument,
  connection: Connection,
  ids: IdSource,
): EditorDocument {
  if (!checkConnection(document, connection).ok) return document;
  const handle = connection.sourceHandle ?? "next";
  const existing = edgeFromExit(document, connection.source, handle);
  if (existing?.target === connection.target) return document;
  const edges = document.edges.filter((edge) => edge !== existing);
  const rest = { nodes: document.nodes, edges };
  return {
    nodes: document.nodes,
    edges: [
      ...edges,
      {
        id: existing?.id ?? edgeIdFor(rest, connection.source, handle, ids),
        source: connection.source,
        sourceHandle: handle,
        target: connection.target,
      },
    ],
  };
}

/** The exits of a step that have no connection, in the kind's order (yes before no). */
export function openExits(document: EditorDocument, nodeId: string): string[] {
  const node = nodeById(document, nodeId);
  const definition = findNodeDefinition(node?.kind);
  if (!definition) return [];
  return definition.exits
    .map((exit) => exit.handle)
    .filter((handle) => !edgeFromExit(document, nodeId, handle));
}

/** `${nodeId}:${handle}` of every wired exit, for cards that mark the open ones. */
export function wiredExitKeys(document: EditorDocument): Set<string> {
  return new Set(document.edges.map((edge) => `${edge.source}:${edge.sourceHandle}`));
}
