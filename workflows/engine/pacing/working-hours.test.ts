import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MINUTE_MS } from "./local-time";
import { type PacingSettingsInput, PacingSettingsSchema } from "./settings";
import { isWithinWorkingHours, nextWorkingDayStart, nextWorkingInstant } from "./working-hours";

const settingsIn = (timeZone: string, extra: Omit<PacingSettingsInput, "timeZone"> = {}) =>
  PacingSettingsSchema.parse({ timeZone, ...extra });
const iso = (date: Date) => date.toISOString();

const paris = settingsIn("Europe/Paris");
const newYork = settingsIn("America/New_York");
const everyDay = { days: [1, 2, 3, 4, 5, 6, 7] };

describe("isWithinWorkingHours", () => {
  it("is true from the start of the day up to, but not including, its end", () => {
    // 2025-01-06 is a Monday; Paris is UTC+1 in winter.
    expect(isWithinWorkingHours(new Date("2025-01-06T07:59:59.999Z"), paris)).toBe(false);
    expect(isWithinWorkingHours(new Date("2025-01-06T08:00:00Z"), paris)).toBe(true);
    expect(isWithinWorkingHours(new Date("2025-01-06T16:59:59.999Z"), paris)).toBe(true);
    expect(isWithinWorkingHours(new Date("2025-01-06T17:00:00Z"), paris)).toBe(false);
  });

  it("is false all weekend with the default Monday–Friday", () => {
    expect(isWithinWorkingHours(new Date("2025-01-11T10:00:00Z"), paris)).toBe(false);
    expect(isWithinWorkingHours(new Date("2025-01-12T10:00:00Z"), paris)).toBe(false);
  });

  it("reads working hours on the account's wall clock, half-hour zones included", () => {
    const kolkata = settingsIn("Asia/Kolkata");
    expect(isWithinWorkingHours(new Date("2025-01-06T03:29:00Z"), kolkata)).toBe(false); // 08:59
    expect(isWithinWorkingHours(new Date("2025-01-06T03:30:00Z"), kolkata)).toBe(true); // 09:00
  });

  it("starts the day late by that day's offset", () => {
    const monday = new Date("2025-01-06T08:10:00Z"); // 09:10 Paris
    expect(isWithinWorkingHours(monday, paris, () => 15)).toBe(false);
    expect(isWithinWorkingHours(monday, paris, () => 5)).toBe(true);
  });
});

