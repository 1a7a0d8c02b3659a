/**
 * Validation of a graph from any source (editor, API, file). It reads the input defensively,
 * never throws, and reports every problem it finds as a diagnostic the canvas can pin to a step
 * or connection. Errors block publishing; warnings do not.
 */
import {
  type ExitName,
  findNodeDefinition,
  type LongestValues,
  type NodeCheckContext,
  type NodeDescriptor,
  PATH_FACTS,
  type PathFact,
} from "../nodes/index";
import { blocksPublishing, type Diagnostic } from "./diagnostics";
import { isJsonObject, migrateGraph } from "./migrate";
import { ID_PATTERN, positionSchema } from "./schema";

export interface ValidationOptions {
  /** Custom field names leads have; when absent any `{{custom.x}}` is accepted. */
  knownCustomFields?: readonly string[];
  /** Longest plausible value per template variable, for worst-case length checks. */
  longestValues?: Partial<LongestValues>;
}

export interface ValidationResult {
  diagnostics: Diagnostic[];
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** No errors: the graph may be published. */
  ok: boolean;
  /** False when the input could not be read as a graph at all (wrong shape or version). */
  isGraph: boolean;
}

interface CheckedNode {
  id: string;
  definition: NodeDescriptor;
  config: unknown;
}

interface CheckedEdge {
  id: string;
  source: string;
  handle: ExitName;
  target: string;
}

/** What the wiring checks hand to the path checks. */
interface Wiring {
  nodes: Map<string, CheckedNode>;
  /** Edges that passed every check, one per exit; the graph the path checks walk. */
  edges: CheckedEdge[];
  /** `${nodeId}:${handle}` of every exit that has a connection, even a faulty one. */
  wiredExits: Set<string>;
}

export function validateGraph(input: unknown, options: ValidationOptions = {}): ValidationResult {
  const migration = migrateGraph(input);
  if (!migration.ok) {
    return summarise(
      [{ severity: "error", code: migration.code, message: migration.message }],
      false,
    );
  }
  const diagnostics: Diagnostic[] = [];
  const context: NodeCheckContext = { template: options };
  const rawNodes = migration.graph.nodes as unknown[];
  const rawEdges = migration.graph.edges as unknown[];
  const { nodes, allIds } = checkNodes(rawNodes, context, diagnostics);
  const wiring = checkEdges(rawEdges, nodes, allIds, diagnostics);
  const starts = checkStart(nodes, diagnostics);
  if (starts.length > 0) checkReachability(wiring, starts, diagnostics);
  checkOpenExits(wiring, diagnostics);
  checkCyclesWithoutWait(wiring, diagnostics);
  if (starts.length > 0) checkPathExpectations(wiring, starts, diagnostics);
  return summarise(diagnostics, true);
}

function summarise(diagnostics: Diagnostic[], isGraph: boolean): ValidationResult {
  const errors = diagnostics.filter(blocksPublishing);
  const warnings = diagnostics.filter((diagnostic) => !blocksPublishing(diagnostic));
  return { diagnostics, errors, warnings, ok: errors.length === 0, isGraph };
}

/** A value from untrusted JSON, safe to put in a message (objects may lack `toString`). */
function describeValue(value: unknown): string {
  if (typeof value === "string") return `“${value.length > 40 ? `${value.slice(0, 40)}…` : value}”`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return value === null ? "null" : `a value of type ${typeof value}`;
}

function nameOf(node: CheckedNode): string {
  return `${node.definition.label} (${node.id})`;
}

