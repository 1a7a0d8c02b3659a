import "server-only";

import {
  CURRENT_SCHEMA_VERSION,
  checkGraphLimits,
  type DraftGraph,
  GRAPH_LIMITS,
} from "@/workflows/graph/index";
import { HttpError } from "../http/errors";

/** Graphs bigger than this are refused: nobody draws them, and they would slow every request. */
export const MAX_DRAFT_NODES = GRAPH_LIMITS.maxNodes;

export const MAX_DRAFT_EDGES = GRAPH_LIMITS.maxEdges;

/**
 * Refuses (413) a graph beyond GRAPH_LIMITS before any other work on it. Parsing refuses it too;
 * this says so with the status and code that tell the caller to make it smaller.
 */
export function refuseOversizedGraph(graph: unknown): void {
  const limits = checkGraphLimits(graph);
  if (!limits.ok) throw new HttpError(413, "graph_too_large", limits.message);
}

/** A campaign with nothing in it yet but its start. */
export function blankDraftGraph(): DraftGraph {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: [
      { id: "start", kind: "start", position: { x: 0, y: 0 }, config: { leads: "all_enrolled" } },
    ],
    edges: [],
  };
}
