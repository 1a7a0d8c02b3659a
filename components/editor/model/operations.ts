/**
 * Edits of the document: adding, appending after an exit, configuring, moving and deleting
 * steps. Deleting a step bridges the gap when that is unambiguous (a step with one exit,
 * wired: its predecessors now lead to its successor) and otherwise leaves the predecessors'
 * exits open, which the canvas marks and validation reports.
 */
import { defaultConfig, findNodeDefinition, type NodeKind } from "@/workflows/nodes/index";
import { connect, edgeFromExit, openExits } from "./connections";
import {
  type EditorDocument,
  type EditorEdge,
  type EditorNode,
  edgeIdFor,
  freshId,
  type IdSource,
  nodeById,
  type Position,
} from "./document";

/** Room a card takes on the canvas, for placing new steps clear of others. */
export const CARD_WIDTH = 256;
export const CARD_HEIGHT = 96;
export const ROW_GAP = 180;
const COLUMN_GAP = 300;

export function addNode(
  document: EditorDocument,
  kind: NodeKind,
  position: Position,
  ids: IdSource,
): { document: EditorDocument; nodeId: string } {
  const id = freshId(document, kind.replaceAll("_", "-"), ids);
  const node: EditorNode = { id, kind, position, config: defaultConfig(kind) };
  return { document: { nodes: [...document.nodes, node], edges: document.edges }, nodeId: id };
}

/** Where to put a new step: after an exit, into a connection, or after a step's first open exit. */
export type AppendAnchor =
  | { type: "exit"; nodeId: string; handle: string }
  | { type: "node"; nodeId: string }
  | { type: "edge"; edgeId: string }
  | { type: "none"; position: Position };

/** A card's measured size, when the canvas has drawn it. */
export type SizeOf = (nodeId: string) => { width: number; height: number } | undefined;

/** Free space kept around every card, so a new one never touches another. */
const CLEARANCE = 24;

function sizeOrDefault(sizeOf: SizeOf | undefined, nodeId: string) {
  return sizeOf?.(nodeId) ?? { width: CARD_WIDTH, height: CARD_HEIGHT };
}

/** The size a new card of `kind` will likely have: the tallest drawn card of its kind. */
function expectedSize(document: EditorDocument, kind: string, sizeOf: SizeOf | undefined) {
  let size = { width: CARD_WIDTH, height: CARD_HEIGHT };
  for (const node of document.nodes) {
    if (node.kind !== kind) continue;
    const drawn = sizeOf?.(node.id);
    if (drawn) {
      size = {
        width: Math.max(size.width, drawn.width),
        height: Math.max(size.height, drawn.height),
      };
    }
  }
  return size;
}

function overlaps(
  document: EditorDocument,
  position: Position,
  size: { width: number; height: number },
  sizeOf: SizeOf | undefined,
): boolean {
  return document.nodes.some((node) => {
    const other = sizeOrDefault(sizeOf, node.id);
    return (
      position.x < node.position.x + other.width + CLEARANCE &&
      node.position.x < position.x + size.width + CLEARANCE &&
      position.y < node.position.y + other.height + CLEARANCE &&
      node.position.y < position.y + size.height + CLEARANCE
    );
  });
}

/**
 * The place nearest `position` where a card of `size` covers no other card (with room to
 * spare): the spot itself, else below it, beside it, or diagonally below, ring after ring.
 */
export function clearSpot(
  document: EditorDocument,
  position: Position,
  sizeOf?: SizeOf,
  size: { width: number; height: number } = { width: CARD_WIDTH, height: CARD_HEIGHT },
): Position {
  if (!overlaps(document, position, size, sizeOf)) return position;
  const dx = size.width + CLEARANCE * 2;
  const dy = Math.round(ROW_GAP / 2);
  for (let ring = 1; ring <= 40; ring += 1) {
    const candidates: Position[] = [
      { x: position.x, y: position.y + ring * dy },
      { x: position.x + ring * dx, y: position.y },
      { x: position.x - ring * dx, y: position.y },
      { x: position.x + ring * dx, y: position.y + ring * dy },
      { x: position.x - ring * dx, y: position.y + ring * dy },
    ];
    const free = candidates.find((spot) => !overlaps(document, spot, size, sizeOf));
    if (free) return free;
  }
  // A canvas this crowded: below everything.
  const bottom = Math.max(
    ...document.nodes.map((node) => node.position.y + sizeOrDefault(sizeOf, node.id).height),
  );
  return { x: position.x, y: bottom + CLEARANCE * 2 };
}

/** The exit an anchor stands for, or null when the new step is placed on its own. */
function resolveAnchor(
  document: EditorDocument,
  anchor: AppendAnchor,
): { nodeId: string; handle: string } | null {
  switch (anchor.type) {
    case "exit":
      return nodeById(document, anchor.nodeId)
        ? { nodeId: anchor.nodeId, handle: anchor.handle }
        : null;
    case "edge": {
      const edge = document.edges.find((candidate) => candidate.id === anchor.edgeId);
      return edge ? { nodeId: edge.source, handle: edge.sourceHandle } : null;
    }
    case "node": {
      const node = nodeById(document, anchor.nodeId);
      const definition = findNodeDefinition(node?.kind);
      if (!node || !definition || definition.exits.length === 0) return null;
      const handle = openExits(document, node.id)[0] ?? definition.exits[0]!.handle;
      return { nodeId: node.id, handle };
    }
    case "none": {
      // On an empty canvas the first step goes after the start.
      const start = document.nodes.find((node) => node.kind === "start");
      const handle = start ? openExits(document, start.id)[0] : undefined;
      return start && handle ? { nodeId: start.id, handle } : null;
    }
  }
}

