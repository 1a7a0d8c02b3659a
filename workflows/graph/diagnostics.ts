import { z } from "zod";
import { NODE_ISSUE_CODES } from "../nodes/index";

/** Problems with the graph as a whole: its shape, its wiring, its paths. */
export const GRAPH_DIAGNOSTIC_CODES = [
  "not_a_graph",
  "unsupported_schema_version",
  "graph_too_large",
  "invalid_node",
  "unknown_node_kind",
  "duplicate_node_id",
  "invalid_edge",
  "duplicate_edge_id",
  "edge_unknown_source",
  "edge_unknown_target",
  "edge_unknown_handle",
  "self_loop",
  "edge_into_start",
  "duplicate_exit_edge",
  "missing_start",
  "multiple_starts",
  "unreachable_node",
  "open_exit",
  "cycle_without_wait",
] as const;

/** Every code validation can return: graph codes, then the ones node kinds raise. */
export const DIAGNOSTIC_CODES = [...GRAPH_DIAGNOSTIC_CODES, ...NODE_ISSUE_CODES] as const;

/** Codes meaning the input could not be read as a graph at all. */
export const UNREADABLE_GRAPH_CODES = [
  "not_a_graph",
  "unsupported_schema_version",
  "graph_too_large",
] as const;

export const diagnosticSchema = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  severity: z.enum(["error", "warning"]),
  code: z.enum(DIAGNOSTIC_CODES),
  message: z.string(),
});
export type Diagnostic = z.output<typeof diagnosticSchema>;
export type DiagnosticCode = Diagnostic["code"];

/** Errors block publishing; warnings are shown but do not. */
export function blocksPublishing(diagnostic: Diagnostic): boolean {
  return diagnostic.severity === "error";
}
