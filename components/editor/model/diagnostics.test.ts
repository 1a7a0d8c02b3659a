import { describe, expect, it } from "vitest";
import { validateDocument } from "./diagnostics";
import { moveNodes, updateConfig } from "./operations";
import { documentFrom } from "./test-helpers";

const document = documentFrom(
  [
    ["start", "start"],
    ["invite", "connect"],
    ["pause", "wait"],
  ],
  ["start.next>invite", "invite.next>pause"],
);

describe("live validation", () => {
  it("groups diagnostics per step and lists errors first in the checklist", () => {
    const view = validateDocument(document);
    expect(view.byNode.get("pause")?.map((d) => d.code)).toEqual(["open_exit"]);
    expect(view.checklist[0]).toMatchObject({
      severity: "error",
      nodeId: "pause",
      stepLabel: "Wait",
    });
  });

  it("reports a connection note over LinkedIn's 300 characters on its step", () => {
    const long = updateConfig(document, "invite", {
      noteVariants: [{ id: "a", weight: 1, text: "x".repeat(320) }],
      skipIfConnected: true,
    });
    const view = validateDocument(long);
    expect(view.byNode.get("invite")).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "text_too_long",
        message: "Note is 320 characters; LinkedIn allows 300.",
      }),
    ]);
  });

  it("does not validate again when only positions changed", () => {
    const first = validateDocument(document);
    const moved = moveNodes(document, new Map([["pause", { x: 300, y: 300 }]]));
    const second = validateDocument(moved, first);
    expect(second.result).toBe(first.result);
    expect(second.document).toBe(moved);
  });

  it("keeps a step's list when its diagnostics did not change, so its card does not re-render", () => {
    const first = validateDocument(document);
    const edited = updateConfig(document, "invite", { noteVariants: [], skipIfConnected: false });
    const second = validateDocument(edited, first);
    expect(second.result).not.toBe(first.result);
    expect(second.byNode.get("pause")).toBe(first.byNode.get("pause"));
  });
});