/**
 * Adds a step of `kind` after an exit. An open exit simply leads to it; a wired one gets the
 * new step in between (the new step's first exit continues to the old target). A step with no
 * exits (End) is never put in between: it is placed on its own instead.
 */
export function appendStep(
  document: EditorDocument,
  kind: NodeKind,
  anchor: AppendAnchor,
  ids: IdSource,
  sizeOf?: SizeOf,
): { document: EditorDocument; nodeId: string } {
  const exit = resolveAnchor(document, anchor);
  const newExits = findNodeDefinition(kind)?.exits ?? [];
  const size = expectedSize(document, kind, sizeOf);
  const spotNear = (position: Position) => clearSpot(document, position, sizeOf, size);
  if (exit === null) {
    const position = anchor.type === "none" ? anchor.position : { x: 0, y: 0 };
    return addNode(document, kind, spotNear(position), ids);
  }
  const source = nodeById(document, exit.nodeId)!;
  const sourceExits = findNodeDefinition(source.kind)?.exits ?? [];
  const exitIndex = Math.max(
    0,
    sourceExits.findIndex((candidate) => candidate.handle === exit.handle),
  );
  const spread =
    sourceExits.length > 1 ? (exitIndex - (sourceExits.length - 1) / 2) * COLUMN_GAP : 0;
  const wired = edgeFromExit(document, exit.nodeId, exit.handle);
  // Below the source's bottom edge, under the exit it hangs from.
  const below = source.position.y + sizeOrDefault(sizeOf, source.id).height + ROW_GAP - CARD_HEIGHT;
  if (wired && newExits.length === 0) {
    return addNode(document, kind, spotNear({ x: source.position.x + spread, y: below }), ids);
  }
  const position = spotNear({ x: source.position.x + spread, y: below });
  const added = addNode(document, kind, position, ids);
  let next = connect(
    added.document,
    { source: exit.nodeId, sourceHandle: exit.handle, target: added.nodeId },
    ids,
  );
  if (wired) {
    next = connect(
      next,
      { source: added.nodeId, sourceHandle: newExits[0]!.handle, target: wired.target },
      ids,
    );
  }
  return { document: next, nodeId: added.nodeId };
}

export function updateConfig(
  document: EditorDocument,
  nodeId: string,
  config: unknown,
): EditorDocument {
  let changed = false;
  const nodes = document.nodes.map((node) => {
    if (node.id !== nodeId || node.config === config) return node;
    changed = true;
    return { ...node, config };
  });
  return changed ? { nodes, edges: document.edges } : document;
}

export function moveNodes(
  document: EditorDocument,
  positions: ReadonlyMap<string, Position>,
): EditorDocument {
  let changed = false;
  const nodes = document.nodes.map((node) => {
    const position = positions.get(node.id);
    if (!position || (position.x === node.position.x && position.y === node.position.y)) {
      return node;
    }
    changed = true;
    return { ...node, position: { x: position.x, y: position.y } };
  });
  return changed ? { nodes, edges: document.edges } : document;
}

export interface DeleteResult {
  document: EditorDocument;
  /** Steps asked for but kept: the start cannot be deleted. */
  kept: string[];
}

/** Deletes steps and connections; see the module comment for how the gaps are handled. */
export function deleteElements(
  document: EditorDocument,
  selection: { nodeIds: readonly string[]; edgeIds: readonly string[] },
): DeleteResult {
  const edgeIds = new Set(selection.edgeIds);
  let nodes = document.nodes;
  let edges: readonly EditorEdge[] = document.edges.filter((edge) => !edgeIds.has(edge.id));
  const kept: string[] = [];
  const doomed = new Set(selection.nodeIds);
  for (const node of document.nodes) {
    if (!doomed.has(node.id)) continue;
    if (node.kind === "start") {
      kept.push(node.id);
      continue;
    }
    const outgoing = edges.filter((edge) => edge.source === node.id);
    const exits = findNodeDefinition(node.kind)?.exits ?? [];
    const bridgeTo = exits.length === 1 && outgoing.length === 1 ? outgoing[0]!.target : null;
    edges = edges.flatMap((edge): EditorEdge[] => {
      if (edge.source === node.id) return [];
      if (edge.target !== node.id) return [edge];
      // A bridge that would loop a step onto itself is left open instead.
      if (bridgeTo === null || bridgeTo === edge.source) return [];
      return [{ ...edge, target: bridgeTo }];
    });
    nodes = nodes.filter((candidate) => candidate.id !== node.id);
  }
  if (nodes === document.nodes && edges.length === document.edges.length) {
    return { document, kept };
  }
  return { document: { nodes, edges }, kept };
}

/** Adds steps and connections made elsewhere (pasting), keeping the document's edge ids unique. */
export function insertElements(
  document: EditorDocument,
  added: { nodes: readonly EditorNode[]; edges: readonly EditorEdge[] },
  ids: IdSource,
): EditorDocument {
  let next: EditorDocument = { nodes: [...document.nodes, ...added.nodes], edges: document.edges };
  for (const edge of added.edges) {
    next = {
      nodes: next.nodes,
      edges: [...next.edges, { ...edge, id: edgeIdFor(next, edge.source, edge.sourceHandle, ids) }],
    };
  }
  return next;
}
