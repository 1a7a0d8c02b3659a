import { describe, expect, it } from "vitest";
import { ifAcceptedNode } from "./if-accepted";

const context = { template: {} };

describe("if accepted step", () => {
  it("is a condition over a window of days", () => {
    expect(ifAcceptedNode.engine.isCondition).toBe(true);
    expect(ifAcceptedNode.engine.condition).toBe("invitation_accepted");
    expect(ifAcceptedNode.engine.windowDays({ withinDays: 7 })).toBe(7);
  });

  it("accepts 1 to 90 days only", () => {
    const valid = (withinDays: unknown) =>
      ifAcceptedNode.checkConfig({ withinDays }, context).valid;
    expect([valid(1), valid(90), valid(0), valid(91), valid(2.5)]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it("labels its exits for summaries and branches", () => {
    expect(ifAcceptedNode.summary({ withinDays: 7 })).toBe("If accepted within 7 days");
    expect(ifAcceptedNode.describeExit({ withinDays: 1 }, "yes")).toBe("Accepted within 1 day");
    expect(ifAcceptedNode.describeExit({ withinDays: 7 }, "no")).toBe("Not accepted within 7 days");
  });

  it("marks leads leaving by yes as connected", () => {
    expect(ifAcceptedNode.effectsOf({ withinDays: 7 })).toEqual({ yes: ["connected"] });
  });
});
