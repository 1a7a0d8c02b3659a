import { describe, expect, it } from "vitest";
import { checkGraphLimits, GRAPH_LIMITS } from "./limits";
import { parseDraftGraph, parseGraph } from "./parse";
import { validateGraph } from "./validate";

function chain(steps: number, config: unknown = {}) {
  const nodes: unknown[] = [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, config: { leads: "all_enrolled" } },
  ];
  const edges: unknown[] = [];
  for (let i = 0; i < steps; i++) {
    nodes.push({ id: `v${i}`, kind: "visit", position: { x: 0, y: i }, config });
    edges.push({
      id: `e${i}`,
      source: i ? `v${i - 1}` : "start",
      sourceHandle: "next",
      target: `v${i}`,
    });
  }
  return { schemaVersion: 2, nodes, edges };
}

describe("graph limits", () => {
  it("are enforced by every parse and by validation, whatever the path", () => {
    const huge = chain(50_000);
    for (const result of [parseDraftGraph(huge), parseGraph(huge)]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain("at most 500 steps");
    }
    const validation = validateGraph(huge);
    expect(validation.ok).toBe(false);
    expect(validation.isGraph).toBe(false);
    expect(validation.errors.map((error) => error.code)).toEqual(["graph_too_large"]);
    // A version 1 graph (no schemaVersion) is checked before it is upgraded.
    const v1 = { nodes: huge.nodes, edges: huge.edges };
    expect(parseDraftGraph(v1).ok).toBe(false);
  });

  it("accept a graph at the limits", () => {
    expect(checkGraphLimits(chain(GRAPH_LIMITS.maxNodes - 1)).ok).toBe(true);
    expect(parseDraftGraph(chain(GRAPH_LIMITS.maxNodes - 1)).ok).toBe(true);
  });

  it("bound edges, text length, nesting and total size", () => {
    const edges = chain(10);
    edges.edges = Array.from({ length: GRAPH_LIMITS.maxEdges + 1 }, (_, i) => ({ id: `x${i}` }));
    expect(checkGraphLimits(edges)).toMatchObject({ ok: false });
    expect(
      checkGraphLimits(chain(1, { note: "x".repeat(GRAPH_LIMITS.maxTextLength + 1) })),
    ).toEqual({ ok: false, message: expect.stringContaining("characters") });
    let deep: unknown = {};
    for (let i = 0; i < 1000; i++) deep = { deep };
    expect(checkGraphLimits(chain(1, deep))).toMatchObject({
      ok: false,
      message: expect.stringContaining("levels deep"),
    });
    const texts = Array.from({ length: 400 }, () => "y".repeat(GRAPH_LIMITS.maxTextLength - 10));
    expect(checkGraphLimits(chain(1, { texts }))).toMatchObject({
      ok: false,
      message: expect.stringContaining("too large"),
    });
  });
});
