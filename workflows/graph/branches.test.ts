import { describe, expect, it } from "vitest";
import {
  branchesReaching,
  branchKeyAfter,
  branchMap,
  labelBranch,
  MAIN_BRANCH_KEY,
  parseBranchKey,
} from "./branches";
import { buildGraph } from "./builder";

const note = { noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}" }] };
const inmail = {
  variants: [{ id: "a", weight: 1, subject: "Hello", body: "Hi {{firstName|there}}" }],
};

/**
 * connect → acc (7 days): yes → msg → wait → rep (5 days) → end-replied / end-quiet
 *                          no → inmail: sent → rep2 (10 days) → end-replied / end-quiet
 *                                       not sent → end-quiet
 */
function nestedGraph() {
  return buildGraph()
    .node("start", "start")
    .node("connect", "connect", note)
    .node("acc", "if_accepted", { withinDays: 7 })
    .node("msg", "message")
    .node("wait", "wait")
    .node("rep", "if_replied", { withinDays: 5 })
    .node("inmail", "inmail", inmail)
    .node("rep2", "if_replied", { withinDays: 10 })
    .node("end-replied", "end", { outcome: "replied" })
    .node("end-quiet", "end", { outcome: "no answer" })
    .chain("start", "connect", "acc")
    .edge("acc", "yes", "msg")
    .edge("acc", "no", "inmail")
    .chain("msg", "wait", "rep")
    .edge("rep", "yes", "end-replied")
    .edge("inmail", "sent", "rep2")
    .edge("inmail", "not_sent", "end-quiet")
    .edge("rep2", "yes", "end-replied")
    .edge("rep2", "no", "end-quiet");
}

describe("branch keys", () => {
  it("start from the main path and append condition exits", () => {
    const afterFirst = branchKeyAfter(MAIN_BRANCH_KEY, "n3", "no");
    expect(afterFirst).toBe("n3:no");
    expect(branchKeyAfter(afterFirst, "n7", "yes")).toBe("n3:no>n7:yes");
  });

  it("cut back to a condition a loop returns to, so keys stay bounded", () => {
    expect(branchKeyAfter("n3:no>n7:yes>n9:no", "n7", "no")).toBe("n3:no>n7:no");
    expect(branchKeyAfter("n7:no", "n7", "no")).toBe("n7:no");
  });

  it("parse back into steps and ignore malformed parts", () => {
    expect(parseBranchKey("n3:no>n7:yes")).toEqual([
      { nodeId: "n3", exit: "no" },
      { nodeId: "n7", exit: "yes" },
    ]);
    expect(parseBranchKey(MAIN_BRANCH_KEY)).toEqual([]);
    expect(parseBranchKey(">:x>n1:>n2:no")).toEqual([{ nodeId: "n2", exit: "no" }]);
  });
});

describe("branch labels", () => {
  const graph = nestedGraph().edge("rep", "no", "end-quiet").build();

  it("call the trunk the main path", () => {
    expect(labelBranch(graph, MAIN_BRANCH_KEY)).toBe("Main path");
  });

  it("describe nested conditions in order, with their windows", () => {
    expect(labelBranch(graph, "acc:no>rep2:no")).toBe(
      "Not accepted within 7 days › No reply within 10 days",
    );
    expect(labelBranch(graph, "acc:yes>rep:yes")).toBe(
      "Accepted within 7 days › Replied within 5 days",
    );
  });

  it("still label a key naming a step removed since", () => {
    expect(labelBranch(graph, "acc:no>gone:yes")).toBe(
      "Not accepted within 7 days › Removed step gone (yes)",
    );
  });
});

describe("branches reaching a step", () => {
  const graph = nestedGraph().edge("rep", "no", "end-quiet").build();

  it("is the main path only for steps before any condition", () => {
    expect(branchesReaching(graph, "connect")).toEqual([
      { key: "", label: "Main path", steps: [] },
    ]);
  });

  it("lists every branch merging into a step, shorter first", () => {
    expect(branchesReaching(graph, "end-quiet").map((path) => [path.key, path.label])).toEqual([
      ["acc:no", "Not accepted within 7 days"],
      ["acc:no>rep2:no", "Not accepted within 7 days › No reply within 10 days"],
      ["acc:yes>rep:no", "Accepted within 7 days › No reply within 5 days"],
    ]);
  });

  it("is empty for a step no path reaches", () => {
    const orphaned = nestedGraph().edge("rep", "no", "end-quiet").node("orphan", "visit").build();
    expect(branchesReaching(orphaned, "orphan")).toEqual([]);
  });

  it("ends on a loop through a wait, with keys that never repeat a condition", () => {
    const looping = nestedGraph()
      .node("wait-again", "wait")
      .node("nudge", "message")
      .edge("rep", "no", "wait-again")
      .chain("wait-again", "nudge", "rep")
      .build();
    expect(branchesReaching(looping, "rep").map((path) => path.key)).toEqual([
      "acc:yes",
      "acc:yes>rep:no",
    ]);
    expect(branchesReaching(looping, "nudge").map((path) => path.key)).toEqual(["acc:yes>rep:no"]);
  });

  it("reports truncation instead of running away on huge graphs", () => {
    const map = branchMap(graph, { maxStates: 3 });
    expect(map.truncated).toBe(true);
    expect([...map.byNode.keys()]).toEqual(["start", "connect", "acc"]);
    expect(branchMap(graph).truncated).toBe(false);
  });
});
