/**
 * The graph a user draws: `{schemaVersion, nodes, edges}`. Two schemas share one shape:
 * - the draft schema checks structure only (configs may be half-filled while editing);
 * - the graph schema also requires every config to parse for its kind (publishable shape).
 * Semantic rules (one start, wired exits, limits) live in validate.ts, not in the schemas.
 */
import { z } from "zod";
import {
  EXIT_HANDLES,
  NODE_KINDS,
  type NodeConfig,
  type NodeKind,
  nodeCatalog,
} from "../nodes/index";
import { GRAPH_LIMITS } from "./limits";

export const CURRENT_SCHEMA_VERSION = 2;

/** Ids end up in branch keys (`n3:no>n7:yes`), so they may not contain `:` or `>`. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const ID_RULE = "may only use letters, digits, - and _ (at most 64)";

export const nodeIdSchema = z.string().regex(ID_PATTERN, ID_RULE);
export const edgeIdSchema = z.string().regex(ID_PATTERN, ID_RULE);

export const positionSchema = z.object({ x: z.number(), y: z.number() });
export type Position = z.output<typeof positionSchema>;

export const nodeKindSchema = z.enum(NODE_KINDS);
export const exitHandleSchema = z.enum(EXIT_HANDLES);

export const draftNodeSchema = z.object({
  id: nodeIdSchema,
  kind: nodeKindSchema,
  position: positionSchema,
  config: z.unknown(),
});
export type DraftGraphNode = z.output<typeof draftNodeSchema>;

export const draftEdgeSchema = z.object({
  id: edgeIdSchema,
  source: nodeIdSchema,
  /** Any string here: an exit the source does not have is a validation error, not a parse one. */
  sourceHandle: z.string(),
  target: nodeIdSchema,
});
export type DraftGraphEdge = z.output<typeof draftEdgeSchema>;

const stepCount = `at most ${GRAPH_LIMITS.maxNodes} steps`;
const connectionCount = `at most ${GRAPH_LIMITS.maxEdges} connections`;

/** Parse graphs with parseDraftGraph/parseGraph: they also check the size (limits.ts) first. */
export const draftGraphSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  nodes: z.array(draftNodeSchema).max(GRAPH_LIMITS.maxNodes, stepCount),
  edges: z.array(draftEdgeSchema).max(GRAPH_LIMITS.maxEdges, connectionCount),
});
export type DraftGraph = z.output<typeof draftGraphSchema>;

/** A node whose config type follows its kind: narrowing on `kind` types `config`. */
export type GraphNode = {
  [Kind in NodeKind]: Omit<DraftGraphNode, "kind" | "config"> & {
    kind: Kind;
    config: NodeConfig<Kind>;
  };
}[NodeKind];

export const graphEdgeSchema = draftEdgeSchema.extend({ sourceHandle: exitHandleSchema });
export type GraphEdge = z.output<typeof graphEdgeSchema>;

export const graphNodeSchema = z.discriminatedUnion(
  "kind",
  NODE_KINDS.map((kind) =>
    draftNodeSchema.extend({
      kind: z.literal(kind),
      config: nodeCatalog[kind].configSchema,
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<GraphNode>;

export const graphSchema = z.object({
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  nodes: z.array(graphNodeSchema).max(GRAPH_LIMITS.maxNodes, stepCount),
  edges: z.array(graphEdgeSchema).max(GRAPH_LIMITS.maxEdges, connectionCount),
});

/** A graph whose every node config is valid for its kind. */
export type Graph = z.output<typeof graphSchema>;

/** Anything graph-shaped: branch and version helpers accept drafts and published graphs. */
export type AnyGraph = DraftGraph | Graph;
