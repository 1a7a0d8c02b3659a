import { describe, expect, it } from "vitest";
import { buildGraph } from "./builder";
import type { Graph } from "./schema";
import { type ValidationOptions, validateGraph } from "./validate";

const note = (text: string) => ({ noteVariants: [{ id: "a", weight: 1, text }] });
const message = (text: string) => ({ variants: [{ id: "a", weight: 1, text }] });
const inmail = (body: string) => ({
  variants: [{ id: "a", weight: 1, subject: "Quick question", body }],
});

/** start → connect (note) → if accepted: yes → message → wait → if replied → ends; no → end. */
function followUpGraph() {
  return buildGraph()
    .node("start", "start")
    .node("connect", "connect", note("Hi {{firstName|there}}, glad to connect."))
    .node("accepted", "if_accepted", { withinDays: 7 })
    .node("message", "message", message("Thanks for connecting, {{firstName|there}}!"))
    .node("wait", "wait", { amount: 3, unit: "days", workingDaysOnly: false })
    .node("replied", "if_replied", { withinDays: 5 })
    .node("end-replied", "end", { outcome: "replied" })
    .node("end-quiet", "end", { outcome: "no answer" })
    .chain("start", "connect", "accepted")
    .edge("accepted", "yes", "message")
    .edge("accepted", "no", "end-quiet")
    .chain("message", "wait", "replied")
    .edge("replied", "yes", "end-replied")
    .edge("replied", "no", "end-quiet");
}

/** A JSON copy that tests may break in ways the types forbid. */
function editable(graph: Graph) {
  return structuredClone(graph) as unknown as {
    schemaVersion: unknown;
    nodes: Array<Record<string, unknown>>;
    edges: Array<Record<string, unknown>>;
  };
}

function nodeIn(graph: ReturnType<typeof editable>, id: string) {
  const node = graph.nodes.find((candidate) => candidate.id === id);
  if (node === undefined) throw new Error(`test graph has no node ${id}`);
  return node;
}

function withoutEdge(graph: ReturnType<typeof editable>, id: string) {
  graph.edges = graph.edges.filter((edge) => edge.id !== id);
  return graph;
}

const codes = (input: unknown, options?: ValidationOptions) =>
  validateGraph(input, options).diagnostics.map((diagnostic) => diagnostic.code);

describe("graph shape", () => {
  it("accepts a complete follow-up campaign with no diagnostics", () => {
    expect(codes(followUpGraph().build())).toEqual([]);
  });

  it("refuses input that is not an object as not a graph", () => {
    for (const input of [null, [], "graph", 42, undefined]) {
      const result = validateGraph(input);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["not_a_graph"]);
      expect(result.isGraph).toBe(false);
    }
  });

  it("refuses an object without node and edge lists as not a graph", () => {
    expect(codes({ schemaVersion: 2, nodes: [] })).toEqual(["not_a_graph"]);
    expect(codes({ schemaVersion: 2, nodes: {}, edges: [] })).toEqual(["not_a_graph"]);
  });

  it("refuses a schema version from the future or of the wrong type", () => {
    expect(codes({ schemaVersion: 3, nodes: [], edges: [] })).toEqual([
      "unsupported_schema_version",
    ]);
    expect(codes({ schemaVersion: "2", nodes: [], edges: [] })).toEqual([
      "unsupported_schema_version",
    ]);
  });

  it("migrates and accepts a version 1 graph", () => {
    const v1 = {
      schemaVersion: 1,
      nodes: [
        { id: "s", type: "start", position: { x: 0, y: 0 } },
        { id: "v", type: "visit", position: { x: 0, y: 200 }, data: {} },
        { id: "w", type: "wait", position: { x: 0, y: 400 }, data: { days: 2 } },
        { id: "e", type: "end", position: { x: 0, y: 600 }, data: { outcome: "done" } },
      ],
      edges: [
        { id: "e1", source: "s", target: "v" },
        { id: "e2", source: "v", target: "w" },
        { id: "e3", source: "w", target: "e" },
      ],
    };
    expect(codes(v1)).toEqual([]);
  });

  it("reports steps that are not objects or have no usable id", () => {
    const graph = editable(followUpGraph().build());
    graph.nodes.push("oops" as never, { kind: "visit", position: { x: 0, y: 0 }, config: {} });
    expect(codes(graph)).toEqual(["invalid_node", "invalid_node"]);
  });

  it("reports an id with characters that would break branch keys", () => {
    const graph = editable(followUpGraph().build());
    graph.nodes.push({ id: "a:b", kind: "visit", position: { x: 0, y: 0 }, config: {} });
    expect(validateGraph(graph).diagnostics).toMatchObject([
      { code: "invalid_node", nodeId: "a:b" },
    ]);
  });

  it("reports a step without a valid position, pinned to that step", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "wait").position = { x: "left" };
    expect(validateGraph(graph).diagnostics).toMatchObject([
      { code: "invalid_node", nodeId: "wait" },
    ]);
  });

  it("reports two steps sharing an id", () => {
    const graph = editable(followUpGraph().build());
    graph.nodes.push({ ...nodeIn(graph, "end-quiet") });
    expect(codes(graph)).toEqual(["duplicate_node_id"]);
  });

  it("reports a step of a kind Outflow does not know", () => {
    const graph = editable(followUpGraph().build());
    graph.nodes.push({ id: "teleport", kind: "teleport", position: { x: 0, y: 0 }, config: {} });
    expect(codes(graph)).toEqual(["unknown_node_kind"]);
  });

  it("reports malformed connections and repeated connection ids", () => {
    const graph = editable(followUpGraph().build());
    graph.edges.push({ id: "broken", target: "message" });
    graph.edges.push({ ...graph.edges[0]!, sourceHandle: "next" });
    expect(codes(graph)).toEqual(["invalid_edge", "duplicate_edge_id"]);
  });
});

