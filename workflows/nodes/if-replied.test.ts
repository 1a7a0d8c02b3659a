import { describe, expect, it } from "vitest";
import { ifRepliedNode } from "./if-replied";

describe("if replied step", () => {
  it("is a condition on replies over a window of days", () => {
    expect(ifRepliedNode.engine).toMatchObject({ isCondition: true, condition: "replied" });
    expect(ifRepliedNode.engine.windowDays({ withinDays: 5 })).toBe(5);
  });

  it("labels its exits for summaries and branches", () => {
    expect(ifRepliedNode.summary({ withinDays: 5 })).toBe("If replied within 5 days");
    expect(ifRepliedNode.describeExit({ withinDays: 5 }, "yes")).toBe("Replied within 5 days");
    expect(ifRepliedNode.describeExit({ withinDays: 5 }, "no")).toBe("No reply within 5 days");
  });

  it("falls back to the exit name when its config is invalid", () => {
    expect(ifRepliedNode.describeExit({ withinDays: -1 }, "no")).toBe("If replied: No reply");
  });

  it("expects something sent before it on every path", () => {
    expect(ifRepliedNode.pathExpectations?.map((rule) => [rule.fact, rule.raisedWhen])).toEqual([
      ["contacted", "may_be_missing"],
    ]);
  });
});
