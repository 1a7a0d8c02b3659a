/**
 * Upgrades stored graphs to the current schema version, one version step at a time.
 *
 * Version 1 (the first editor) stored nodes as `{id, type, position, data}`; edges had no
 * `sourceHandle` when they left a step's only exit; a wait was `{days}` and conditions were
 * `{days}`. Version 2 renamed `type` to `kind` and `data` to `config`, names every exit, gives
 * waits a unit and working-day option, and calls the condition window `withinDays`.
 * A graph without `schemaVersion` is a version 1 graph (version 1 did not write the field).
 */
import { checkGraphLimits } from "./limits";
import { CURRENT_SCHEMA_VERSION } from "./schema";

type JsonObject = Record<string, unknown>;

export type MigrationResult =
  | { ok: true; graph: JsonObject; fromVersion: number }
  | {
      ok: false;
      code: "not_a_graph" | "unsupported_schema_version" | "graph_too_large";
      message: string;
    };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function migrateConfigV1(kind: unknown, data: unknown): unknown {
  if (kind === "start" && (data === undefined || (isJsonObject(data) && !("leads" in data)))) {
    return { leads: "all_enrolled" };
  }
  if (!isJsonObject(data)) return data ?? {};
  if (kind === "wait" && "days" in data && !("amount" in data)) {
    const { days, ...rest } = data;
    return { ...rest, amount: days, unit: "days", workingDaysOnly: false };
  }
  if (
    (kind === "if_accepted" || kind === "if_replied") &&
    "days" in data &&
    !("withinDays" in data)
  ) {
    const { days, ...rest } = data;
    return { ...rest, withinDays: days };
  }
  return data;
}

function migrateNodeV1(node: unknown): unknown {
  if (!isJsonObject(node)) return node;
  const { type, data, ...rest } = node;
  const kind = "kind" in rest ? rest.kind : type;
  const config = "config" in rest ? rest.config : migrateConfigV1(kind, data);
  return { ...rest, kind, config };
}

function migrateEdgeV1(edge: unknown): unknown {
  if (!isJsonObject(edge)) return edge;
  const handle = edge.sourceHandle;
  return handle === undefined || handle === null || handle === ""
    ? { ...edge, sourceHandle: "next" }
    : edge;
}

const MIGRATIONS: ReadonlyMap<number, (graph: JsonObject) => JsonObject> = new Map([
  [
    1,
    (graph: JsonObject): JsonObject => ({
      ...graph,
      schemaVersion: 2,
      nodes: Array.isArray(graph.nodes) ? graph.nodes.map(migrateNodeV1) : graph.nodes,
      edges: Array.isArray(graph.edges) ? graph.edges.map(migrateEdgeV1) : graph.edges,
    }),
  ],
]);

function describeVersion(value: unknown): string {
  return typeof value === "number" || typeof value === "string"
    ? `"${String(value).slice(0, 20)}"`
    : `of type ${value === null ? "null" : typeof value}`;
}

/**
 * Never throws: anything that is not a graph, or is beyond GRAPH_LIMITS, comes back as
 * `ok: false` with a reason.
 */
export function migrateGraph(input: unknown): MigrationResult {
  if (!isJsonObject(input)) {
    return {
      ok: false,
      code: "not_a_graph",
      message: "This is not a campaign graph: expected an object with “nodes” and “edges”.",
    };
  }
  // Before anything walks it: every parse and validation of a graph goes through here.
  const limits = checkGraphLimits(input);
  if (!limits.ok) return { ok: false, code: "graph_too_large", message: limits.message };
  const declared = input.schemaVersion;
  const fromVersion = declared === undefined ? 1 : declared;
  if (
    typeof fromVersion !== "number" ||
    !Number.isInteger(fromVersion) ||
    fromVersion < 1 ||
    fromVersion > CURRENT_SCHEMA_VERSION
  ) {
    return {
      ok: false,
      code: "unsupported_schema_version",
      message: `This graph has schema version ${describeVersion(declared)}; this version of Outflow reads versions 1 to ${CURRENT_SCHEMA_VERSION}.`,
    };
  }
  let graph = input;
  for (let version = fromVersion; version < CURRENT_SCHEMA_VERSION; version += 1) {
    const step = MIGRATIONS.get(version);
    if (step === undefined) throw new Error(`No migration from schema version ${version}`);
    graph = step(graph);
  }
  if (!Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) {
    return {
      ok: false,
      code: "not_a_graph",
      message: "This is not a campaign graph: “nodes” and “edges” must both be lists.",
    };
  }
  return { ok: true, graph, fromVersion };
}