function checkNodes(rawNodes: unknown[], context: NodeCheckContext, diagnostics: Diagnostic[]) {
  const nodes = new Map<string, CheckedNode>();
  /** Ids of every node with a readable id, usable or not: edges to them are not "unknown". */
  const allIds = new Set<string>();
  rawNodes.forEach((raw, index) => {
    const position = `Step #${index + 1}`;
    if (!isJsonObject(raw)) {
      diagnostics.push({
        severity: "error",
        code: "invalid_node",
        message: `${position} is ${describeValue(raw)}, not a step.`,
      });
      return;
    }
    const { id, kind } = raw;
    if (typeof id !== "string" || !ID_PATTERN.test(id)) {
      diagnostics.push({
        severity: "error",
        code: "invalid_node",
        ...(typeof id === "string" ? { nodeId: id } : {}),
        message:
          typeof id === "string"
            ? `${position} has the id ${describeValue(id)}; ids may only use letters, digits, - and _ (at most 64).`
            : `${position} has no id.`,
      });
      return;
    }
    if (allIds.has(id)) {
      diagnostics.push({
        severity: "error",
        code: "duplicate_node_id",
        nodeId: id,
        message: `Two steps have the id “${id}”; every step needs its own id.`,
      });
      return;
    }
    allIds.add(id);
    const definition = findNodeDefinition(kind);
    if (definition === undefined) {
      diagnostics.push({
        severity: "error",
        code: "unknown_node_kind",
        nodeId: id,
        message:
          kind === undefined
            ? "This step has no kind (Connect, Message, Wait…)."
            : `This step's kind ${describeValue(kind)} is not one Outflow knows.`,
      });
      return;
    }
    if (!positionSchema.safeParse(raw.position).success) {
      diagnostics.push({
        severity: "error",
        code: "invalid_node",
        nodeId: id,
        message: "This step has no valid position on the canvas (x and y numbers).",
      });
    }
    const check = definition.checkConfig(raw.config, context);
    for (const issue of check.issues) diagnostics.push({ nodeId: id, ...issue });
    nodes.set(id, { id, definition, config: raw.config });
  });
  return { nodes, allIds };
}

function describeExits(definition: NodeDescriptor): string {
  if (definition.exits.length === 0) return `${definition.label} steps have no exits`;
  const exits = definition.exits.map((exit) => `“${exit.handle}” (${exit.label})`).join(", ");
  return `${definition.label} steps have ${definition.exits.length === 1 ? "the exit" : "the exits"} ${exits}`;
}

function checkEdges(
  rawEdges: unknown[],
  nodes: Map<string, CheckedNode>,
  allIds: Set<string>,
  diagnostics: Diagnostic[],
): Wiring {
  const edges: CheckedEdge[] = [];
  const wiredExits = new Set<string>();
  const seenIds = new Set<string>();
  rawEdges.forEach((raw, index) => {
    const position = `Connection #${index + 1}`;
    if (!isJsonObject(raw)) {
      diagnostics.push({
        severity: "error",
        code: "invalid_edge",
        message: `${position} is ${describeValue(raw)}, not a connection.`,
      });
      return;
    }
    const { id, source, target, sourceHandle } = raw;
    if (typeof id !== "string" || !ID_PATTERN.test(id)) {
      diagnostics.push({
        severity: "error",
        code: "invalid_edge",
        ...(typeof id === "string" ? { edgeId: id } : {}),
        message:
          typeof id === "string"
            ? `${position} has the id ${describeValue(id)}; ids may only use letters, digits, - and _ (at most 64).`
            : `${position} has no id.`,
      });
      return;
    }
    if (seenIds.has(id)) {
      diagnostics.push({
        severity: "error",
        code: "duplicate_edge_id",
        edgeId: id,
        message: `Two connections have the id “${id}”; every connection needs its own id.`,
      });
      return;
    }
    seenIds.add(id);
    if (typeof source !== "string" || typeof target !== "string") {
      diagnostics.push({
        severity: "error",
        code: "invalid_edge",
        edgeId: id,
        message: "This connection does not say which steps it joins (source and target).",
      });
      return;
    }
    let broken = false;
    if (!allIds.has(source)) {
      broken = true;
      diagnostics.push({
        severity: "error",
        code: "edge_unknown_source",
        edgeId: id,
        message: `This connection starts at a step that does not exist (${describeValue(source)}).`,
      });
    }
    if (!allIds.has(target)) {
      broken = true;
      diagnostics.push({
        severity: "error",
        code: "edge_unknown_target",
        edgeId: id,
        message: `This connection leads to a step that does not exist (${describeValue(target)}).`,
      });
    }
    const sourceNode = nodes.get(source);
    // A source with an unusable kind was reported on the step itself.
    if (sourceNode === undefined) return;
    if (!sourceNode.definition.hasExit(sourceHandle)) {
      diagnostics.push({
        severity: "error",
        code: "edge_unknown_handle",
        edgeId: id,
        nodeId: source,
        message: `This connection leaves ${nameOf(sourceNode)} by ${sourceHandle === undefined ? "no exit" : `the exit ${describeValue(sourceHandle)}`}, but ${describeExits(sourceNode.definition)}.`,
      });
      return;
    }
    const exitKey = `${source}:${sourceHandle}`;
    if (wiredExits.has(exitKey)) {
      const exitLabel = sourceNode.definition.exits.find((exit) => exit.handle === sourceHandle);
      diagnostics.push({
        severity: "error",
        code: "duplicate_exit_edge",
        edgeId: id,
        nodeId: source,
        message: `The “${exitLabel?.label ?? sourceHandle}” exit of ${nameOf(sourceNode)} already has a connection; an exit leads to one step only.`,
      });
      return;
    }
    wiredExits.add(exitKey);
    if (source === target) {
      broken = true;
      diagnostics.push({
        severity: "error",
        code: "self_loop",
        edgeId: id,
        nodeId: source,
        message: `This connection leads from ${nameOf(sourceNode)} back to itself.`,
      });
    }
    const targetNode = nodes.get(target);
    if (targetNode?.definition.kind === "start") {
      broken = true;
      diagnostics.push({
        severity: "error",
        code: "edge_into_start",
        edgeId: id,
        nodeId: target,
        message: "Nothing can lead into Start; leads enter the campaign there.",
      });
    }
    if (!broken && targetNode !== undefined) {
      edges.push({ id, source, handle: sourceHandle, target });
    }
  });
  return { nodes, edges, wiredExits };
}

