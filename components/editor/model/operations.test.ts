import { describe, expect, it } from "vitest";
import {
  appendStep,
  CARD_HEIGHT,
  CARD_WIDTH,
  deleteElements,
  moveNodes,
  updateConfig,
} from "./operations";
import { countingIds, documentFrom, wiring } from "./test-helpers";

describe("deleting steps", () => {
  it("bridges over a deleted step with one wired exit: its predecessors lead to its successor", () => {
    const document = documentFrom(
      [
        ["start", "start"],
        ["visit", "visit"],
        ["pause", "wait"],
        ["done", "end"],
      ],
      ["start.next>visit", "visit.next>pause", "pause.next>done"],
    );
    const { document: after } = deleteElements(document, { nodeIds: ["pause"], edgeIds: [] });
    expect(after.nodes.map((node) => node.id)).toEqual(["start", "visit", "done"]);
    expect(wiring(after)).toEqual(["start.next>visit", "visit.next>done"]);
  });

  it("bridges over a run of deleted steps", () => {
    const document = documentFrom(
      [
        ["start", "start"],
        ["visit", "visit"],
        ["follow", "follow"],
        ["done", "end"],
      ],
      ["start.next>visit", "visit.next>follow", "follow.next>done"],
    );
    const { document: after } = deleteElements(document, {
      nodeIds: ["follow", "visit"],
      edgeIds: [],
    });
    expect(wiring(after)).toEqual(["start.next>done"]);
  });

  it("leaves the predecessors' exits open when the deleted step branches", () => {
    const document = documentFrom(
      [
        ["start", "start"],
        ["invite", "connect"],
        ["accepted", "if_accepted"],
        ["thanks", "message"],
        ["done", "end"],
      ],
      [
        "start.next>invite",
        "invite.next>accepted",
        "accepted.yes>thanks",
        "accepted.no>done",
        "thanks.next>done",
      ],
    );
    const { document: after } = deleteElements(document, { nodeIds: ["accepted"], edgeIds: [] });
    expect(wiring(after)).toEqual(["start.next>invite", "thanks.next>done"]);
  });

  it("never bridges a step onto itself", () => {
    const document = documentFrom(
      [
        ["start", "start"],
        ["pause", "wait"],
        ["visit", "visit"],
      ],
      ["start.next>visit", "visit.next>pause", "pause.next>visit"],
    );
    const { document: after } = deleteElements(document, { nodeIds: ["pause"], edgeIds: [] });
    expect(wiring(after)).toEqual(["start.next>visit"]);
  });

  it("keeps the start, and deletes selected connections", () => {
    const document = documentFrom(
      [
        ["start", "start"],
        ["visit", "visit"],
      ],
      ["start.next>visit"],
    );
    const result = deleteElements(document, { nodeIds: ["start"], edgeIds: ["start-next"] });
    expect(result.kept).toEqual(["start"]);
    expect(result.document.nodes.map((node) => node.id)).toEqual(["start", "visit"]);
    expect(result.document.edges).toEqual([]);
  });
});