describe("start and reachability", () => {
  it("requires a Start step", () => {
    const graph = buildGraph().node("end", "end").build();
    expect(codes(graph)).toEqual(["missing_start"]);
  });

  it("allows only one Start step", () => {
    const graph = editable(
      followUpGraph().node("start-2", "start").edge("start-2", "next", "connect").build(),
    );
    const result = validateGraph(graph);
    expect(result.diagnostics).toMatchObject([{ code: "multiple_starts", nodeId: "start-2" }]);
  });

  it("reports a step no path from Start reaches", () => {
    const graph = followUpGraph().node("orphan", "end", { outcome: "lost" }).build();
    expect(validateGraph(graph).diagnostics).toMatchObject([
      { code: "unreachable_node", nodeId: "orphan" },
    ]);
  });

  it("refuses connections into Start", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "replied-no");
    graph.edges.push({ id: "back", source: "replied", sourceHandle: "no", target: "start" });
    expect(codes(graph)).toEqual(["edge_into_start"]);
  });
});

describe("exits and connections", () => {
  it("reports an exit with no connection as an open exit on its step", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "accepted-no");
    const result = validateGraph(graph);
    expect(result.diagnostics).toMatchObject([{ code: "open_exit", nodeId: "accepted" }]);
    expect(result.diagnostics[0]?.message).toContain("“Not accepted” exit");
  });

  it("accepts an exit ended explicitly by wiring it to an End step", () => {
    const graph = buildGraph().node("start", "start").node("end", "end").chain("start", "end");
    expect(codes(graph.build())).toEqual([]);
  });

  it("allows only one connection per exit", () => {
    const graph = followUpGraph().edge("accepted", "no", "end-replied", "second-no").build();
    expect(validateGraph(graph).diagnostics).toMatchObject([
      { code: "duplicate_exit_edge", edgeId: "second-no", nodeId: "accepted" },
    ]);
  });

  it("refuses a step connected to itself", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "replied-no");
    graph.edges.push({ id: "loop", source: "replied", sourceHandle: "no", target: "replied" });
    expect(codes(graph)).toEqual(["self_loop"]);
  });

  it("reports connections from or to steps that do not exist", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "accepted-no");
    graph.edges.push({ id: "to-ghost", source: "accepted", sourceHandle: "no", target: "ghost" });
    graph.edges.push({ id: "from-ghost", source: "ghost", sourceHandle: "next", target: "wait" });
    expect(codes(graph)).toEqual(["edge_unknown_target", "edge_unknown_source"]);
  });

  it("reports a connection leaving by an exit its step does not have", () => {
    const graph = editable(followUpGraph().build());
    graph.edges.push({ id: "odd", source: "message", sourceHandle: "yes", target: "end-quiet" });
    graph.edges.push({
      id: "after-end",
      source: "end-quiet",
      sourceHandle: "next",
      target: "wait",
    });
    expect(codes(graph)).toEqual(["edge_unknown_handle", "edge_unknown_handle"]);
  });

  it("refuses a loop without a Wait step", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "replied-no");
    graph.edges = graph.edges.filter(
      (edge) => edge.id !== "message-next" && edge.id !== "wait-next",
    );
    graph.nodes = graph.nodes.filter((node) => node.id !== "wait");
    graph.edges.push({ id: "m", source: "message", sourceHandle: "next", target: "replied" });
    graph.edges.push({ id: "again", source: "replied", sourceHandle: "no", target: "message" });
    const result = validateGraph(graph);
    expect(result.diagnostics).toMatchObject([{ code: "cycle_without_wait", nodeId: "message" }]);
    expect(result.diagnostics[0]?.message).toContain("Message (message) → If replied (replied)");
  });

  it("accepts a loop that passes through a Wait step", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "replied-no");
    graph.edges.push({ id: "again", source: "replied", sourceHandle: "no", target: "message" });
    expect(codes(graph)).toEqual([]);
  });
});

