/**
 * The size of a graph, bounded wherever one comes in (editor, API, file, stored version): every
 * parse and validation checks these first, so no path can hand the server a graph that takes
 * seconds to validate, store or draw. The walk stops at the first limit passed, so even a huge
 * input costs no more than a graph at the limits.
 */

export const GRAPH_LIMITS = {
  /** Steps: nobody draws more, and the canvas and the checks stay quick below it. */
  maxNodes: 500,
  maxEdges: 1000,
  /**
   * The longest text anywhere in a graph. Above LinkedIn's longest (a message, 8,000), so a
   * message that is too long is still a diagnostic pinned to its step rather than a refusal.
   */
  maxTextLength: 10_000,
  /** Levels of nesting; a real graph uses about six (graph, nodes, node, config, variants, variant). */
  maxDepth: 16,
  /** The whole graph, in characters of JSON (about its size in bytes). */
  maxJsonLength: 1_500_000,
} as const;

export type GraphLimitCheck = { ok: true } | { ok: false; message: string };

const tooLarge = (message: string): GraphLimitCheck => ({ ok: false, message });

function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/**
 * Checks an untrusted graph-shaped value against GRAPH_LIMITS without recursion. Anything that
 * is not an object passes: telling what is not a graph is the parser's job.
 */
export function checkGraphLimits(input: unknown): GraphLimitCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: true };
  const { nodes, edges } = input as { nodes?: unknown; edges?: unknown };
  if (Array.isArray(nodes) && nodes.length > GRAPH_LIMITS.maxNodes) {
    return tooLarge(
      `A campaign has at most ${formatCount(GRAPH_LIMITS.maxNodes)} steps; this one has ${formatCount(nodes.length)}.`,
    );
  }
  if (Array.isArray(edges) && edges.length > GRAPH_LIMITS.maxEdges) {
    return tooLarge(
      `A campaign has at most ${formatCount(GRAPH_LIMITS.maxEdges)} connections; this one has ${formatCount(edges.length)}.`,
    );
  }
  let length = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value: input, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof value === "string") {
      if (value.length > GRAPH_LIMITS.maxTextLength) {
        return tooLarge(
          `A text in this campaign has ${formatCount(value.length)} characters; at most ${formatCount(GRAPH_LIMITS.maxTextLength)} are allowed.`,
        );
      }
      length += value.length + 2;
    } else if (typeof value === "object" && value !== null) {
      if (depth >= GRAPH_LIMITS.maxDepth) {
        return tooLarge(
          `This campaign is nested more than ${GRAPH_LIMITS.maxDepth} levels deep: it is not one the editor made.`,
        );
      }
      if (Array.isArray(value)) {
        length += 2 + value.length;
        for (const item of value) stack.push({ value: item, depth: depth + 1 });
      } else {
        for (const [key, item] of Object.entries(value)) {
          length += key.length + 4;
          stack.push({ value: item, depth: depth + 1 });
        }
        length += 2;
      }
    } else {
      length += 8;
    }
    if (length > GRAPH_LIMITS.maxJsonLength) {
      return tooLarge(
        `This campaign is too large: at most about ${formatCount(GRAPH_LIMITS.maxJsonLength / 1000)} kB of steps and texts.`,
      );
    }
  }
  return { ok: true };
}
