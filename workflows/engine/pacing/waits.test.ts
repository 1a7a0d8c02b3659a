import { describe, expect, it } from "vitest";
import { HOUR_MS } from "./local-time";
import { PacingSettingsSchema } from "./settings";
import { addWait, WaitDurationSchema } from "./waits";

const paris = PacingSettingsSchema.parse({ timeZone: "Europe/Paris" });
const newYork = PacingSettingsSchema.parse({ timeZone: "America/New_York" });
const days = (amount: number, workingDaysOnly = false) =>
  WaitDurationSchema.parse({ amount, unit: "days", workingDaysOnly });
const hours = (amount: number, workingDaysOnly = false) =>
  WaitDurationSchema.parse({ amount, unit: "hours", workingDaysOnly });
const iso = (date: Date) => date.toISOString();

// Friday 2025-01-10, 10:00 in Paris (UTC+1).
const fridayTen = new Date("2025-01-10T09:00:00Z");

describe("addWait in days", () => {
  it("counts calendar days through a weekend, same local time", () => {
    expect(iso(addWait(fridayTen, days(3), paris))).toBe("2025-01-13T09:00:00.000Z"); // Monday
  });

  it("with workingDaysOnly, counts only working days (Friday + 3 → Wednesday)", () => {
    expect(iso(addWait(fridayTen, days(3, true), paris))).toBe("2025-01-15T09:00:00.000Z");
  });

  it("from a weekend, the first working day counts as one", () => {
    const saturday = new Date("2025-01-11T09:00:00Z");
    expect(iso(addWait(saturday, days(1, true), paris))).toBe("2025-01-13T09:00:00.000Z");
  });

  it("keeps the local time across the spring DST change (71 elapsed hours)", () => {
    const from = new Date("2025-03-28T09:00:00Z"); // Friday 10:00 CET
    const until = addWait(from, days(3), paris);
    expect(iso(until)).toBe("2025-03-31T08:00:00.000Z"); // Monday 10:00 CEST
    expect((until.getTime() - from.getTime()) / HOUR_MS).toBe(71);
  });

  it("keeps the local time across the autumn DST change (73 elapsed hours)", () => {
    const from = new Date("2025-10-31T14:00:00Z"); // Friday 10:00 EDT
    const until = addWait(from, days(3), newYork);
    expect(iso(until)).toBe("2025-11-03T15:00:00.000Z"); // Monday 10:00 EST
    expect((until.getTime() - from.getTime()) / HOUR_MS).toBe(73);
  });

  it("counts days in the account's zone: 1 day after Monday 23:30 IST is Tuesday 23:30 IST", () => {
    const kolkata = PacingSettingsSchema.parse({ timeZone: "Asia/Kolkata" });
    const from = new Date("2025-01-06T18:00:00Z");
    expect(iso(addWait(from, days(1, true), kolkata))).toBe("2025-01-07T18:00:00.000Z");
  });

  it("a wait of zero is no wait", () => {
    expect(iso(addWait(fridayTen, days(0, true), paris))).toBe(iso(fridayTen));
  });
});

describe("addWait in hours", () => {
  it("counts elapsed hours, so a DST change moves the local time", () => {
    const from = new Date("2025-03-29T11:00:00Z"); // Saturday 12:00 CET
    const until = addWait(from, hours(24), paris);
    expect(until.getTime() - from.getTime()).toBe(24 * HOUR_MS); // Sunday 13:00 CEST
  });

  it("with workingDaysOnly, pauses over non-working days (Friday 17:00 + 24 h → Monday 17:00)", () => {
    const fridayFive = new Date("2025-01-10T16:00:00Z");
    expect(iso(addWait(fridayFive, hours(24, true), paris))).toBe("2025-01-13T16:00:00.000Z");
  });

  it("with workingDaysOnly, starts counting at the next working day's midnight", () => {
    const saturday = new Date("2025-01-11T09:00:00Z");
    expect(iso(addWait(saturday, hours(2.5, true), paris))).toBe("2025-01-13T01:30:00.000Z");
  });
});

describe("WaitDurationSchema", () => {
  it("refuses fractional days and negative amounts, accepts fractional hours", () => {
    expect(WaitDurationSchema.safeParse({ amount: 1.5, unit: "days" }).success).toBe(false);
    expect(WaitDurationSchema.safeParse({ amount: -1, unit: "hours" }).success).toBe(false);
    expect(WaitDurationSchema.parse({ amount: 1.5, unit: "hours" }).workingDaysOnly).toBe(false);
  });
});
