/**
 * Published versions. Publishing freezes a valid graph with its content hash; enrollments stay
 * pinned to the version they started on. Moving running leads to a new version goes through
 * `mapVersions` (who can stay where they are, who is stranded) and `applyStrandedChoices` (the
 * user's decision for each stranded group). No lead is stranded silently.
 */
import { z } from "zod";
import { canonicalJson, contentHash } from "./canonical";
import { parseGraph } from "./parse";
import type { AnyGraph, Graph } from "./schema";
import { type ValidationOptions, type ValidationResult, validateGraph } from "./validate";

export interface PublishedVersion {
  graph: Readonly<Graph>;
  contentHash: string;
  canonicalJson: string;
}

export type FreezeResult =
  | { ok: true; version: PublishedVersion }
  | { ok: false; validation: ValidationResult };

function deepFreeze<Value>(value: Value): Value {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates and freezes a graph for publishing; refuses when validation finds errors. */
export async function freezeVersion(
  input: unknown,
  options: ValidationOptions = {},
): Promise<FreezeResult> {
  const validation = validateGraph(input, options);
  if (!validation.ok) return { ok: false, validation };
  const parsed = parseGraph(input);
  if (!parsed.ok) {
    // Validation and the schema agree on what is valid; this guards against them drifting.
    throw new Error(`A graph that passed validation failed to parse: ${parsed.message}`);
  }
  // parseGraph returns a fresh copy, so freezing it never freezes the caller's objects.
  const graph = deepFreeze(parsed.graph);
  return {
    ok: true,
    version: { graph, contentHash: await contentHash(graph), canonicalJson: canonicalJson(graph) },
  };
}

export type StrandedReason = "removed" | "kind_changed" | "unknown_node";

export interface StayingGroup {
  nodeId: string;
  count: number;
}

export interface StrandedGroup {
  nodeId: string;
  count: number;
  reason: StrandedReason;
  /** The step's kind in the old version, when it existed there. */
  oldKind: string | null;
  /** The kind under the same id in the new version, when it exists there. */
  newKind: string | null;
}

export interface VersionMapping {
  staying: StayingGroup[];
  stranded: StrandedGroup[];
}

/**
 * Where leads in flight on `oldGraph` (count per step id) go in `newGraph`. A lead stays when
 * its step keeps its id and kind; otherwise its group is stranded until the user chooses.
 */
export function mapVersions(
  oldGraph: AnyGraph,
  newGraph: AnyGraph,
  inFlight: Readonly<Record<string, number>>,
): VersionMapping {
  const oldKinds = new Map<string, string>(oldGraph.nodes.map((node) => [node.id, node.kind]));
  const newKinds = new Map<string, string>(newGraph.nodes.map((node) => [node.id, node.kind]));
  const mapping: VersionMapping = { staying: [], stranded: [] };
  for (const [nodeId, count] of Object.entries(inFlight)) {
    if (!Number.isFinite(count) || count <= 0) continue;
    const oldKind = oldKinds.get(nodeId) ?? null;
    const newKind = newKinds.get(nodeId) ?? null;
    if (oldKind !== null && oldKind === newKind) {
      mapping.staying.push({ nodeId, count });
      continue;
    }
    const reason: StrandedReason =
      oldKind === null ? "unknown_node" : newKind === null ? "removed" : "kind_changed";
    mapping.stranded.push({ nodeId, count, reason, oldKind, newKind });
  }
  return mapping;
}

export const strandedChoiceSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("end") }),
  z.object({ action: z.literal("move"), toNodeId: z.string() }),
]);
export type StrandedChoice = z.output<typeof strandedChoiceSchema>;

export type LeadDestination =
  | { action: "stay"; nodeId: string }
  | { action: "end" }
  | { action: "move"; toNodeId: string };

export interface LeadMove {
  fromNodeId: string;
  count: number;
  to: LeadDestination;
}

export type StrandedChoiceErrorCode =
  | "choice_missing"
  | "choice_invalid"
  | "choice_not_needed"
  | "move_target_missing"
  | "move_target_is_start";

export interface StrandedChoiceError {
  nodeId: string;
  code: StrandedChoiceErrorCode;
  message: string;
}

export type ApplyChoicesResult =
  | { ok: true; moves: LeadMove[] }
  | { ok: false; errors: StrandedChoiceError[] };

/**
 * Turns the mapping and the user's choices (per stranded step id) into one move per group.
 * Refuses the whole plan if any stranded group has no valid choice.
 */
export function applyStrandedChoices(
  mapping: VersionMapping,
  newGraph: AnyGraph,
  choices: Readonly<Record<string, unknown>>,
): ApplyChoicesResult {
  const newKinds = new Map<string, string>(newGraph.nodes.map((node) => [node.id, node.kind]));
  const strandedIds = new Set(mapping.stranded.map((group) => group.nodeId));
  const errors: StrandedChoiceError[] = [];
  const moves: LeadMove[] = mapping.staying.map((group) => ({
    fromNodeId: group.nodeId,
    count: group.count,
    to: { action: "stay", nodeId: group.nodeId },
  }));
  for (const nodeId of Object.keys(choices)) {
    if (strandedIds.has(nodeId)) continue;
    errors.push({
      nodeId,
      code: "choice_not_needed",
      message: `No leads are stranded at step ${nodeId}; the choice was made for a different version.`,
    });
  }
  for (const group of mapping.stranded) {
    const leads = `${group.count} lead${group.count === 1 ? "" : "s"} at step ${group.nodeId}`;
    const raw = Object.hasOwn(choices, group.nodeId) ? choices[group.nodeId] : undefined;
    if (raw === undefined) {
      errors.push({
        nodeId: group.nodeId,
        code: "choice_missing",
        message: `Choose what happens to ${leads}: end their run or move them to another step.`,
      });
      continue;
    }
    const choice = strandedChoiceSchema.safeParse(raw);
    if (!choice.success) {
      errors.push({
        nodeId: group.nodeId,
        code: "choice_invalid",
        message: `The choice for ${leads} is neither “end” nor “move to a step”.`,
      });
      continue;
    }
    if (choice.data.action === "end") {
      moves.push({ fromNodeId: group.nodeId, count: group.count, to: { action: "end" } });
      continue;
    }
    const targetKind = newKinds.get(choice.data.toNodeId);
    if (targetKind === undefined) {
      errors.push({
        nodeId: group.nodeId,
        code: "move_target_missing",
        message: `${leads} cannot move to step ${choice.data.toNodeId}: it is not in the new version.`,
      });
      continue;
    }
    if (targetKind === "start") {
      errors.push({
        nodeId: group.nodeId,
        code: "move_target_is_start",
        message: `${leads} cannot move to Start: that would run the campaign again from the beginning.`,
      });
      continue;
    }
    moves.push({
      fromNodeId: group.nodeId,
      count: group.count,
      to: { action: "move", toNodeId: choice.data.toNodeId },
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, moves };
}
