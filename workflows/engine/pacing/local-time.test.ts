import { describe, expect, it } from "vitest";
import {
  addLocalDays,
  daysBetweenLocalDates,
  isoWeekday,
  localDate,
  startOfLocalDate,
} from "./local-time";

describe("localDate", () => {
  it("counts the day in the account's time zone, not in UTC", () => {
    const instant = new Date("2025-01-06T23:30:00Z");
    expect(localDate(instant, "UTC")).toBe("2025-01-06");
    expect(localDate(instant, "Asia/Kolkata")).toBe("2025-01-07"); // 05:00 IST
    expect(localDate(instant, "America/New_York")).toBe("2025-01-06"); // 18:30 EST
    expect(localDate(Date.parse("2025-01-07T04:59:59.999Z"), "America/New_York")).toBe(
      "2025-01-06",
    );
    expect(localDate(Date.parse("2025-01-07T05:00:00Z"), "America/New_York")).toBe("2025-01-07");
  });
});

describe("local calendar arithmetic", () => {
  it("adds days across month ends and leap days", () => {
    expect(addLocalDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addLocalDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(addLocalDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(daysBetweenLocalDates("2025-03-01", "2025-03-31")).toBe(30);
    expect(daysBetweenLocalDates("2025-03-31", "2025-03-01")).toBe(-30);
  });

  it("names ISO weekdays with Monday = 1 and Sunday = 7", () => {
    expect(isoWeekday("2025-01-06")).toBe(1);
    expect(isoWeekday("2025-01-12")).toBe(7);
  });

  it("finds the first instant of a local date, including after a DST gap at midnight", () => {
    expect(new Date(startOfLocalDate("2025-03-30", "Europe/Paris")).toISOString()).toBe(
      "2025-03-29T23:00:00.000Z",
    );
    // Chile skips 00:00–01:00 when it moves to summer time (2024-09-08).
    expect(new Date(startOfLocalDate("2024-09-08", "America/Santiago")).toISOString()).toBe(
      "2024-09-08T04:00:00.000Z",
    );
  });
});
