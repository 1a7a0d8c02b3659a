import type { DraftGraph } from "@/workflows/graph/index";
import { defaultConfig, type NodeKind } from "@/workflows/nodes/index";
import type { EditorDocument, IdSource } from "./document";

/** Ids `kind-1`, `kind-2`, … in creation order, so tests can name what they create. */
export function countingIds(): IdSource {
  let count = 0;
  return (prefix) => {
    count += 1;
    return `${prefix}-${count}`;
  };
}

/** A document from `[id, kind]` pairs (stacked top to bottom) and `source.handle>target` edges. */
export function documentFrom(
  nodes: ReadonlyArray<readonly [string, NodeKind]>,
  edges: readonly string[] = [],
): EditorDocument {
  return {
    nodes: nodes.map(([id, kind], index) => ({
      id,
      kind,
      position: { x: 0, y: index * 200 },
      config: defaultConfig(kind),
    })),
    edges: edges.map((spec) => {
      const [from, target] = spec.split(">") as [string, string];
      const [source, sourceHandle] = from.split(".") as [string, string];
      return { id: `${source}-${sourceHandle}`, source, sourceHandle, target };
    }),
  };
}

export function graphFrom(document: EditorDocument): DraftGraph {
  return { schemaVersion: 2, nodes: [...document.nodes], edges: [...document.edges] };
}

/** The document's connections as `source.handle>target`, sorted. */
export function wiring(document: EditorDocument): string[] {
  return document.edges.map((edge) => `${edge.source}.${edge.sourceHandle}>${edge.target}`).sort();
}