describe("texts and configs", () => {
  it("rejects a message longer than LinkedIn allows", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = message("x".repeat(8001));
    expect(codes(graph)).toEqual(["text_too_long"]);
  });

  it("warns, without blocking, when long names could push a note over its limit", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "connect").config = {
      ...note(`${"x".repeat(280)} {{company}}`),
      skipIfConnected: true,
    };
    const result = validateGraph(graph);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["text_may_exceed_limit"]);
    expect(result.ok).toBe(true);
  });

  it("counts longest values as configured", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "connect").config = {
      ...note(`${"x".repeat(280)} {{company}}`),
      skipIfConnected: true,
    };
    expect(codes(graph, { longestValues: { company: 10 } })).toEqual([]);
  });

  it("rejects unknown template variables", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = message("Hi {{nickname}}");
    expect(codes(graph)).toEqual(["unknown_template_variable"]);
  });

  it("checks custom fields against the known list only when one is given", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = message("About {{custom.industry}}");
    expect(codes(graph)).toEqual([]);
    expect(codes(graph, { knownCustomFields: ["industry"] })).toEqual([]);
    expect(codes(graph, { knownCustomFields: ["budget"] })).toEqual(["unknown_template_variable"]);
  });

  it("rejects a half-typed placeholder", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = message("Hi {{firstName, how are you?");
    expect(codes(graph)).toEqual(["template_syntax"]);
  });

  it("maps schema problems in a step's config to diagnostics on that step", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "wait").config = { amount: 0, unit: "days", workingDaysOnly: false };
    const result = validateGraph(graph);
    expect(result.diagnostics).toMatchObject([{ code: "invalid_config", nodeId: "wait" }]);
    expect(result.diagnostics[0]?.message).toBe("Duration: wait at least 1 hour or 1 day");
  });

  it("rejects invalid A/B weights with their own code", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = {
      variants: [
        { id: "a", weight: 1, text: "Hi" },
        { id: "b", weight: 0, text: "Hello" },
      ],
    };
    expect(codes(graph)).toEqual(["variant_weight_invalid"]);
  });

  it("rejects A/B variants sharing an id", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = {
      variants: [
        { id: "a", weight: 1, text: "Hi" },
        { id: "a", weight: 1, text: "Hello" },
      ],
    };
    expect(codes(graph)).toEqual(["duplicate_variant_id"]);
  });

  it("rejects more than four A/B variants", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = {
      variants: ["a", "b", "c", "d", "e"].map((id) => ({ id, weight: 1, text: id })),
    };
    expect(codes(graph)).toEqual(["variant_count"]);
  });

  it("rejects an empty message", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "message").config = message("  ");
    expect(codes(graph)).toEqual(["empty_text"]);
  });

  it("hints that a long InMail body performs worse, as a distinct warning", () => {
    const graph = buildGraph()
      .node("start", "start")
      .node("inmail", "inmail", inmail("b".repeat(500)))
      .node("end", "end")
      .chain("start", "inmail")
      .edge("inmail", "sent", "end")
      .edge("inmail", "not_sent", "end")
      .build();
    const result = validateGraph(graph);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["inmail_body_long", "warning"],
    ]);
  });

  it("warns that working days only does nothing on a wait in hours", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "wait").config = { amount: 6, unit: "hours", workingDaysOnly: true };
    expect(codes(graph)).toEqual(["wait_working_days_ignored"]);
  });
});

