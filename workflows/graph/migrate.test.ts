import { describe, expect, it } from "vitest";
import { buildGraph } from "./builder";
import { migrateGraph } from "./migrate";
import { parseDraftGraph, parseGraph } from "./parse";

const v1Graph = {
  schemaVersion: 1,
  nodes: [
    { id: "s", type: "start", position: { x: 0, y: 0 } },
    { id: "w", type: "wait", position: { x: 0, y: 200 }, data: { days: 3 } },
    {
      id: "c",
      type: "connect",
      position: { x: 0, y: 400 },
      data: { noteVariants: [], skipIfConnected: true },
    },
    { id: "a", type: "if_accepted", position: { x: 0, y: 600 }, data: { days: 7 } },
    { id: "e", type: "end", position: { x: 0, y: 800 }, data: { outcome: "done" } },
  ],
  edges: [
    { id: "e1", source: "s", target: "w" },
    { id: "e2", source: "w", target: "c", sourceHandle: null },
    { id: "e3", source: "c", target: "a" },
    { id: "e4", source: "a", sourceHandle: "yes", target: "e" },
    { id: "e5", source: "a", sourceHandle: "no", target: "e" },
  ],
};

describe("schema migration", () => {
  it("upgrades version 1: kind, config, named exits, wait units and condition windows", () => {
    const result = migrateGraph(v1Graph);
    if (!result.ok) throw new Error(result.message);
    expect(result.fromVersion).toBe(1);
    expect(result.graph).toEqual({
      schemaVersion: 2,
      nodes: [
        { id: "s", kind: "start", position: { x: 0, y: 0 }, config: { leads: "all_enrolled" } },
        {
          id: "w",
          kind: "wait",
          position: { x: 0, y: 200 },
          config: { amount: 3, unit: "days", workingDaysOnly: false },
        },
        {
          id: "c",
          kind: "connect",
          position: { x: 0, y: 400 },
          config: { noteVariants: [], skipIfConnected: true },
        },
        { id: "a", kind: "if_accepted", position: { x: 0, y: 600 }, config: { withinDays: 7 } },
        { id: "e", kind: "end", position: { x: 0, y: 800 }, config: { outcome: "done" } },
      ],
      edges: [
        { id: "e1", source: "s", target: "w", sourceHandle: "next" },
        { id: "e2", source: "w", target: "c", sourceHandle: "next" },
        { id: "e3", source: "c", target: "a", sourceHandle: "next" },
        { id: "e4", source: "a", sourceHandle: "yes", target: "e" },
        { id: "e5", source: "a", sourceHandle: "no", target: "e" },
      ],
    });
  });

  it("treats a graph without a schema version as version 1", () => {
    const { schemaVersion: _, ...unversioned } = v1Graph;
    expect(migrateGraph(unversioned)).toMatchObject({ ok: true, fromVersion: 1 });
  });

  it("leaves a current graph as it is", () => {
    const graph = buildGraph().node("s", "start").build();
    expect(migrateGraph(graph)).toEqual({ ok: true, graph, fromVersion: 2 });
  });

  it("refuses versions it does not know", () => {
    expect(migrateGraph({ schemaVersion: 0, nodes: [], edges: [] })).toMatchObject({
      ok: false,
      code: "unsupported_schema_version",
    });
    expect(migrateGraph({ schemaVersion: 2.5, nodes: [], edges: [] })).toMatchObject({
      ok: false,
      code: "unsupported_schema_version",
    });
  });
});

describe("parsing graphs", () => {
  it("returns a typed graph from a version 1 file and says it migrated it", () => {
    const result = parseGraph(v1Graph);
    if (!result.ok) throw new Error(result.message);
    expect(result.migratedFrom).toBe(1);
    const wait = result.graph.nodes.find((node) => node.kind === "wait");
    expect(wait?.kind === "wait" ? wait.config.amount : null).toBe(3);
  });

  it("refuses a graph whose step config is invalid, naming the field", () => {
    const graph = buildGraph().node("w", "wait").build();
    (graph.nodes[0]!.config as { amount: number }).amount = 0;
    const result = parseGraph(graph);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toContain("amount");
  });

  it("accepts an unfinished config in a draft", () => {
    const graph = buildGraph().node("w", "wait").build();
    (graph.nodes[0] as { config: unknown }).config = { amount: "" };
    expect(parseDraftGraph(graph)).toMatchObject({ ok: true, migratedFrom: null });
  });

  it("refuses a draft with an unknown kind or an unreadable shape", () => {
    expect(
      parseDraftGraph({ schemaVersion: 2, nodes: [{ id: "x", kind: "teleport" }], edges: [] }).ok,
    ).toBe(false);
    expect(parseDraftGraph("graph")).toEqual({
      ok: false,
      message: "This is not a campaign graph: expected an object with “nodes” and “edges”.",
    });
  });
});
