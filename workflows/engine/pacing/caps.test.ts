import { describe, expect, it } from "vitest";
import {
  type CapsInForce,
  capCheck,
  capsInForce,
  effectiveCaps,
  rollingConnectUsage,
  rollingWindowDates,
  scaleCap,
  warmupFactor,
} from "./caps";
import { addLocalDays } from "./local-time";
import { type PacingSettingsInput, PacingSettingsSchema } from "./settings";

const warmingUp = (extra: Omit<PacingSettingsInput, "timeZone"> = {}) =>
  PacingSettingsSchema.parse({
    timeZone: "Europe/Paris",
    warmup: { startDate: "2025-01-06" },
    ...extra,
  });
const dayOfWarmup = (day: number) => addLocalDays("2025-01-06", day);

describe("warmupFactor", () => {
  it("follows the default ramp by week since the start date", () => {
    const { warmup } = warmingUp();
    const table: Array<[number, number]> = [
      [0, 0.2],
      [6, 0.2],
      [7, 0.4],
      [13, 0.4],
      [14, 0.6],
      [21, 0.8],
      [27, 0.8],
      [28, 1],
      [35, 1],
      [400, 1],
    ];
    for (const [day, factor] of table) expect(warmupFactor(dayOfWarmup(day), warmup)).toBe(factor);
  });

  it("holds the first step before the start date and is full without a start date", () => {
    expect(warmupFactor("2025-01-01", warmingUp().warmup)).toBe(0.2);
    const established = PacingSettingsSchema.parse({ timeZone: "UTC" });
    expect(warmupFactor("2025-01-01", established.warmup)).toBe(1);
  });

  it("uses a custom ramp and holds its last value", () => {
    const { warmup } = warmingUp({ warmup: { startDate: "2025-01-06", ramp: [0.5, 0.75] } });
    expect(warmupFactor(dayOfWarmup(3), warmup)).toBe(0.5);
    expect(warmupFactor(dayOfWarmup(10), warmup)).toBe(0.75);
    expect(warmupFactor(dayOfWarmup(100), warmup)).toBe(0.75);
  });
});

describe("capsInForce", () => {
  it("on day 0 allows 20% of each cap: 25 connect → 5, 80 visit → 16, 150 total → 30", () => {
    expect(capsInForce(warmingUp(), dayOfWarmup(0))).toEqual({
      connect: 5,
      visit: 16,
      follow: 8,
      message: 12,
      inmail: 6,
      like_post: 8,
      total: 30,
      connect_7d: 20,
    });
  });

  it("is at full caps from day 35", () => {
    expect(capsInForce(warmingUp(), dayOfWarmup(35))).toEqual({
      connect: 25,
      visit: 80,
      follow: 40,
      message: 60,
      inmail: 30,
      like_post: 40,
      total: 150,
      connect_7d: 100,
    });
  });

  it("does not round float noise up a whole action (100 × 0.55 = 55, not 56)", () => {
    expect(100 * 0.55).toBeGreaterThan(55); // the float noise this guards against
    const settings = warmingUp({ warmup: { startDate: "2025-01-06", ramp: [0.55, 1] } });
    expect(capsInForce(settings, dayOfWarmup(0)).connect_7d).toBe(55);
    expect(capsInForce(warmingUp(), dayOfWarmup(14)).connect).toBe(15);
  });

  it("scales per-account overrides too, and effectiveCaps keeps the settings' shape", () => {
    const settings = warmingUp({ caps: { perDay: { connect: 7 }, connectPer7Days: 33 } });
    const caps = effectiveCaps(dayOfWarmup(7), settings);
    expect(caps.perDay.connect).toBe(3); // 2.8 rounded up
    expect(caps.connectPer7Days).toBe(14); // 13.2 rounded up
    expect(caps.totalPerDay).toBe(60);
  });
});

describe("scaleCap", () => {
  it("rounds up and never goes below 1", () => {
    expect(scaleCap(3, 0.2)).toBe(1);
    expect(scaleCap(1, 0.2)).toBe(1);
    expect(scaleCap(11, 0.2)).toBe(3);
    expect(scaleCap(10, 0.2)).toBe(2);
  });

  it("keeps a cap of 0 at 0: the user switched that action off", () => {
    expect(scaleCap(0, 0.2)).toBe(0);
    expect(capsInForce(warmingUp({ caps: { perDay: { inmail: 0 } } }), dayOfWarmup(0)).inmail).toBe(
      0,
    );
  });
});

describe("rollingWindowDates", () => {
  it("lists today and the 7 local dates before it, oldest first, across month and leap days", () => {
    expect(rollingWindowDates("2025-03-03")).toEqual([
      "2025-02-24",
      "2025-02-25",
      "2025-02-26",
      "2025-02-27",
      "2025-02-28",
      "2025-03-01",
      "2025-03-02",
      "2025-03-03",
    ]);
    expect(rollingWindowDates("2024-03-02")).toContain("2024-02-29");
  });

  it("sums connection counters over the window only", () => {
    const used = { "2025-02-23": 50, "2025-02-24": 10, "2025-03-01": 5, "2025-03-03": 2 };
    expect(rollingConnectUsage("2025-03-03", used)).toBe(17);
  });
});

describe("capCheck", () => {
  const caps: CapsInForce = {
    visit: 80,
    follow: 40,
    connect: 25,
    message: 60,
    inmail: 30,
    like_post: 40,
    total: 150,
    connect_7d: 100,
  };

  it("allows the action while every cap has room", () => {
    expect(
      capCheck({ byKind: { connect: 24 }, total: 149, connect7d: 99 }, "connect", caps),
    ).toEqual({ allowed: true });
  });

  it("refuses at the action's own daily cap", () => {
    expect(
      capCheck({ byKind: { connect: 25 }, total: 25, connect7d: 25 }, "connect", caps),
    ).toEqual({ allowed: false, cap: "kind", kind: "connect", limit: 25, used: 25 });
  });

  it("refuses at the total daily cap even when the action's own cap has room", () => {
    expect(capCheck({ byKind: { visit: 10 }, total: 150, connect7d: 0 }, "visit", caps)).toEqual({
      allowed: false,
      cap: "total",
      kind: "visit",
      limit: 150,
      used: 150,
    });
  });

  it("refuses a connection at the rolling 7-day cap, but not other actions", () => {
    const usage = { byKind: { connect: 3 }, total: 3, connect7d: 100 };
    expect(capCheck(usage, "connect", caps)).toEqual({
      allowed: false,
      cap: "connect_7d",
      kind: "connect",
      limit: 100,
      used: 100,
    });
    expect(capCheck(usage, "message", caps)).toEqual({ allowed: true });
  });

  it("refuses an action whose cap is 0 from the first attempt", () => {
    expect(
      capCheck({ byKind: {}, total: 0, connect7d: 0 }, "inmail", { ...caps, inmail: 0 }),
    ).toEqual({
      allowed: false,
      cap: "kind",
      kind: "inmail",
      limit: 0,
      used: 0,
    });
  });
});