function checkStart(nodes: Map<string, CheckedNode>, diagnostics: Diagnostic[]): string[] {
  const starts = [...nodes.values()].filter((node) => node.definition.kind === "start");
  if (starts.length === 0) {
    diagnostics.push({
      severity: "error",
      code: "missing_start",
      message: "The campaign has no Start step, so no lead can enter it.",
    });
  }
  for (const extra of starts.slice(1)) {
    diagnostics.push({
      severity: "error",
      code: "multiple_starts",
      nodeId: extra.id,
      message: "A campaign has exactly one Start step; remove this one.",
    });
  }
  return starts.map((start) => start.id);
}

function outgoing(edges: readonly CheckedEdge[]): Map<string, CheckedEdge[]> {
  const bySource = new Map<string, CheckedEdge[]>();
  for (const edge of edges) {
    const list = bySource.get(edge.source) ?? [];
    list.push(edge);
    bySource.set(edge.source, list);
  }
  return bySource;
}

function checkReachability(wiring: Wiring, starts: string[], diagnostics: Diagnostic[]) {
  const bySource = outgoing(wiring.edges);
  const reached = new Set<string>(starts);
  const queue = [...starts];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const edge of bySource.get(next) ?? []) {
      if (reached.has(edge.target)) continue;
      reached.add(edge.target);
      queue.push(edge.target);
    }
  }
  for (const node of wiring.nodes.values()) {
    if (reached.has(node.id)) continue;
    diagnostics.push({
      severity: "error",
      code: "unreachable_node",
      nodeId: node.id,
      message: "No path from Start leads to this step, so no lead will ever reach it.",
    });
  }
}

function checkOpenExits(wiring: Wiring, diagnostics: Diagnostic[]) {
  for (const node of wiring.nodes.values()) {
    for (const exit of node.definition.exits) {
      if (wiring.wiredExits.has(`${node.id}:${exit.handle}`)) continue;
      const which = node.definition.exits.length === 1 ? "This step" : `The “${exit.label}” exit`;
      diagnostics.push({
        severity: "error",
        code: "open_exit",
        nodeId: node.id,
        message: `${which} leads nowhere. Connect it to the next step, or to an End step to finish there.`,
      });
    }
  }
}

/**
 * A loop is fine only if it passes through a Wait: otherwise a lead would go round at once,
 * repeating actions. Finds strongly connected components of the graph without wait steps.
 */
