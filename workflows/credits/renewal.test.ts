import { describe, expect, it } from "vitest";
import { creditPoolForPlan } from "./pool";
import { forecastRenewal, nextRenewal, renewalDates, renewalEntries } from "./renewal";

const isoDays = (dates: Date[]) => dates.map((date) => date.toISOString().slice(0, 10));
const salesNavigator = creditPoolForPlan("sales_navigator_core", { renewalAnchorDay: 15 });

describe("renewalDates", () => {
  it("renews monthly on the anchor day, in [from, to)", () => {
    const dates = renewalDates(
      15,
      new Date("2025-01-15T00:00:00Z"),
      new Date("2025-04-15T00:00:00Z"),
    );
    expect(isoDays(dates)).toEqual(["2025-01-15", "2025-02-15", "2025-03-15"]);
  });

  it("falls back to the last day of shorter months for anchor day 31", () => {
    const dates = renewalDates(
      31,
      new Date("2024-01-01T00:00:00Z"),
      new Date("2025-01-01T00:00:00Z"),
    );
    expect(isoDays(dates)).toEqual([
      "2024-01-31",
      "2024-02-29",
      "2024-03-31",
      "2024-04-30",
      "2024-05-31",
      "2024-06-30",
      "2024-07-31",
      "2024-08-31",
      "2024-09-30",
      "2024-10-31",
      "2024-11-30",
      "2024-12-31",
    ]);
    const nonLeap = renewalDates(
      30,
      new Date("2025-02-01T00:00:00Z"),
      new Date("2025-03-01T00:00:00Z"),
    );
    expect(isoDays(nonLeap)).toEqual(["2025-02-28"]);
  });

  it("renews at midnight in the pool's time zone", () => {
    const [first] = renewalDates(
      1,
      new Date("2025-01-01T00:00:00Z"),
      new Date("2025-02-15T00:00:00Z"),
      "America/New_York",
    );
    expect(first?.toISOString()).toBe("2025-01-01T05:00:00.000Z");
  });
});

describe("renewalEntries", () => {
  it("grants the whole allowance when it fits under the cap", () => {
    expect(renewalEntries(40, salesNavigator, new Date("2025-02-15T00:00:00Z"))).toEqual([
      { at: new Date("2025-02-15T00:00:00Z"), type: "grant", amount: 50 },
    ]);
  });

  it("grants up to the cap and records the rest as forfeited", () => {
    const at = new Date("2025-02-15T00:00:00Z");
    expect(renewalEntries(130, salesNavigator, at)).toEqual([
      { at, type: "grant", amount: 20 },
      { at, type: "forfeit", amount: 30 },
    ]);
  });

  it("grants nothing at the cap, or above it after purchases: the whole allowance is forfeited", () => {
    const at = new Date("2025-02-15T00:00:00Z");
    expect(renewalEntries(150, salesNavigator, at)).toEqual([{ at, type: "forfeit", amount: 50 }]);
    expect(renewalEntries(170, salesNavigator, at)).toEqual([{ at, type: "forfeit", amount: 50 }]);
  });
});

describe("nextRenewal and forecastRenewal", () => {
  it("finds the next renewal strictly after now", () => {
    expect(nextRenewal(salesNavigator, new Date("2025-03-10T12:00:00Z")).toISOString()).toBe(
      "2025-03-15T00:00:00.000Z",
    );
    expect(nextRenewal(salesNavigator, new Date("2025-03-15T00:00:00Z")).toISOString()).toBe(
      "2025-04-15T00:00:00.000Z",
    );
  });

  it("warns of the credits the next renewal will forfeit at the current balance", () => {
    expect(forecastRenewal(salesNavigator, 140, new Date("2025-03-20T00:00:00Z"))).toEqual({
      at: new Date("2025-04-15T00:00:00Z"),
      grant: 10,
      forfeit: 40,
    });
    const anchor31 = creditPoolForPlan("recruiter_lite", { renewalAnchorDay: 31 });
    expect(forecastRenewal(anchor31, 0, new Date("2025-02-01T00:00:00Z"))).toEqual({
      at: new Date("2025-02-28T00:00:00Z"),
      grant: 30,
      forfeit: 0,
    });
  });
});
