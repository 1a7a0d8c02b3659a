import { describe, expect, it } from "vitest";
import { createHistoryGrouper, TYPING_IDLE_MS, typedWordBreak } from "./history";
import { createEditorStore } from "./store";
import { countingIds, documentFrom, graphFrom, wiring } from "./test-helpers";

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function storeWithClock() {
  const clock = manualClock();
  const store = createEditorStore(
    graphFrom(
      documentFrom(
        [
          ["start", "start"],
          ["pause", "wait"],
        ],
        ["start.next>pause"],
      ),
    ),
    { ids: countingIds(), now: clock.now },
  );
  const configOf = (id: string) => store.getState().nodes.find((node) => node.id === id)?.config;
  const undoSteps = () => store.temporal.getState().pastStates.length;
  return { store, clock, configOf, undoSteps };
}

describe("undo grouping", () => {
  it("the grouper joins changes under one key until the field goes quiet", () => {
    const clock = manualClock();
    const grouper = createHistoryGrouper({ now: clock.now });
    expect(grouper.startsStep("note")).toBe(true);
    clock.advance(200);
    expect(grouper.startsStep("note")).toBe(false);
    clock.advance(TYPING_IDLE_MS + 1);
    expect(grouper.startsStep("note")).toBe(true);
    expect(grouper.startsStep("subject")).toBe(true);
    expect(grouper.startsStep(null)).toBe(true);
    expect(grouper.startsStep(null)).toBe(true);
  });

  it("a burst of typing in one field is one undo step", () => {
    const { store, clock, configOf, undoSteps } = storeWithClock();
    const before = configOf("pause");
    for (const amount of [1, 12, 120]) {
      store
        .getState()
        .updateConfig("pause", { amount, unit: "hours", workingDaysOnly: false }, "pause:amount");
      clock.advance(150);
    }
    expect(undoSteps()).toBe(1);
    store.getState().undo();
    expect(configOf("pause")).toEqual(before);
    store.getState().redo();
    expect(configOf("pause")).toEqual({ amount: 120, unit: "hours", workingDaysOnly: false });
  });

  it("typing again after a pause, or in another field, is a new step", () => {
    const { store, clock, undoSteps } = storeWithClock();
    const change = (amount: number, key: string) =>
      store.getState().updateConfig("pause", { amount, unit: "days", workingDaysOnly: false }, key);
    change(3, "pause:amount");
    clock.advance(TYPING_IDLE_MS + 1);
    change(4, "pause:amount");
    change(5, "pause:unit");
    expect(undoSteps()).toBe(3);
  });

  it("typing undoes word by word: a space ends the step", () => {
    const clock = manualClock();
    const store = createEditorStore(
      graphFrom(
        documentFrom(
          [
            ["start", "start"],
            ["hello", "message"],
          ],
          ["start.next>hello"],
        ),
      ),
      { ids: countingIds(), now: clock.now },
    );
    const textOf = () => {
      const node = store.getState().nodes.find((candidate) => candidate.id === "hello");
      return (node!.config as { variants: Array<{ text: string }> }).variants[0]!.text;
    };
    const type = (text: string) =>
      store
        .getState()
        .updateConfig("hello", { variants: [{ id: "a", weight: 1, text }] }, "hello:variants");
    type("");
    clock.advance(TYPING_IDLE_MS + 1);
    const typed = "Hi there Ada";
    for (let end = 1; end <= typed.length; end += 1) type(typed.slice(0, end));
    expect(textOf()).toBe("Hi there Ada");
    store.getState().undo();
    expect(textOf()).toBe("Hi there ");
    store.getState().undo();
    expect(textOf()).toBe("Hi ");
    store.getState().undo();
    expect(textOf()).toBe("");
  });

  it("a word break is whitespace typed into one text, at the end or in the middle", () => {
    expect(typedWordBreak("Hi", "Hi ")).toBe(true);
    expect(typedWordBreak("Hithere", "Hi there")).toBe(true);
    expect(typedWordBreak({ v: [{ t: "a" }] }, { v: [{ t: "a\n" }] })).toBe(true);
    expect(typedWordBreak("Hi", "Hi!")).toBe(false);
    expect(typedWordBreak("Hi ", "Hi")).toBe(false);
    expect(typedWordBreak("Hi", "Hi x")).toBe(false);
  });

  it("selection changes are not undo steps", () => {
    const { store, undoSteps } = storeWithClock();
    store.getState().select({ nodeIds: ["pause"] });
    store.getState().select({ nodeIds: ["start", "pause"] });
    store.getState().selectExit({ nodeId: "pause", handle: "next" });
    store.getState().select({ nodeIds: [] });
    expect(undoSteps()).toBe(0);
  });

  it("undo does not bring back an old selection, and forgets selected steps that are gone", () => {
    const { store } = storeWithClock();
    store.getState().select({ nodeIds: ["pause"] });
    store.getState().appendStep("visit", { x: 0, y: 0 });
    const added = store.getState().selectedNodeIds[0]!;
    expect(added).toBe("visit-1");
    store.getState().undo();
    expect(store.getState().nodes.map((node) => node.id)).toEqual(["start", "pause"]);
    expect(store.getState().selectedNodeIds).toEqual([]);
  });

  it("one drag is one undo step however long it takes", () => {
    const { store, clock, undoSteps } = storeWithClock();
    store.getState().beginGesture("drag");
    for (let y = 210; y <= 400; y += 10) {
      store.getState().moveNodes(new Map([["pause", { x: 0, y }]]));
      clock.advance(TYPING_IDLE_MS * 2);
    }
    store.getState().endGesture();
    expect(undoSteps()).toBe(1);
    store.getState().undo();
    expect(store.getState().nodes[1]!.position).toEqual({ x: 0, y: 200 });
  });

  it("a change after undo starts a new step and drops the redo steps", () => {
    const { store, undoSteps } = storeWithClock();
    store.getState().select({ nodeIds: ["pause"] });
    store.getState().appendStep("visit", { x: 0, y: 0 });
    store.getState().undo();
    store.getState().select({ nodeIds: ["pause"] });
    store.getState().appendStep("follow", { x: 0, y: 0 });
    expect(undoSteps()).toBe(1);
    expect(store.temporal.getState().futureStates).toHaveLength(0);
    store.getState().redo();
    expect(wiring(store.getState())).toEqual(["pause.next>follow-2", "start.next>pause"]);
  });

  it("loading a graph clears the history", () => {
    const { store, undoSteps } = storeWithClock();
    store.getState().addStep("visit", { x: 0, y: 0 });
    expect(undoSteps()).toBe(1);
    store.getState().load(graphFrom(documentFrom([["start", "start"]])));
    expect(undoSteps()).toBe(0);
    store.getState().undo();
    expect(store.getState().nodes.map((node) => node.id)).toEqual(["start"]);
  });

  it("validation follows undo and redo", () => {
    const { store } = storeWithClock();
    const errorsOf = () => store.getState().validation.result.errors.map((error) => error.code);
    expect(errorsOf()).toContain("open_exit");
    store.getState().select({ nodeIds: ["pause"] });
    store.getState().appendStep("end", { x: 0, y: 0 });
    expect(errorsOf()).toEqual([]);
    store.getState().undo();
    expect(errorsOf()).toContain("open_exit");
  });
});

