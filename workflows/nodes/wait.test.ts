import { describe, expect, it } from "vitest";
import { waitNode } from "./wait";

const context = { template: {} };
const codes = (config: unknown) =>
  waitNode.checkConfig(config, context).issues.map((issue) => issue.code);

describe("wait step", () => {
  it("summarises the duration in the user's words", () => {
    expect(waitNode.summary({ amount: 3, unit: "days", workingDaysOnly: false })).toBe(
      "Wait 3 days",
    );
    expect(waitNode.summary({ amount: 1, unit: "days", workingDaysOnly: false })).toBe(
      "Wait 1 day",
    );
    expect(waitNode.summary({ amount: 2, unit: "days", workingDaysOnly: true })).toBe(
      "Wait 2 working days",
    );
    expect(waitNode.summary({ amount: 12, unit: "hours", workingDaysOnly: false })).toBe(
      "Wait 12 hours",
    );
  });

  it("gives the engine the duration, with working days only for waits in days", () => {
    expect(
      waitNode.engine.waitDuration({ amount: 3, unit: "days", workingDaysOnly: true }),
    ).toEqual({
      amount: 3,
      unit: "days",
      workingDaysOnly: true,
    });
    expect(
      waitNode.engine.waitDuration({ amount: 5, unit: "hours", workingDaysOnly: true }),
    ).toEqual({
      amount: 5,
      unit: "hours",
      workingDaysOnly: false,
    });
  });

  it("warns that working days do not apply to a wait in hours", () => {
    expect(codes({ amount: 5, unit: "hours", workingDaysOnly: true })).toEqual([
      "wait_working_days_ignored",
    ]);
  });

  it("rejects zero, fractional and longer-than-90-day waits", () => {
    expect(codes({ amount: 0, unit: "days", workingDaysOnly: false })).toEqual(["invalid_config"]);
    expect(codes({ amount: 1.5, unit: "days", workingDaysOnly: false })).toEqual([
      "invalid_config",
    ]);
    expect(codes({ amount: 91, unit: "days", workingDaysOnly: false })).toEqual(["invalid_config"]);
    expect(codes({ amount: 90 * 24 + 1, unit: "hours", workingDaysOnly: false })).toEqual([
      "invalid_config",
    ]);
    expect(codes({ amount: 90, unit: "days", workingDaysOnly: false })).toEqual([]);
  });

  it("says which field is wrong in plain words", () => {
    const [issue] = waitNode.checkConfig({ unit: "days", workingDaysOnly: false }, context).issues;
    expect(issue?.message).toBe("Duration: is missing");
  });

  it("is the only kind of step that waits", () => {
    expect(waitNode.engine).toMatchObject({ isWait: true, isCondition: false });
    expect(waitNode.send).toBeUndefined();
  });
});
