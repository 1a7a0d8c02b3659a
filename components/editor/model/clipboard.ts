/**
 * Copy, paste and duplicate. The clipboard holds copies of steps with the connections between
 * them; pasting gives every step a new id (ids tie leads to steps across versions, so a pasted
 * step is a new step) and shifts it so it does not cover the original. The start is never
 * copied: a campaign has exactly one.
 */
import {
  type EditorDocument,
  type EditorEdge,
  type EditorNode,
  freshId,
  type IdSource,
} from "./document";
import { insertElements } from "./operations";

export interface ClipboardContent {
  nodes: readonly EditorNode[];
  edges: readonly EditorEdge[];
}

/** How far each paste lands from the one before, so repeated pastes fan out. */
export const PASTE_OFFSET = 40;

export function copySelection(
  document: EditorDocument,
  nodeIds: readonly string[],
): ClipboardContent | null {
  const chosen = new Set(nodeIds);
  const nodes = document.nodes.filter((node) => chosen.has(node.id) && node.kind !== "start");
  if (nodes.length === 0) return null;
  const copied = new Set(nodes.map((node) => node.id));
  return structuredClone({
    nodes,
    edges: document.edges.filter((edge) => copied.has(edge.source) && copied.has(edge.target)),
  });
}

export function pasteClipboard(
  document: EditorDocument,
  content: ClipboardContent,
  options: { offset: number; ids: IdSource },
): { document: EditorDocument; nodeIds: string[] } {
  const renamed = new Map<string, string>();
  const nodes: EditorNode[] = [];
  let growing: EditorDocument = document;
  for (const node of content.nodes) {
    const id = freshId(growing, node.kind.replaceAll("_", "-"), options.ids);
    renamed.set(node.id, id);
    const pasted: EditorNode = {
      id,
      kind: node.kind,
      position: { x: node.position.x + options.offset, y: node.position.y + options.offset },
      config: structuredClone(node.config),
    };
    nodes.push(pasted);
    growing = { nodes: [...growing.nodes, pasted], edges: growing.edges };
  }
  const edges = content.edges.flatMap((edge): EditorEdge[] => {
    const source = renamed.get(edge.source);
    const target = renamed.get(edge.target);
    return source && target ? [{ ...edge, source, target }] : [];
  });
  return {
    document: insertElements(document, { nodes, edges }, options.ids),
    nodeIds: nodes.map((node) => node.id),
  };
}

export function duplicateSelection(
  document: EditorDocument,
  nodeIds: readonly string[],
  ids: IdSource,
): { document: EditorDocument; nodeIds: string[] } {
  const content = copySelection(document, nodeIds);
  if (content === null) return { document, nodeIds: [] };
  return pasteClipboard(document, content, { offset: PASTE_OFFSET, ids });
}