describe("store shortcuts", () => {
  it("delete keeps the start and says so", () => {
    const { store } = storeWithClock();
    store.getState().select({ nodeIds: ["start", "pause"] });
    store.getState().deleteSelection();
    expect(store.getState().nodes.map((node) => node.id)).toEqual(["start"]);
    expect(store.getState().notice?.text).toMatch(/start stays/);
  });

  it("copy then paste twice fans the copies out", () => {
    const { store } = storeWithClock();
    store.getState().select({ nodeIds: ["pause"] });
    store.getState().copy();
    store.getState().paste();
    store.getState().paste();
    const positions = store
      .getState()
      .nodes.slice(2)
      .map((node) => node.position);
    expect(positions).toEqual([
      { x: 40, y: 240 },
      { x: 80, y: 280 },
    ]);
    expect(store.getState().selectedNodeIds).toEqual(["wait-2"]);
  });

  it("a refused connection changes nothing and says why", () => {
    const { store, undoSteps } = storeWithClock();
    expect(
      store.getState().connect({ source: "pause", sourceHandle: "next", target: "start" }),
    ).toBe(false);
    expect(undoSteps()).toBe(0);
    expect(store.getState().notice?.text).toMatch(/Nothing leads into Start/);
  });

  it("a read-only editor changes nothing", () => {
    const store = createEditorStore(graphFrom(documentFrom([["start", "start"]])), {
      readOnly: true,
    });
    store.getState().appendStep("visit", { x: 0, y: 0 });
    store.getState().select({ nodeIds: ["start"] });
    store.getState().deleteSelection();
    expect(store.getState().nodes.map((node) => node.id)).toEqual(["start"]);
  });
});
