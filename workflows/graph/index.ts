export type { BranchMap, BranchPath, BranchStep } from "./branches";
export {
  branchesReaching,
  branchKeyAfter,
  branchMap,
  DEFAULT_MAX_BRANCH_STATES,
  formatBranchKey,
  labelBranch,
  MAIN_BRANCH_KEY,
  MAIN_BRANCH_LABEL,
  parseBranchKey,
} from "./branches";
export { buildGraph, GraphBuilder, LAYOUT_ROW_HEIGHT } from "./builder";
export { canonicalJson, contentHash } from "./canonical";
export type { Diagnostic, DiagnosticCode } from "./diagnostics";
export {
  blocksPublishing,
  DIAGNOSTIC_CODES,
  diagnosticSchema,
  GRAPH_DIAGNOSTIC_CODES,
  UNREADABLE_GRAPH_CODES,
} from "./diagnostics";
export type { GraphLimitCheck } from "./limits";
export { checkGraphLimits, GRAPH_LIMITS } from "./limits";
export type { MigrationResult } from "./migrate";
export { migrateGraph } from "./migrate";
export type { ParseResult } from "./parse";
export { parseDraftGraph, parseGraph } from "./parse";
export type {
  AnyGraph,
  DraftGraph,
  DraftGraphEdge,
  DraftGraphNode,
  Graph,
  GraphEdge,
  GraphNode,
  Position,
} from "./schema";
export {
  CURRENT_SCHEMA_VERSION,
  draftGraphSchema,
  graphEdgeSchema,
  graphNodeSchema,
  graphSchema,
} from "./schema";
export type { ValidationOptions, ValidationResult } from "./validate";
export { validateGraph } from "./validate";
export type {
  ApplyChoicesResult,
  FreezeResult,
  LeadDestination,
  LeadMove,
  PublishedVersion,
  StayingGroup,
  StrandedChoice,
  StrandedChoiceError,
  StrandedChoiceErrorCode,
  StrandedGroup,
  StrandedReason,
  VersionMapping,
} from "./versions";
export { applyStrandedChoices, freezeVersion, mapVersions, strandedChoiceSchema } from "./versions";
