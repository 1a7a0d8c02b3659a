/**
 * Branches: the condition exits a lead took to reach a step, e.g. "Not accepted within 7 days ›
 * No reply within 5 days". The engine tags every action and credit with the branch key, so
 * results and InMail spend can be shown per branch.
 *
 * A key is `nodeId:exit` steps joined by `>` (`n3:no>n7:yes`); the main path, before any
 * condition, is the empty key. When a loop brings a lead back to a condition already on its key,
 * the key is cut back to that condition: keys never repeat a step, so they stay bounded.
 */
import { type ExitName, findNodeDefinition, type NodeDescriptor } from "../nodes/index";
import type { AnyGraph } from "./schema";

export const MAIN_BRANCH_KEY = "";
export const MAIN_BRANCH_LABEL = "Main path";
const STEP_SEPARATOR = ">";
const LABEL_SEPARATOR = " › ";

/** Enough for any graph a person draws; the cap only guards against pathological ones. */
export const DEFAULT_MAX_BRANCH_STATES = 5000;

export interface BranchStep {
  nodeId: string;
  exit: string;
}

export interface BranchPath {
  key: string;
  label: string;
  steps: BranchStep[];
}

export function parseBranchKey(key: string): BranchStep[] {
  if (key === MAIN_BRANCH_KEY) return [];
  return key.split(STEP_SEPARATOR).flatMap((part) => {
    const colon = part.lastIndexOf(":");
    if (colon <= 0 || colon === part.length - 1) return [];
    return [{ nodeId: part.slice(0, colon), exit: part.slice(colon + 1) }];
  });
}

export function formatBranchKey(steps: readonly BranchStep[]): string {
  return steps.map((step) => `${step.nodeId}:${step.exit}`).join(STEP_SEPARATOR);
}

/** The key of a lead who was on `parentKey` and left condition `conditionNodeId` by `exit`. */
export function branchKeyAfter(parentKey: string, conditionNodeId: string, exit: string): string {
  const steps = parseBranchKey(parentKey);
  const revisited = steps.findIndex((step) => step.nodeId === conditionNodeId);
  const kept = revisited === -1 ? steps : steps.slice(0, revisited);
  return formatBranchKey([...kept, { nodeId: conditionNodeId, exit }]);
}

function describeStep(graph: AnyGraph, step: BranchStep): string {
  const node = graph.nodes.find((candidate) => candidate.id === step.nodeId);
  const definition = findNodeDefinition(node?.kind);
  if (node === undefined || definition === undefined || !definition.hasExit(step.exit)) {
    // Keys outlive versions: a step removed since still needs a readable label.
    return `Removed step ${step.nodeId} (${step.exit})`;
  }
  return definition.describeExit(node.config, step.exit);
}

/** "Not accepted within 7 days › No reply within 5 days"; "Main path" for the empty key. */
export function labelBranch(graph: AnyGraph, key: string): string {
  const steps = parseBranchKey(key);
  if (steps.length === 0) return MAIN_BRANCH_LABEL;
  return steps.map((step) => describeStep(graph, step)).join(LABEL_SEPARATOR);
}

export interface BranchMap {
  /** Branches reaching each step, in discovery order (shorter first, "yes" before "no"). */
  byNode: Map<string, BranchPath[]>;
  /** True when the graph had more paths than the cap and some branches are missing. */
  truncated: boolean;
}

interface Hop {
  exit: ExitName;
  target: string;
}

/** Outgoing connections per step, in the order the step lists its exits. */
function hopsByNode(graph: AnyGraph, definitions: Map<string, NodeDescriptor>) {
  const hops = new Map<string, Hop[]>();
  for (const [nodeId, definition] of definitions) {
    const list: Hop[] = [];
    for (const exit of definition.exits) {
      for (const edge of graph.edges) {
        if (edge.source !== nodeId || edge.sourceHandle !== exit.handle) continue;
        if (!definitions.has(edge.target)) continue;
        list.push({ exit: exit.handle, target: edge.target });
      }
    }
    hops.set(nodeId, list);
  }
  return hops;
}

/**
 * Walks the graph the way the engine moves leads, as (step, branch key) states. The number of
 * states is finite because keys never repeat a condition, and capped by `maxStates`.
 */
export function branchMap(graph: AnyGraph, options: { maxStates?: number } = {}): BranchMap {
  const maxStates = options.maxStates ?? DEFAULT_MAX_BRANCH_STATES;
  const definitions = new Map<string, NodeDescriptor>();
  for (const node of graph.nodes) {
    const definition = findNodeDefinition(node.kind);
    if (definition !== undefined && !definitions.has(node.id)) definitions.set(node.id, definition);
  }
  const hops = hopsByNode(graph, definitions);
  const labels = new Map<string, string>();
  const byNode = new Map<string, BranchPath[]>();
  const seen = new Set<string>();
  const queue: Array<{ nodeId: string; key: string }> = [];
  let truncated = false;

  const visit = (nodeId: string, key: string) => {
    const state = `${nodeId}|${key}`;
    if (seen.has(state)) return;
    if (seen.size >= maxStates) {
      truncated = true;
      return;
    }
    seen.add(state);
    let label = labels.get(key);
    if (label === undefined) {
      label = labelBranch(graph, key);
      labels.set(key, label);
    }
    const paths = byNode.get(nodeId) ?? [];
    paths.push({ key, label, steps: parseBranchKey(key) });
    byNode.set(nodeId, paths);
    queue.push({ nodeId, key });
  };

  for (const node of graph.nodes) {
    if (node.kind === "start") visit(node.id, MAIN_BRANCH_KEY);
  }
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    const isCondition = definitions.get(state.nodeId)?.engine.isCondition === true;
    for (const hop of hops.get(state.nodeId) ?? []) {
      const key = isCondition ? branchKeyAfter(state.key, state.nodeId, hop.exit) : state.key;
      visit(hop.target, key);
    }
  }
  return { byNode, truncated };
}

/** The branches on which leads can reach a step; empty when no path from Start reaches it. */
export function branchesReaching(
  graph: AnyGraph,
  nodeId: string,
  options: { maxStates?: number } = {},
): BranchPath[] {
  return branchMap(graph, options).byNode.get(nodeId) ?? [];
}
