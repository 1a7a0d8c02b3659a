import { describe, expect, it } from "vitest";
import { acceleratedClock, realClock, VirtualClock } from "./clock";

describe("realClock", () => {
  it("reads the system time", () => {
    const before = Date.now();
    const now = realClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe("acceleratedClock", () => {
  it("passes `scale` times faster than real time, from its origin", () => {
    let real = 1_000_000;
    const origin = new Date("2025-03-03T08:00:00Z");
    const clock = acceleratedClock({ scale: 600, origin, realTime: () => real });
    expect(clock.now().toISOString()).toBe(origin.toISOString());
    real += 1000; // one real second = ten virtual minutes
    expect(clock.now().toISOString()).toBe("2025-03-03T08:10:00.000Z");
    real += 6000;
    expect(clock.now().toISOString()).toBe("2025-03-03T09:10:00.000Z");
  });

  it("starts from the real time when no origin is given", () => {
    let real = Date.UTC(2025, 0, 1);
    const clock = acceleratedClock({ scale: 60, realTime: () => real });
    real += 2000;
    expect(clock.now().getTime()).toBe(Date.UTC(2025, 0, 1) + 120_000);
  });

  it("stands still while held, then runs on from where it stood", () => {
    let real = 0;
    const origin = new Date("2025-03-03T08:00:00Z");
    const clock = acceleratedClock({ scale: 600, origin, realTime: () => real });
    real += 1000;
    clock.hold();
    expect(clock.held).toBe(true);
    real += 5000; // a slow turn: no virtual time passes
    expect(clock.now().toISOString()).toBe("2025-03-03T08:10:00.000Z");
    clock.run();
    expect(clock.held).toBe(false);
    real += 1000;
    expect(clock.now().toISOString()).toBe("2025-03-03T08:20:00.000Z");
  });

  it("never runs past the next due instant it was given, and waits there", () => {
    let real = 0;
    const origin = new Date("2025-03-03T08:00:00Z");
    const clock = acceleratedClock({ scale: 600, origin, realTime: () => real });
    clock.run(new Date("2025-03-03T08:04:00Z"));
    real += 1000;
    expect(clock.now().toISOString()).toBe("2025-03-03T08:04:00.000Z");
    real += 10_000;
    expect(clock.now().toISOString()).toBe("2025-03-03T08:04:00.000Z");
    // A due instant already passed does not send the clock back.
    clock.run(new Date("2025-03-03T08:00:00Z"));
    expect(clock.now().toISOString()).toBe("2025-03-03T08:04:00.000Z");
    clock.run(null);
    real += 1000;
    expect(clock.now().toISOString()).toBe("2025-03-03T08:14:00.000Z");
  });

  it("refuses a scale that is not a positive number", () => {
    expect(() => acceleratedClock({ scale: 0 })).toThrow(RangeError);
    expect(() => acceleratedClock({ scale: Number.NaN })).toThrow(RangeError);
  });
});

describe("VirtualClock", () => {
  it("stands still until advanced, then moves by exactly the amount asked", () => {
    const clock = new VirtualClock(new Date("2025-01-06T09:00:00Z"));
    expect(clock.now().toISOString()).toBe("2025-01-06T09:00:00.000Z");
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe("2025-01-06T09:01:30.000Z");
  });

  it("jumps forward to a due time but refuses going back", () => {
    const clock = new VirtualClock(Date.UTC(2025, 0, 6, 9));
    clock.advanceTo(new Date("2025-01-07T09:00:00Z"));
    expect(clock.now().toISOString()).toBe("2025-01-07T09:00:00.000Z");
    clock.advanceTo(new Date("2025-01-07T09:00:00Z")); // staying put is fine
    expect(() => clock.advanceTo(new Date("2025-01-06T09:00:00Z"))).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it("can be set anywhere, including backwards, to replay a scenario", () => {
    const clock = new VirtualClock(Date.UTC(2025, 5, 1));
    clock.set(new Date("2024-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2024-01-01T00:00:00.000Z");
  });

  it("hands out copies, so a caller mutating a Date cannot move the clock", () => {
    const clock = new VirtualClock(Date.UTC(2025, 0, 1));
    clock.now().setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2025);
  });
});