describe("nextWorkingInstant", () => {
  it("returns the instant itself inside working hours", () => {
    const at = new Date("2025-01-06T10:17:23.456Z");
    expect(iso(nextWorkingInstant(at, paris))).toBe(iso(at));
  });

  it("moves an evening send to the next morning and a Friday evening to Monday", () => {
    expect(iso(nextWorkingInstant(new Date("2025-01-06T19:00:00Z"), paris))).toBe(
      "2025-01-07T08:00:00.000Z",
    );
    expect(iso(nextWorkingInstant(new Date("2025-01-10T17:00:00Z"), paris))).toBe(
      "2025-01-13T08:00:00.000Z",
    );
  });

  it("applies the start offset of the day it lands on, not of the day it starts from", () => {
    const offsets: Record<string, number> = { "2025-01-10": 25, "2025-01-13": 12.5 };
    const result = nextWorkingInstant(
      new Date("2025-01-10T17:30:00Z"),
      paris,
      (date) => offsets[date] ?? 0,
    );
    expect(iso(result)).toBe("2025-01-13T08:12:30.000Z");
  });

  it("clamps a start offset to the account's maximum", () => {
    const result = nextWorkingInstant(new Date("2025-01-06T06:00:00Z"), paris, () => 500);
    expect(iso(result)).toBe("2025-01-06T08:30:00.000Z");
  });

  it("keeps 09:00 local across the spring DST change (Europe/Paris)", () => {
    // Friday 2025-03-28 after hours → Monday 2025-03-31 09:00 CEST (UTC+2).
    expect(iso(nextWorkingInstant(new Date("2025-03-28T18:00:00Z"), paris))).toBe(
      "2025-03-31T07:00:00.000Z",
    );
  });

  it("keeps 09:00 local across the autumn DST change (America/New_York)", () => {
    // Friday 2025-10-31 after hours (EDT) → Monday 2025-11-03 09:00 EST (UTC−5).
    expect(iso(nextWorkingInstant(new Date("2025-10-31T23:00:00Z"), newYork))).toBe(
      "2025-11-03T14:00:00.000Z",
    );
    // And in March: Friday 2025-03-07 (EST) → Monday 2025-03-10 09:00 EDT (UTC−4).
    expect(iso(nextWorkingInstant(new Date("2025-03-07T23:00:00Z"), newYork))).toBe(
      "2025-03-10T13:00:00.000Z",
    );
  });

  it("skips a day whose working hours fall entirely in the hour DST removes", () => {
    const nightShift = settingsIn("Europe/Paris", {
      workingHours: { ...everyDay, start: "02:00", end: "02:45" },
      dailyStartOffsetMaxMinutes: 0,
    });
    // 2025-03-30 02:00–03:00 does not exist in Paris: next window is 2025-03-31 02:00 CEST.
    expect(iso(nextWorkingInstant(new Date("2025-03-29T23:30:00Z"), nightShift))).toBe(
      "2025-03-31T00:00:00.000Z",
    );
  });

  it("opens at the DST jump when the working day starts inside the skipped hour", () => {
    const early = settingsIn("Europe/Paris", {
      workingHours: { ...everyDay, start: "02:30", end: "04:00" },
    });
    // At 01:00Z the clock jumps from 02:00 to 03:00: the first wall time >= 02:30 is 03:00.
    expect(iso(nextWorkingInstant(new Date("2025-03-29T23:30:00Z"), early))).toBe(
      "2025-03-30T01:00:00.000Z",
    );
  });

  it("works both passes of the hour DST repeats (America/New_York, 2025-11-02)", () => {
    const repeatedHour = settingsIn("America/New_York", {
      workingHours: { ...everyDay, start: "01:00", end: "02:00" },
      dailyStartOffsetMaxMinutes: 0,
    });
    // 01:00 EDT = 05:00Z; at 06:00Z clocks go back to 01:00 EST, worked again until 07:00Z.
    expect(iso(nextWorkingInstant(new Date("2025-11-02T04:00:00Z"), repeatedHour))).toBe(
      "2025-11-02T05:00:00.000Z",
    );
    expect(isWithinWorkingHours(new Date("2025-11-02T06:30:00Z"), repeatedHour)).toBe(true);
    expect(iso(nextWorkingInstant(new Date("2025-11-02T07:00:00Z"), repeatedHour))).toBe(
      "2025-11-03T06:00:00.000Z",
    );
  });

  it("handles half-hour offsets (Asia/Kolkata)", () => {
    const kolkata = settingsIn("Asia/Kolkata");
    // Saturday 2025-01-11 12:00 IST → Monday 2025-01-13 09:00 IST = 03:30Z.
    expect(iso(nextWorkingInstant(new Date("2025-01-11T06:30:00Z"), kolkata))).toBe(
      "2025-01-13T03:30:00.000Z",
    );
  });

  it("is the earliest working instant at or after `from` (property, several zones)", () => {
    const zones = [
      "UTC",
      "Europe/Paris",
      "America/New_York",
      "Asia/Kolkata",
      "Australia/Lord_Howe", // DST moves by 30 minutes
      "America/Santiago", // DST at midnight
      "Pacific/Chatham", // UTC+12:45
      "Pacific/Kiritimati", // UTC+14
    ];
    const clockTime = (minute: number) =>
      `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
    const settingsArb = fc
      .record({
        timeZone: fc.constantFrom(...zones),
        days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        startMinute: fc.integer({ min: 0, max: 23 * 60 }),
        length: fc.integer({ min: 31, max: 10 * 60 }),
      })
      .map(({ timeZone, days, startMinute, length }) =>
        settingsIn(timeZone, {
          workingHours: {
            days,
            start: clockTime(startMinute),
            end: clockTime(Math.min(24 * 60, startMinute + length)),
          },
        }),
      );
    // DST weeks and ordinary weeks, 2024–2026.
    const fromArb = fc.oneof(
      fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }),
      fc.integer({ min: Date.UTC(2025, 2, 5), max: Date.UTC(2025, 3, 10) }),
      fc.integer({ min: Date.UTC(2025, 9, 1), max: Date.UTC(2025, 10, 10) }),
    );
    fc.assert(
      fc.property(settingsArb, fromArb, fc.integer({ min: 0, max: 29 }), (settings, from, seed) => {
        const offsetFor = (date: string) => (seed * date.length + Number(date.slice(-2))) % 30;
        const result = nextWorkingInstant(from, settings, offsetFor).getTime();
        expect(result).toBeGreaterThanOrEqual(from);
        expect(isWithinWorkingHours(result, settings, offsetFor)).toBe(true);
        if (result > from) {
          expect(isWithinWorkingHours(result - 1, settings, offsetFor)).toBe(false);
        }
        for (let t = from; t < result; t += MINUTE_MS) {
          if (isWithinWorkingHours(t, settings, offsetFor)) {
            throw new Error(`working instant ${new Date(t).toISOString()} before the result`);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("nextWorkingDayStart", () => {
  it("cools the account down until the start of the next working day", () => {
    // Monday 10:00 Paris → Tuesday 09:00; Friday → Monday.
    expect(iso(nextWorkingDayStart(new Date("2025-01-06T09:00:00Z"), paris))).toBe(
      "2025-01-07T08:00:00.000Z",
    );
    expect(iso(nextWorkingDayStart(new Date("2025-01-10T09:00:00Z"), paris))).toBe(
      "2025-01-13T08:00:00.000Z",
    );
  });

  it("skips the rest of today even before today's hours have started", () => {
    expect(iso(nextWorkingDayStart(new Date("2025-01-06T05:00:00Z"), paris))).toBe(
      "2025-01-07T08:00:00.000Z",
    );
  });

  it("uses the local date: late Monday evening in New York is still Monday", () => {
    // 2025-01-07T03:00Z is Monday 22:00 EST → Tuesday 09:00 EST.
    expect(iso(nextWorkingDayStart(new Date("2025-01-07T03:00:00Z"), newYork))).toBe(
      "2025-01-07T14:00:00.000Z",
    );
  });

  it("respects that day's start offset", () => {
    expect(iso(nextWorkingDayStart(new Date("2025-01-06T09:00:00Z"), paris, () => 20))).toBe(
      "2025-01-07T08:20:00.000Z",
    );
  });
});
