import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SendDraw, scheduleNextSend, sendDrawFor } from "./jitter";
import { localDate } from "./local-time";
import { PacingSettingsSchema } from "./settings";
import { isWithinWorkingHours } from "./working-hours";

const paris = PacingSettingsSchema.parse({ timeZone: "Europe/Paris" });
const fixedDraw = (gap: number, dayStart = 0): SendDraw => ({ gap, dayStart: () => dayStart });
const iso = (date: Date) => date.toISOString();

describe("scheduleNextSend", () => {
  it("sends now when the account is free and inside working hours", () => {
    const now = new Date("2025-01-06T10:00:00Z");
    const { sendAt } = scheduleNextSend({
      nextFreeAt: null,
      now,
      settings: paris,
      draw: fixedDraw(0.5),
    });
    expect(iso(sendAt)).toBe(iso(now));
  });

  it("waits for the account's next-free time", () => {
    const nextFreeAt = new Date("2025-01-06T10:04:00Z");
    const { sendAt } = scheduleNextSend({
      nextFreeAt,
      now: new Date("2025-01-06T10:00:00Z"),
      settings: paris,
      draw: fixedDraw(0.5),
    });
    expect(iso(sendAt)).toBe(iso(nextFreeAt));
  });

  it("moves a send before hours to that day's late start (09:00 + 15 min)", () => {
    const { sendAt } = scheduleNextSend({
      nextFreeAt: null,
      now: new Date("2025-01-06T05:00:00Z"),
      settings: paris,
      draw: fixedDraw(0.5, 0.5),
    });
    expect(iso(sendAt)).toBe("2025-01-06T08:15:00.000Z");
  });

  it("pushes next-free forward by a log-uniform gap between the bounds", () => {
    const now = new Date("2025-01-06T10:00:00Z");
    const at = (gap: number) =>
      scheduleNextSend({ nextFreeAt: null, now, settings: paris, draw: fixedDraw(gap) });
    expect(at(0).gapSeconds).toBe(90);
    expect(at(0.5).gapSeconds).toBeCloseTo(180, 6);
    expect(at(0.999999).gapSeconds).toBeLessThanOrEqual(360);
    const { sendAt, nextFreeAt } = at(0.5);
    expect(nextFreeAt.getTime() - sendAt.getTime()).toBe(180_000);
  });

  it("always sends inside working hours, not before now or next-free, with a gap in bounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 11, 31) }),
        fc.option(fc.integer({ min: -3_600_000, max: 3 * 86_400_000 }), { nil: null }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (now, freeIn, gap, dayStart) => {
          const nextFreeAt = freeIn === null ? null : now + freeIn;
          const draw = fixedDraw(gap, dayStart);
          const send = scheduleNextSend({ nextFreeAt, now, settings: paris, draw });
          const startOffset = () => dayStart * paris.dailyStartOffsetMaxMinutes;
          expect(send.sendAt.getTime()).toBeGreaterThanOrEqual(Math.max(now, nextFreeAt ?? now));
          expect(isWithinWorkingHours(send.sendAt, paris, startOffset)).toBe(true);
          const gapMs = send.nextFreeAt.getTime() - send.sendAt.getTime();
          expect(gapMs).toBeGreaterThanOrEqual(90_000);
          expect(gapMs).toBeLessThanOrEqual(360_000);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never falls into regular intervals over a week of back-to-back sends", () => {
    const draws = (i: number) => sendDrawFor("sim-1", "acct-1", `send-${i}`);
    let nextFreeAt: Date | null = null;
    const now = new Date("2025-01-06T00:00:00Z");
    const sends: Date[] = [];
    for (let i = 0; i < 800; i++) {
      const send = scheduleNextSend({ nextFreeAt, now, settings: paris, draw: draws(i) });
      sends.push(send.sendAt);
      nextFreeAt = send.nextFreeAt;
    }
    const gaps = new Set<number>();
    for (let i = 1; i < sends.length; i++) {
      gaps.add((sends[i]?.getTime() ?? 0) - (sends[i - 1]?.getTime() ?? 0));
    }
    expect(gaps.size).toBe(sends.length - 1);
    // Each working day starts at its own late start, within 09:00–09:30 Paris.
    const firstOfDay = new Map<string, Date>();
    for (const sendAt of sends) {
      const date = localDate(sendAt, paris.timeZone);
      if (!firstOfDay.has(date)) firstOfDay.set(date, sendAt);
    }
    const minutesLate = [...firstOfDay.values()].map((sendAt) => {
      const local = new Date(sendAt.getTime() + 3_600_000); // January: UTC+1
      return local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60 - 540;
    });
    expect(minutesLate.length).toBeGreaterThanOrEqual(4);
    for (const late of minutesLate) {
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(30);
    }
    expect(new Set(minutesLate).size).toBe(minutesLate.length);
  });

  it("replays the same schedule from the same seed", () => {
    const run = (seed: string) => {
      let nextFreeAt: Date | null = null;
      const out: string[] = [];
      for (let i = 0; i < 50; i++) {
        const send = scheduleNextSend({
          nextFreeAt,
          now: new Date("2025-01-06T00:00:00Z"),
          settings: paris,
          draw: sendDrawFor(seed, "acct-1", `send-${i}`),
        });
        out.push(iso(send.sendAt));
        nextFreeAt = send.nextFreeAt;
      }
      return out;
    };
    expect(run("sim-1")).toEqual(run("sim-1"));
    expect(run("sim-1")).not.toEqual(run("sim-2"));
  });
});
