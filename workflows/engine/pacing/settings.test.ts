import { describe, expect, it } from "vitest";
import { ACTION_KINDS, PacingSettingsSchema, WorkingHoursInputSchema } from "./settings";

describe("PacingSettingsSchema", () => {
  it("fills every documented default from a time zone alone", () => {
    expect(PacingSettingsSchema.parse({ timeZone: "Europe/Paris" })).toEqual({
      timeZone: "Europe/Paris",
      workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
      gap: { minSeconds: 90, maxSeconds: 360 },
      dailyStartOffsetMaxMinutes: 30,
      caps: {
        perDay: { connect: 25, visit: 80, follow: 40, message: 60, inmail: 30, like_post: 40 },
        totalPerDay: 150,
        connectPer7Days: 100,
      },
      warmup: { startDate: null, ramp: [0.2, 0.4, 0.6, 0.8, 1] },
      safety: { pauseBelow: 40, handoverAfterPausedHours: 24 },
      priorities: true,
      invitations: { withdrawAfterDays: 21, withdrawPerDay: 40, pendingCeiling: 400 },
    });
  });

  it("keeps the other defaults when one nested number is overridden", () => {
    const settings = PacingSettingsSchema.parse({
      timeZone: "Asia/Kolkata",
      caps: { perDay: { connect: 10 } },
      warmup: { startDate: "2025-01-06" },
    });
    expect(settings.caps.perDay).toEqual({
      connect: 10,
      visit: 80,
      follow: 40,
      message: 60,
      inmail: 30,
      like_post: 40,
    });
    expect(settings.caps.totalPerDay).toBe(150);
    expect(settings.warmup.ramp).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("refuses an unknown time zone, a missing one, and a non-IANA spelling", () => {
    expect(PacingSettingsSchema.safeParse({ timeZone: "Mars/Olympus_Mons" }).success).toBe(false);
    expect(PacingSettingsSchema.safeParse({}).success).toBe(false);
    expect(PacingSettingsSchema.safeParse({ timeZone: "CEST+2" }).success).toBe(false);
  });

  it("refuses working hours that cover no time", () => {
    const refuse = (workingHours: object) =>
      expect(PacingSettingsSchema.safeParse({ timeZone: "UTC", workingHours }).success).toBe(false);
    refuse({ days: [] });
    refuse({ days: [1, 1] });
    refuse({ days: [0] });
    refuse({ days: [8] });
    refuse({ start: "18:00", end: "09:00" });
    refuse({ start: "09:00", end: "09:00" });
    refuse({ start: "9:00" });
    refuse({ end: "24:30" });
  });

  it("accepts a working day that ends at midnight", () => {
    const settings = PacingSettingsSchema.parse({
      timeZone: "UTC",
      workingHours: { days: [6, 7], start: "20:00", end: "24:00" },
    });
    expect(settings.workingHours.end).toBe("24:00");
  });

  it("refuses a start offset as long as the working day, a gap range upside down, negative caps", () => {
    expect(
      PacingSettingsSchema.safeParse({
        timeZone: "UTC",
        workingHours: { start: "09:00", end: "09:30" },
        dailyStartOffsetMaxMinutes: 30,
      }).success,
    ).toBe(false);
    expect(
      PacingSettingsSchema.safeParse({ timeZone: "UTC", gap: { minSeconds: 400 } }).success,
    ).toBe(false);
    expect(
      PacingSettingsSchema.safeParse({ timeZone: "UTC", caps: { totalPerDay: -1 } }).success,
    ).toBe(false);
  });

  it("refuses warm-up ramps with fractions outside (0, 1] and impossible start dates", () => {
    const refuse = (warmup: object) =>
      expect(PacingSettingsSchema.safeParse({ timeZone: "UTC", warmup }).success).toBe(false);
    refuse({ ramp: [] });
    refuse({ ramp: [0, 1] });
    refuse({ ramp: [0.5, 1.5] });
    refuse({ startDate: "2025-02-30" });
    refuse({ startDate: "2025-1-6" });
  });

  it("lists the six action kinds that count against caps", () => {
    expect(ACTION_KINDS).toEqual(["visit", "follow", "connect", "message", "inmail", "like_post"]);
  });
});

describe("working hours: one set of rules for the engine and the account editor", () => {
  const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
    result.error?.issues.map((issue) => issue.message) ?? [];

  it("both refuse no day, a repeated day and a time that is not HH:MM, with the same words", () => {
    for (const workingHours of [
      { days: [], start: "09:00", end: "18:00" },
      { days: [1, 1], start: "09:00", end: "18:00" },
      { days: [1], start: "9h", end: "18:00" },
    ]) {
      const engine = messages(
        PacingSettingsSchema.safeParse({ timeZone: "Europe/Paris", workingHours }),
      );
      const editor = messages(WorkingHoursInputSchema.safeParse(workingHours));
      // The field's own message first; checks of the whole object may follow it.
      expect(engine.length).toBeGreaterThan(0);
      expect(editor[0]).toBe(engine[0]);
    }
  });

  it("the editor also wants every field and a day of at least an hour; the engine fills defaults", () => {
    expect(WorkingHoursInputSchema.safeParse({ days: [1] }).success).toBe(false);
    expect(
      messages(WorkingHoursInputSchema.safeParse({ days: [1], start: "09:00", end: "09:30" })),
    ).toEqual(["Working hours must end at least an hour after they start."]);
    expect(
      PacingSettingsSchema.parse({ timeZone: "UTC", workingHours: { days: [2] } }).workingHours,
    ).toEqual({ days: [2], start: "09:00", end: "18:00" });
  });
});