describe("appending after an exit", () => {
  const base = documentFrom(
    [
      ["start", "start"],
      ["accepted", "if_accepted"],
      ["done", "end"],
    ],
    ["start.next>accepted", "accepted.no>done"],
  );

  it("connects a step's first open exit to the new step", () => {
    const result = appendStep(base, "message", { type: "node", nodeId: "accepted" }, countingIds());
    expect(result.nodeId).toBe("message-1");
    expect(wiring(result.document)).toContain("accepted.yes>message-1");
    const added = result.document.nodes.find((node) => node.id === "message-1")!;
    expect(added.config).toEqual({
      variants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}, thanks for connecting!" }],
    });
    // Left of its parent: the yes side.
    expect(added.position.x).toBeLessThan(0);
  });

  it("puts the new step in between when the exit is wired", () => {
    const result = appendStep(
      base,
      "wait",
      { type: "exit", nodeId: "accepted", handle: "no" },
      countingIds(),
    );
    expect(wiring(result.document)).toEqual([
      "accepted.no>wait-1",
      "start.next>accepted",
      "wait-1.next>done",
    ]);
  });

  it("inserts into a selected connection", () => {
    const result = appendStep(base, "visit", { type: "edge", edgeId: "start-next" }, countingIds());
    expect(wiring(result.document)).toEqual([
      "accepted.no>done",
      "start.next>visit-1",
      "visit-1.next>accepted",
    ]);
  });

  it("on an empty canvas, the first step follows the start", () => {
    const empty = documentFrom([["start", "start"]]);
    const result = appendStep(
      empty,
      "visit",
      { type: "none", position: { x: 500, y: 500 } },
      countingIds(),
    );
    expect(wiring(result.document)).toEqual(["start.next>visit-1"]);
  });

  it("never puts an End in between: with every exit wired it is placed on its own", () => {
    const result = appendStep(
      base,
      "end",
      { type: "exit", nodeId: "accepted", handle: "no" },
      countingIds(),
    );
    expect(wiring(result.document)).toEqual(wiring(base));
    expect(result.document.nodes).toHaveLength(4);
  });

  it("places new steps clear of existing cards", () => {
    const crowded = documentFrom(
      [
        ["start", "start"],
        ["below", "visit"],
      ],
      [],
    );
    const moved = moveNodes(crowded, new Map([["below", { x: 0, y: 180 }]]));
    const result = appendStep(moved, "follow", { type: "node", nodeId: "start" }, countingIds());
    const added = result.document.nodes.find((node) => node.id === result.nodeId)!;
    const below = moved.nodes.find((node) => node.id === "below")!;
    expect(intersects(added.position, below.position, CARD_WIDTH, CARD_HEIGHT)).toBe(false);
  });

  it("uses the cards' measured sizes: a tall card below is not covered, nor any other", () => {
    let crowded = documentFrom(
      [
        ["start", "start"],
        ["tall", "message"],
        ["right", "visit"],
      ],
      [],
    );
    crowded = moveNodes(
      crowded,
      new Map([
        ["tall", { x: 0, y: 120 }],
        ["right", { x: 300, y: 180 }],
      ]),
    );
    const sizes = new Map([
      ["start", { width: 256, height: 60 }],
      ["tall", { width: 256, height: 320 }],
      ["right", { width: 256, height: 120 }],
    ]);
    const result = appendStep(
      crowded,
      "follow",
      { type: "node", nodeId: "start" },
      countingIds(),
      (id) => sizes.get(id),
    );
    const added = result.document.nodes.find((node) => node.id === result.nodeId)!;
    for (const node of crowded.nodes) {
      const size = sizes.get(node.id)!;
      const overlapX =
        added.position.x < node.position.x + size.width &&
        node.position.x < added.position.x + CARD_WIDTH;
      const overlapY =
        added.position.y < node.position.y + size.height &&
        node.position.y < added.position.y + CARD_HEIGHT;
      expect(overlapX && overlapY, `covers ${node.id}`).toBe(false);
    }
    // Next to its parent: within two card widths and a few rows.
    expect(Math.abs(added.position.x)).toBeLessThanOrEqual(2 * (CARD_WIDTH + 48));
  });
});

describe("configuring and moving", () => {
  const document = documentFrom([
    ["start", "start"],
    ["pause", "wait"],
  ]);

  it("replaces only the changed step, keeping the others' identity", () => {
    const after = updateConfig(document, "pause", {
      amount: 3,
      unit: "days",
      workingDaysOnly: false,
    });
    expect(after.nodes[0]).toBe(document.nodes[0]);
    expect(after.nodes[1]!.config).toEqual({ amount: 3, unit: "days", workingDaysOnly: false });
    expect(after.edges).toBe(document.edges);
  });

  it("answers the same document when nothing changes", () => {
    expect(moveNodes(document, new Map([["pause", { x: 0, y: 200 }]]))).toBe(document);
    expect(updateConfig(document, "pause", document.nodes[1]!.config)).toBe(document);
  });
});

function intersects(
  a: { x: number; y: number },
  b: { x: number; y: number },
  width: number,
  height: number,
): boolean {
  return Math.abs(a.x - b.x) < width && Math.abs(a.y - b.y) < height;
}
