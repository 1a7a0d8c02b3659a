import { describe, expect, it } from "vitest";
import { buildGraph } from "./builder";
import { canonicalJson, contentHash } from "./canonical";
import { applyStrandedChoices, freezeVersion, mapVersions } from "./versions";

const note = { noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}" }] };

const oldVersion = buildGraph()
  .node("start", "start")
  .node("visit", "visit")
  .node("connect", "connect", note)
  .node("accepted", "if_accepted")
  .node("message", "message")
  .node("end", "end")
  .chain("start", "visit", "connect", "accepted")
  .edge("accepted", "yes", "message")
  .edge("accepted", "no", "end")
  .chain("message", "end")
  .build();

/** Visit removed, the message became an InMail, a follow added. */
const newVersion = buildGraph()
  .node("start", "start")
  .node("follow", "follow")
  .node("connect", "connect", note)
  .node("accepted", "if_accepted")
  .node("message", "inmail")
  .node("end", "end")
  .chain("start", "follow", "connect", "accepted")
  .edge("accepted", "yes", "message")
  .edge("accepted", "no", "end")
  .edge("message", "sent", "end")
  .edge("message", "not_sent", "end")
  .build();

describe("mapping in-flight leads to a new version", () => {
  const mapping = mapVersions(oldVersion, newVersion, {
    connect: 4,
    accepted: 10,
    visit: 3,
    message: 2,
    end: 0,
  });

  it("keeps leads on steps with the same id and kind", () => {
    expect(mapping.staying).toEqual([
      { nodeId: "connect", count: 4 },
      { nodeId: "accepted", count: 10 },
    ]);
  });

  it("strands leads on removed steps and on steps whose kind changed", () => {
    expect(mapping.stranded).toEqual([
      { nodeId: "visit", count: 3, reason: "removed", oldKind: "visit", newKind: null },
      {
        nodeId: "message",
        count: 2,
        reason: "kind_changed",
        oldKind: "message",
        newKind: "inmail",
      },
    ]);
  });

  it("strands leads recorded on a step the old version never had", () => {
    expect(mapVersions(oldVersion, newVersion, { ghost: 1 }).stranded).toEqual([
      { nodeId: "ghost", count: 1, reason: "unknown_node", oldKind: null, newKind: null },
    ]);
  });
});

describe("applying the user's choices for stranded leads", () => {
  const mapping = mapVersions(oldVersion, newVersion, { accepted: 10, visit: 3, message: 2 });

  it("moves, ends and keeps every group when each stranded group has a valid choice", () => {
    const result = applyStrandedChoices(mapping, newVersion, {
      visit: { action: "move", toNodeId: "follow" },
      message: { action: "end" },
    });
    expect(result).toEqual({
      ok: true,
      moves: [
        { fromNodeId: "accepted", count: 10, to: { action: "stay", nodeId: "accepted" } },
        { fromNodeId: "visit", count: 3, to: { action: "move", toNodeId: "follow" } },
        { fromNodeId: "message", count: 2, to: { action: "end" } },
      ],
    });
  });

  it("refuses when a stranded group has no choice: nobody is stranded silently", () => {
    const result = applyStrandedChoices(mapping, newVersion, { visit: { action: "end" } });
    expect(result).toMatchObject({
      ok: false,
      errors: [{ nodeId: "message", code: "choice_missing" }],
    });
  });

  it("refuses a move to a step missing from the new version", () => {
    const result = applyStrandedChoices(mapping, newVersion, {
      visit: { action: "move", toNodeId: "visit" },
      message: { action: "end" },
    });
    expect(result).toMatchObject({
      ok: false,
      errors: [{ nodeId: "visit", code: "move_target_missing" }],
    });
  });

  it("refuses a move to Start", () => {
    const result = applyStrandedChoices(mapping, newVersion, {
      visit: { action: "move", toNodeId: "start" },
      message: { action: "end" },
    });
    expect(result).toMatchObject({
      ok: false,
      errors: [{ nodeId: "visit", code: "move_target_is_start" }],
    });
  });

  it("refuses malformed choices and choices for steps that are not stranded", () => {
    const result = applyStrandedChoices(mapping, newVersion, {
      visit: { action: "teleport" },
      message: { action: "end" },
      accepted: { action: "end" },
    });
    expect(result.ok ? [] : result.errors.map((error) => error.code)).toEqual([
      "choice_not_needed",
      "choice_invalid",
    ]);
  });
});

describe("freezing a version", () => {
  it("freezes a valid graph deeply, with its content hash", async () => {
    const result = await freezeVersion(newVersion);
    if (!result.ok) throw new Error("expected the graph to publish");
    expect(result.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.version.contentHash).toBe(await contentHash(newVersion));
    expect(Object.isFrozen(result.version.graph.nodes[0]?.position)).toBe(true);
    expect(Object.isFrozen(newVersion.nodes[0]?.position)).toBe(false);
  });

  it("refuses a graph with errors and returns why", async () => {
    const broken = { ...newVersion, edges: newVersion.edges.filter((e) => e.id !== "accepted-no") };
    const result = await freezeVersion(broken);
    expect(result.ok ? [] : result.validation.errors.map((error) => error.code)).toEqual([
      "open_exit",
    ]);
  });
});

describe("content hashes", () => {
  it("serialise objects with sorted keys and no spaces, keeping array order", () => {
    expect(canonicalJson({ b: 1, a: [3, { d: null, c: "x" }], skip: undefined })).toBe(
      '{"a":[3,{"c":"x","d":null}],"b":1}',
    );
  });

  it("are the same whatever order keys were written in", async () => {
    expect(await contentHash({ a: 1, b: { c: 2, d: 3 } })).toBe(
      await contentHash({ b: { d: 3, c: 2 }, a: 1 }),
    );
  });

  it("change when the content changes", async () => {
    expect(await contentHash({ a: 1 })).not.toBe(await contentHash({ a: 2 }));
  });

  it("are the SHA-256 of the canonical JSON", async () => {
    // sha256("{}"), a published test vector.
    expect(await contentHash({})).toBe(
      "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
    );
  });
});