function checkCyclesWithoutWait(wiring: Wiring, diagnostics: Diagnostic[]) {
  const isWait = (id: string) => wiring.nodes.get(id)?.definition.engine.isWait === true;
  const successors = new Map<string, string[]>();
  for (const edge of wiring.edges) {
    if (isWait(edge.source) || isWait(edge.target)) continue;
    const list = successors.get(edge.source) ?? [];
    list.push(edge.target);
    successors.set(edge.source, list);
  }
  const order = [...wiring.nodes.keys()];
  for (const component of stronglyConnectedComponents(order, successors)) {
    if (component.length < 2) continue;
    const members = order.filter((id) => component.includes(id));
    const first = members[0];
    if (first === undefined) continue;
    const names = members.map((id) => {
      const node = wiring.nodes.get(id);
      return node === undefined ? id : nameOf(node);
    });
    diagnostics.push({
      severity: "error",
      code: "cycle_without_wait",
      nodeId: first,
      message: `These steps form a loop with no Wait: ${names.join(" → ")}. Leads would go round without pause; add a Wait step inside the loop.`,
    });
  }
}

/** Tarjan's algorithm, iterative so a long chain of steps cannot overflow the stack. */
export function stronglyConnectedComponents(
  vertices: readonly string[],
  successors: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of vertices) {
    if (indexOf.has(root)) continue;
    const work: Array<{ vertex: string; next: number }> = [{ vertex: root, next: 0 }];
    indexOf.set(root, counter);
    lowLink.set(root, counter);
    counter += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const children = successors.get(frame.vertex) ?? [];
      if (frame.next < children.length) {
        const child = children[frame.next]!;
        frame.next += 1;
        if (!indexOf.has(child)) {
          indexOf.set(child, counter);
          lowLink.set(child, counter);
          counter += 1;
          stack.push(child);
          onStack.add(child);
          work.push({ vertex: child, next: 0 });
        } else if (onStack.has(child)) {
          lowLink.set(frame.vertex, Math.min(lowLink.get(frame.vertex)!, indexOf.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        lowLink.set(
          parent.vertex,
          Math.min(lowLink.get(parent.vertex)!, lowLink.get(frame.vertex)!),
        );
      }
      if (lowLink.get(frame.vertex) === indexOf.get(frame.vertex)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.vertex);
        components.push(component);
      }
    }
  }
  return components;
}

const FACT_BITS: Readonly<Record<PathFact, number>> = Object.fromEntries(
  PATH_FACTS.map((fact, index) => [fact, 1 << index]),
) as Record<PathFact, number>;

/**
 * Propagates what is known about a lead (invited, connected, contacted) along every path from
 * Start, then lets each step check its expectations: a reply check needs something sent before
 * it on every path, a message wants a connection, an InMail does not.
 */
function checkPathExpectations(wiring: Wiring, starts: string[], diagnostics: Diagnostic[]) {
  const bySource = outgoing(wiring.edges);
  /** Per node, every combination of facts (as a bit set) some path brings. */
  const arriving = new Map<string, Set<number>>(starts.map((id) => [id, new Set([0])]));
  const effectBits = new Map<string, Partial<Record<ExitName, number>>>();
  for (const node of wiring.nodes.values()) {
    const effects = node.definition.effectsOf(node.config);
    const bits: Partial<Record<ExitName, number>> = {};
    for (const [handle, facts] of Object.entries(effects) as [ExitName, PathFact[]][]) {
      bits[handle] = facts.reduce((mask, fact) => mask | FACT_BITS[fact], 0);
    }
    effectBits.set(node.id, bits);
  }
  // At most 2^facts states per node, so this worklist ends even when the graph has loops.
  const queue: Array<[string, number]> = starts.map((id) => [id, 0]);
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const [nodeId, state] = item;
    for (const edge of bySource.get(nodeId) ?? []) {
      const nextState = state | (effectBits.get(nodeId)?.[edge.handle] ?? 0);
      const states = arriving.get(edge.target) ?? new Set<number>();
      if (states.has(nextState)) continue;
      states.add(nextState);
      arriving.set(edge.target, states);
      queue.push([edge.target, nextState]);
    }
  }
  for (const node of wiring.nodes.values()) {
    const states = arriving.get(node.id);
    if (states === undefined) continue;
    for (const expectation of node.definition.pathExpectations ?? []) {
      const bit = FACT_BITS[expectation.fact];
      const raised = [...states].some((state) =>
        expectation.raisedWhen === "may_be_missing" ? (state & bit) === 0 : (state & bit) !== 0,
      );
      if (!raised) continue;
      diagnostics.push({
        severity: expectation.severity,
        code: expectation.code,
        nodeId: node.id,
        message: expectation.message,
      });
    }
  }
}
