import { describe, expect, it } from "vitest";
import { CREDIT_PLANS, PLAN_IDS } from "./plans";
import { CreditPoolSchema, creditPoolForPlan, poolNumberIssues } from "./pool";

describe("CREDIT_PLANS", () => {
  it("carries the documented allowance, cap, refund policy and add-on block of each plan", () => {
    const summary = PLAN_IDS.map((id) => {
      const plan = CREDIT_PLANS[id];
      return [
        id,
        plan.allowancePerMonth,
        plan.cap,
        plan.defaultRefundPolicy.type,
        plan.addOnBlockSize,
      ];
    });
    expect(summary).toEqual([
      ["premium_career", 5, 15, "none", null],
      ["premium_business", 15, 45, "none", null],
      ["sales_navigator_core", 50, 150, "none", null],
      ["recruiter_lite", 30, 120, "on_reply", 10],
      ["recruiter_professional", 150, 450, "on_reply", null],
      ["custom", 0, 0, "none", null],
    ]);
    expect(CREDIT_PLANS.recruiter_lite.defaultRefundPolicy).toEqual({
      type: "on_reply",
      windowDays: 90,
      delayDays: 1,
    });
  });
});

describe("creditPoolForPlan", () => {
  it("takes the plan's numbers and a renewal anchor, renewing in UTC by default", () => {
    expect(creditPoolForPlan("sales_navigator_core", { renewalAnchorDay: 15 })).toEqual({
      planId: "sales_navigator_core",
      allowancePerMonth: 50,
      cap: 150,
      renewalAnchorDay: 15,
      timeZone: "UTC",
      refundPolicy: { type: "none" },
      addOnBlockSize: null,
    });
  });

  it("lets a team plan set its own allowance and cap", () => {
    const pool = creditPoolForPlan("recruiter_professional", {
      renewalAnchorDay: 1,
      allowancePerMonth: 300,
      cap: 900,
    });
    expect([pool.allowancePerMonth, pool.cap]).toEqual([300, 900]);
  });

  it("refuses other allowances or caps on fixed plans, so a typo cannot mint credits", () => {
    expect(() =>
      creditPoolForPlan("sales_navigator_core", { renewalAnchorDay: 1, allowancePerMonth: 500 }),
    ).toThrow(/allowancePerMonth/);
    expect(() => creditPoolForPlan("premium_career", { renewalAnchorDay: 1, cap: 99 })).toThrow(
      /cap/,
    );
  });

  it("lets a pool change its refund policy, e.g. when LinkedIn's rules differ from the default", () => {
    const pool = creditPoolForPlan("sales_navigator_core", {
      renewalAnchorDay: 1,
      refundPolicy: { type: "on_reply" },
    });
    expect(pool.refundPolicy).toEqual({ type: "on_reply", windowDays: 90, delayDays: 1 });
  });

  it("refuses an anchor day outside 1–31 and an unknown time zone", () => {
    const base = creditPoolForPlan("premium_career", { renewalAnchorDay: 1 });
    expect(CreditPoolSchema.safeParse({ ...base, renewalAnchorDay: 32 }).success).toBe(false);
    expect(CreditPoolSchema.safeParse({ ...base, renewalAnchorDay: 0 }).success).toBe(false);
    expect(CreditPoolSchema.safeParse({ ...base, timeZone: "Nowhere/City" }).success).toBe(false);
  });
});

describe("poolNumberIssues", () => {
  const { custom, premium_career: career, recruiter_professional: team } = CREDIT_PLANS;
  const planNumbers = (plan: typeof custom) => ({
    allowance: plan.allowancePerMonth,
    cap: plan.cap,
  });

  it("refuses a pool opening above its cap, and one that can hold nothing", () => {
    expect(
      poolNumberIssues(custom, { allowance: 0, cap: 0, balance: 20 }, planNumbers(custom)),
    ).toEqual([{ path: "cap", message: "A pool must be able to hold at least 1 credit." }]);
    expect(
      poolNumberIssues(custom, { allowance: 5, cap: 10, balance: 11 }, planNumbers(custom)),
    ).toEqual([
      {
        path: "balance",
        message: "This pool holds at most 10 credits; the opening balance cannot be 11.",
      },
    ]);
    expect(poolNumberIssues(career, { balance: 16 }, planNumbers(career))).toEqual([
      {
        path: "balance",
        message: "Premium Career holds at most 15 credits; the opening balance cannot be 16.",
      },
    ]);
    expect(
      poolNumberIssues(custom, { allowance: 5, cap: 10, balance: 10 }, planNumbers(custom)),
    ).toEqual([]);
    expect(poolNumberIssues(team, { balance: 450 }, planNumbers(team))).toEqual([]);
  });

  it("refuses a cap lowered below what the pool holds, and leaves a pool alone when nothing is set", () => {
    const pool = { allowance: 10, cap: 60, balance: 40 };
    expect(poolNumberIssues(team, { cap: 30 }, pool)).toEqual([
      {
        path: "cap",
        message: "The pool holds 40 credits now; the most it can hold cannot be less.",
      },
    ]);
    expect(poolNumberIssues(team, { cap: 40 }, pool)).toEqual([]);
    expect(poolNumberIssues(custom, {}, { allowance: 0, cap: 0, balance: 20 })).toEqual([]);
  });
});
