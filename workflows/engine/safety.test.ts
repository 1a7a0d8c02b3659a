import { describe, expect, it } from "vitest";
import { PacingSettingsSchema } from "./pacing/settings";
import {
  type SafetyCounts,
  type SafetyInputs,
  safetyInputs,
  safetyPauseReason,
  safetyScore,
} from "./safety";

const healthy: SafetyInputs = {
  settledInvitations: 60,
  acceptedInvitations: 24,
  pendingInvitations: 80,
  attempts: 200,
  failures: 2,
  capUse: 0.5,
  connectWeekUse: 0.5,
};

const factor = (inputs: SafetyInputs, key: string) =>
  safetyScore(inputs).factors.find((f) => f.key === key)!;

describe("safety score", () => {
  it("is 100 for an account well inside every limit", () => {
    const score = safetyScore(healthy);
    expect(score.score).toBe(100);
    expect(score.factors.map((f) => f.score)).toEqual([100, 100, 100, 100]);
  });

  it("lowers the pending factor as the seat nears its pending ceiling, to 40 at it (never a pause at the default threshold)", () => {
    const near = (pending: number) =>
      factor({ ...healthy, pendingCeiling: { pending, ceiling: 400 } }, "pending");
    expect(near(300).score).toBe(100);
    expect(near(350).score).toBe(70);
    expect(near(400)).toMatchObject({
      score: 40,
      detail: "400 pending, at the ceiling of 400: new invitations wait",
    });
    expect(near(380).detail).toContain("near the ceiling of 400");
    expect(
      safetyPauseReason(
        safetyScore({ ...healthy, pendingCeiling: { pending: 400, ceiling: 400 } }),
        { pauseBelow: 40 },
      ),
    ).toBeNull();
  });

  it("scores the acceptance rate from 100 at 30 % down to 0 at 10 %", () => {
    expect(factor({ ...healthy, acceptedInvitations: 18 }, "acceptance").score).toBe(100);
    expect(factor({ ...healthy, acceptedInvitations: 12 }, "acceptance").score).toBe(50);
    expect(factor({ ...healthy, acceptedInvitations: 6 }, "acceptance").score).toBe(0);
    expect(factor({ ...healthy, acceptedInvitations: 0 }, "acceptance").score).toBe(0);
  });

  it("does not judge the acceptance rate on fewer than 20 settled invitations", () => {
    const few = factor(
      { ...healthy, settledInvitations: 19, acceptedInvitations: 0 },
      "acceptance",
    );
    expect(few).toMatchObject({ score: 100, enoughData: false });
    expect(few.detail).toContain("20 needed");
  });

  it("scores pending invitations from 100 at 200 down to 0 at 500", () => {
    expect(factor({ ...healthy, pendingInvitations: 200 }, "pending").score).toBe(100);
    expect(factor({ ...healthy, pendingInvitations: 350 }, "pending").score).toBe(50);
    expect(factor({ ...healthy, pendingInvitations: 800 }, "pending").score).toBe(0);
  });

  it("scores the error rate from 100 at 5 % down to 0 at 30 %, with 10 attempts at least", () => {
    expect(factor({ ...healthy, attempts: 100, failures: 5 }, "errors").score).toBe(100);
    expect(factor({ ...healthy, attempts: 100, failures: 30 }, "errors").score).toBe(0);
    expect(factor({ ...healthy, attempts: 9, failures: 9 }, "errors")).toMatchObject({
      score: 100,
      enoughData: false,
    });
  });

  it("lowers the score under cap pressure but never below 40 from it alone", () => {
    expect(factor({ ...healthy, capUse: 0.7 }, "cap_pressure").score).toBe(100);
    expect(factor({ ...healthy, capUse: 1 }, "cap_pressure").score).toBe(40);
    expect(factor({ ...healthy, connectWeekUse: 1 }, "cap_pressure").score).toBe(40);
  });

  it("takes the weakest factor as the score and names it", () => {
    const score = safetyScore({ ...healthy, pendingInvitations: 440, attempts: 100, failures: 10 });
    expect(score.weakest.key).toBe("pending");
    expect(score.score).toBe(20);
  });

  it("pauses below the threshold with the weakest factor as the reason, and can be turned off", () => {
    const low = safetyScore({ ...healthy, acceptedInvitations: 3 });
    const reason = safetyPauseReason(low, { pauseBelow: 40 });
    expect(reason).toContain("safety score 0 below 40");
    expect(reason).toContain("acceptance rate");
    expect(reason).toContain("5 % of 60 invitations accepted");
    expect(safetyPauseReason(low, { pauseBelow: 0 })).toBeNull();
    expect(safetyPauseReason(safetyScore(healthy), { pauseBelow: 40 })).toBeNull();
  });
});

describe("safety inputs from the store's counts", () => {
  const counts: SafetyCounts = {
    settledInvitations: 10,
    acceptedInvitations: 4,
    pendingInvitations: 6,
    attempts: 30,
    failures: 1,
    usage: [
      // Friday 2026-03-06 and Thursday: working days; Saturday 7th is not one.
      { localDate: "2026-03-06", total: 150, connect: 25 },
      { localDate: "2026-03-05", total: 75, connect: 25 },
      { localDate: "2026-03-07", total: 40, connect: 0 },
    ],
  };

  it("averages cap use over the working days of the last week against the caps in force", () => {
    const pacing = PacingSettingsSchema.parse({ timeZone: "Europe/Paris" });
    const inputs = safetyInputs(counts, pacing, "2026-03-08");
    // Mon 2nd … Fri 6th are the working days in the window (Sun 8th back to Mon 2nd):
    // 5 days × 150 allowed, 150 + 75 + 0 used on them (Saturday's actions do not count).
    expect(inputs.capUse).toBeCloseTo(225 / 750, 6);
    expect(inputs.connectWeekUse).toBeCloseTo(50 / 100, 6);
  });

  it("counts against the warm-up caps of each day", () => {
    const pacing = PacingSettingsSchema.parse({
      timeZone: "Europe/Paris",
      warmup: { startDate: "2026-03-02" },
    });
    // Week 1 of the warm-up: 20 % of 150 = 30 a day, 20 % of 100 = 20 connects a week.
    const inputs = safetyInputs(counts, pacing, "2026-03-06");
    expect(inputs.capUse).toBe(1);
    expect(inputs.connectWeekUse).toBe(1);
  });
});
