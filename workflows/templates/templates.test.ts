import { describe, expect, it } from "vitest";
import { branchesReaching, parseGraph, validateGraph } from "../graph/index";
import { copyStarterGraph, starterTemplates } from "./index";

describe("starter templates", () => {
  it("offers the three starter campaigns", () => {
    expect(starterTemplates.map((template) => template.name)).toEqual([
      "Connect, then follow up",
      "Connect first, InMail those who don't accept",
      "VIP InMail",
    ]);
  });

  it.each(starterTemplates.map((template) => [template.id, template] as const))(
    "%s validates with no errors and no warnings",
    (_, template) => {
      expect(validateGraph(template.graph).diagnostics).toEqual([]);
      expect(parseGraph(template.graph).ok).toBe(true);
    },
  );

  it.each(starterTemplates.map((template) => [template.id, template] as const))(
    "%s lays its steps out top to bottom without overlaps",
    (_, template) => {
      const start = template.graph.nodes.find((node) => node.kind === "start");
      const spots = new Set(template.graph.nodes.map((n) => `${n.position.x},${n.position.y}`));
      expect(start?.position.y).toBe(0);
      expect(spots.size).toBe(template.graph.nodes.length);
      for (const edge of template.graph.edges) {
        const source = template.graph.nodes.find((node) => node.id === edge.source);
        const target = template.graph.nodes.find((node) => node.id === edge.target);
        expect(target!.position.y).toBeGreaterThan(source!.position.y);
      }
    },
  );

  it("sends InMails in the second template only to leads who did not accept", () => {
    const graph = copyStarterGraph("connect-then-inmail")!;
    expect(branchesReaching(graph, "inmail").map((path) => path.label)).toEqual([
      "Not accepted within 7 days",
    ]);
  });

  it("gives out copies, so editing one never changes the template", () => {
    const copy = copyStarterGraph("vip-inmail")!;
    copy.nodes.pop();
    expect(copyStarterGraph("vip-inmail")!.nodes).toHaveLength(copy.nodes.length + 1);
    expect(copyStarterGraph("no-such-template")).toBeUndefined();
  });
});