describe("what each path knows about the lead", () => {
  it("warns about a message some leads may reach without being connected", () => {
    const graph = buildGraph()
      .node("start", "start")
      .node("message", "message")
      .node("end", "end")
      .chain("start", "message", "end")
      .build();
    const result = validateGraph(graph);
    expect(result.diagnostics).toMatchObject([
      { code: "message_may_not_reach_connection", nodeId: "message", severity: "warning" },
    ]);
    expect(result.ok).toBe(true);
  });

  it("warns about a message reached both behind and around an acceptance check", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "accepted-no");
    graph.edges.push({ id: "skip", source: "accepted", sourceHandle: "no", target: "message" });
    expect(codes(graph)).toEqual(["message_may_not_reach_connection"]);
  });

  it("warns about an InMail to leads who have accepted the invitation", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "accepted-yes");
    graph.nodes.push({
      id: "inmail",
      kind: "inmail",
      position: { x: 0, y: 0 },
      config: { ...inmail("Hello"), firstDegree: "send_message" },
    });
    graph.edges.push({ id: "a", source: "accepted", sourceHandle: "yes", target: "inmail" });
    graph.edges.push({ id: "b", source: "inmail", sourceHandle: "sent", target: "message" });
    graph.edges.push({ id: "c", source: "inmail", sourceHandle: "not_sent", target: "end-quiet" });
    expect(codes(graph)).toEqual(["inmail_to_connection"]);
  });

  it("accepts an InMail for leads who did not accept", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "accepted-no");
    graph.nodes.push({
      id: "inmail",
      kind: "inmail",
      position: { x: 0, y: 0 },
      config: { ...inmail("Hello"), firstDegree: "send_message" },
    });
    graph.edges.push({ id: "a", source: "accepted", sourceHandle: "no", target: "inmail" });
    graph.edges.push({ id: "b", source: "inmail", sourceHandle: "sent", target: "end-quiet" });
    graph.edges.push({ id: "c", source: "inmail", sourceHandle: "not_sent", target: "end-quiet" });
    expect(codes(graph)).toEqual([]);
  });

  it("warns about an invitation to leads already connected", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "accepted-yes");
    graph.nodes.push({
      id: "again",
      kind: "connect",
      position: { x: 0, y: 0 },
      config: { noteVariants: [], skipIfConnected: true },
    });
    graph.edges.push({ id: "a", source: "accepted", sourceHandle: "yes", target: "again" });
    graph.edges.push({ id: "b", source: "again", sourceHandle: "next", target: "message" });
    expect(codes(graph)).toEqual(["invitation_to_connection"]);
  });

  it("refuses a reply check with nothing sent before it", () => {
    const graph = buildGraph()
      .node("start", "start")
      .node("visit", "visit")
      .node("replied", "if_replied")
      .node("end", "end")
      .chain("start", "visit", "replied")
      .edge("replied", "yes", "end")
      .edge("replied", "no", "end")
      .build();
    expect(validateGraph(graph).diagnostics).toMatchObject([
      { code: "reply_check_without_message", nodeId: "replied", severity: "error" },
    ]);
  });

  it("does not count an invitation without a note as something to reply to", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "connect").config = { noteVariants: [], skipIfConnected: true };
    graph.edges = graph.edges.filter((edge) => !String(edge.id).startsWith("accepted-"));
    graph.edges.push({ id: "y", source: "accepted", sourceHandle: "yes", target: "replied" });
    graph.edges.push({ id: "n", source: "accepted", sourceHandle: "no", target: "end-quiet" });
    graph.nodes = graph.nodes.filter((node) => node.id !== "message" && node.id !== "wait");
    graph.edges = graph.edges.filter((edge) => edge.source !== "message" && edge.source !== "wait");
    expect(codes(graph)).toEqual(["reply_check_without_message"]);
  });

  it("refuses a reply check reached by an InMail that was not sent", () => {
    const graph = buildGraph()
      .node("start", "start")
      .node("inmail", "inmail", inmail("Hello"))
      .node("replied", "if_replied")
      .node("end", "end")
      .chain("start", "inmail")
      .edge("inmail", "sent", "replied")
      .edge("inmail", "not_sent", "replied")
      .edge("replied", "yes", "end")
      .edge("replied", "no", "end")
      .build();
    expect(codes(graph)).toEqual(["reply_check_without_message"]);
  });

  it("refuses an acceptance check with no invitation before it", () => {
    const graph = buildGraph()
      .node("start", "start")
      .node("accepted", "if_accepted")
      .node("end", "end")
      .chain("start", "accepted")
      .edge("accepted", "yes", "end")
      .edge("accepted", "no", "end")
      .build();
    expect(codes(graph)).toEqual(["acceptance_check_without_invitation"]);
  });
});

describe("publishing verdict", () => {
  it("blocks publishing on errors and splits errors from warnings", () => {
    const graph = withoutEdge(editable(followUpGraph().build()), "accepted-no");
    nodeIn(graph, "wait").config = { amount: 6, unit: "hours", workingDaysOnly: true };
    const result = validateGraph(graph);
    expect(result.ok).toBe(false);
    expect(result.errors.map((d) => d.code)).toEqual(["open_exit"]);
    expect(result.warnings.map((d) => d.code)).toEqual(["wait_working_days_ignored"]);
  });

  it("lets a graph with warnings only be published", () => {
    const graph = editable(followUpGraph().build());
    nodeIn(graph, "wait").config = { amount: 6, unit: "hours", workingDaysOnly: true };
    expect(validateGraph(graph)).toMatchObject({ ok: true, isGraph: true, errors: [] });
  });
});
