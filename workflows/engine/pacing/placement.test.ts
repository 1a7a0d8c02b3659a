import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capsInForce } from "./caps";
import { scheduleNextSend, sendDrawFor } from "./jitter";
import { localDate } from "./local-time";
import { type Placement, type PlacementDay, type PlacementInput, placeSend } from "./placement";
import { type ActionKind, type PacingSettings, PacingSettingsSchema } from "./settings";
import { isWithinWorkingHours, nextWorkingDayStart } from "./working-hours";

// Monday 2026-03-02, 08:00 in Paris: before a 09:00–11:00 window.
const MONDAY = new Date("2026-03-02T07:00:00Z");
const MINUTE = 60_000;

const shortWindow = PacingSettingsSchema.parse({
  timeZone: "Europe/Paris",
  workingHours: { days: [1, 2, 3, 4, 5, 6], start: "09:00", end: "11:00" },
  dailyStartOffsetMaxMinutes: 0,
  gap: { minSeconds: 600, maxSeconds: 1500 },
  caps: { perDay: { visit: 5 }, totalPerDay: 6 },
});

/** Counters of one account: sends made and places promised, by date and kind. */
class Counters {
  private readonly map = new Map<string, number>();
  get(date: string, kind: string) {
    return this.map.get(`${date}|${kind}`) ?? 0;
  }
  add(date: string, kind: string, n: number) {
    this.map.set(`${date}|${kind}`, this.get(date, kind) + n);
  }
}

function daysAfter(settings: PacingSettings, from: Date, count = 30): PlacementDay[] {
  const days: PlacementDay[] = [];
  let cursor = from;
  for (let i = 0; i < count; i++) {
    cursor = nextWorkingDayStart(cursor, settings);
    const date = localDate(cursor, settings.timeZone);
    days.push({ localDate: date, startsAt: cursor, caps: capsInForce(settings, date) });
  }
  return days;
}

function input(
  overrides: Partial<PlacementInput> & { settings?: PacingSettings; counters?: Counters } = {},
): PlacementInput {
  const settings = overrides.settings ?? shortWindow;
  const counters = overrides.counters ?? new Counters();
  const now = overrides.now ?? new Date("2026-03-02T08:30:00Z"); // 09:30 in Paris
  const today = localDate(now, settings.timeZone);
  return {
    kind: "visit",
    now,
    timeZone: settings.timeZone,
    today,
    todayCaps: capsInForce(settings, today),
    heldSlot: false,
    plan: () => ({ sendAt: now, nextFreeAt: new Date(now.getTime() + 10 * MINUTE) }),
    capsOn: (date) => capsInForce(settings, date),
    taken: (date, kind) => counters.get(date, kind),
    nextDays: (from) => daysAfter(settings, from),
    spacingMs: 10 * MINUTE,
    sendNowMarginMs: 1000,
    ...overrides,
  };
}

describe("placeSend", () => {
  it("sends now when the timeline is free and today has room", () => {
    const placed = placeSend(input());
    expect(placed).toEqual({
      type: "now",
      localDate: "2026-03-02",
      nextFreeAt: new Date("2026-03-02T08:40:00Z"),
    });
  });

  it("gives a later slot today, with a place on today, when today has room", () => {
    const sendAt = new Date("2026-03-02T09:10:00Z");
    const placed = placeSend(
      input({ plan: () => ({ sendAt, nextFreeAt: new Date("2026-03-02T09:25:00Z") }) }),
    );
    expect(placed).toEqual({
      type: "later",
      sendAt,
      localDate: "2026-03-02",
      nextFreeAt: new Date("2026-03-02T09:25:00Z"),
    });
  });

  it("takes no slot on a day whose cap is full counting promised places, and books the next day with room", () => {
    const counters = new Counters();
    counters.add("2026-03-02", "visit", 5); // sends made and places promised together
    counters.add("2026-03-02", "total", 5);
    counters.add("2026-03-03", "visit", 2);
    counters.add("2026-03-03", "total", 2);
    const placed = placeSend(input({ counters }));
    expect(placed).toEqual({
      type: "full",
      cap: "kind",
      limit: 5,
      bookedDate: "2026-03-03",
      // Tuesday 09:00 in Paris, plus a gap for each of the two leads booked before.
      retryAt: new Date("2026-03-03T08:20:00Z"),
    });
  });

  it("lets another kind use the day a full kind cannot", () => {
    const counters = new Counters();
    counters.add("2026-03-02", "visit", 5);
    counters.add("2026-03-02", "total", 5);
    expect(placeSend(input({ counters, kind: "connect" })).type).toBe("now");
    counters.add("2026-03-02", "connect", 1);
    counters.add("2026-03-02", "total", 1);
    expect(placeSend(input({ counters, kind: "connect" }))).toMatchObject({
      type: "full",
      cap: "total",
      limit: 6,
      bookedDate: "2026-03-03",
    });
  });

  it("judges a slot on a coming day by that day's caps, and books the day after it when full", () => {
    const counters = new Counters();
    counters.add("2026-03-04", "total", 6);
    const wednesday = new Date("2026-03-04T08:50:00Z");
    const plan = () => ({ sendAt: wednesday, nextFreeAt: new Date("2026-03-04T09:05:00Z") });
    expect(placeSend(input({ plan, counters }))).toMatchObject({
      type: "full",
      bookedDate: "2026-03-05",
    });
    expect(placeSend(input({ plan, counters: new Counters() }))).toMatchObject({
      type: "later",
      sendAt: wednesday,
      localDate: "2026-03-04",
    });
  });

  it("a lead woken at its slot sends now without asking the timeline", () => {
    const placed = placeSend(
      input({
        heldSlot: true,
        plan: () => {
          throw new Error("a held slot plans nothing");
        },
      }),
    );
    expect(placed).toEqual({ type: "now", localDate: "2026-03-02", nextFreeAt: null });
  });

  it("counts places promised on the rolling window for invitations", () => {
    const counters = new Counters();
    counters.add("2026-02-26", "connect", 60);
    counters.add("2026-03-01", "connect", 40);
    const settings = PacingSettingsSchema.parse({ timeZone: "Europe/Paris" });
    expect(placeSend(input({ settings, counters, kind: "connect" }))).toMatchObject({
      type: "full",
      cap: "connect_7d",
    });
  });
});

/**
 * A seat working through a queue of leads the way the store does: each lead asks when it wakes;
 * the answer moves next-free and the counters, and says when the lead wakes next.
 */
function runSeat(settings: PacingSettings, leads: number, days: number, kinds: ActionKind[]) {
  const counters = new Counters();
  let nextFreeAt: Date | null = null;
  const sent: Array<{ at: Date; kind: ActionKind }> = [];
  interface Lead {
    id: number;
    step: number;
    wakeAt: Date;
    slot: Date | null;
    booked: { date: string; kind: ActionKind } | null;
  }
  const queue: Lead[] = Array.from({ length: leads }, (_, id) => ({
    id,
    step: 0,
    wakeAt: MONDAY,
    slot: null,
    booked: null,
  }));
  const end = MONDAY.getTime() + days * 86_400_000;
  for (let guard = 0; guard < 200_000; guard++) {
    queue.sort((a, b) => a.wakeAt.getTime() - b.wakeAt.getTime() || a.id - b.id);
    const lead = queue[0];
    if (!lead || lead.wakeAt.getTime() >= end) break;
    const now = lead.wakeAt;
    const kind = kinds[lead.step]!;
    const today = localDate(now, settings.timeZone);
    if (lead.booked) {
      counters.add(lead.booked.date, lead.booked.kind, -1);
      counters.add(lead.booked.date, "total", -1);
      lead.booked = null;
    }
    const draw = sendDrawFor("placement-test", "seat", `${lead.id}:${lead.step}:${guard}`);
    const placed: Placement = placeSend({
      kind,
      now,
      timeZone: settings.timeZone,
      today,
      todayCaps: capsInForce(settings, today),
      heldSlot: lead.slot !== null && Math.abs(lead.slot.getTime() - now.getTime()) <= 60_000,
      plan: () => scheduleNextSend({ nextFreeAt, now, settings, draw }),
      capsOn: (date) => capsInForce(settings, date),
      taken: (date, k) => counters.get(date, k),
      nextDays: (from) => daysAfter(settings, from),
      spacingMs: settings.gap.minSeconds * 1000,
      sendNowMarginMs: 1000,
    });
    lead.slot = null;
    const book = (date: string) => {
      counters.add(date, kind, 1);
      counters.add(date, "total", 1);
      lead.booked = { date, kind };
    };
    if (placed.type === "full") {
      if (placed.bookedDate) book(placed.bookedDate);
      lead.wakeAt = placed.retryAt;
    } else if (placed.type === "later") {
      book(placed.localDate);
      nextFreeAt = placed.nextFreeAt;
      lead.slot = placed.sendAt;
      lead.wakeAt = placed.sendAt;
    } else {
      counters.add(placed.localDate, kind, 1);
      counters.add(placed.localDate, "total", 1);
      if (placed.nextFreeAt) nextFreeAt = placed.nextFreeAt;
      sent.push({ at: now, kind });
      lead.step++;
      if (lead.step >= kinds.length) queue.shift();
    }
  }
  return { sent, leftOver: queue.length };
}

describe("a seat with due work and room under its caps sends every working day", () => {
  function sendsByDay(settings: PacingSettings, sent: Array<{ at: Date; kind: ActionKind }>) {
    const byDay = new Map<string, number>();
    for (const send of sent) {
      expect(isWithinWorkingHours(send.at, settings)).toBe(true);
      const date = localDate(send.at, settings.timeZone);
      byDay.set(date, (byDay.get(date) ?? 0) + 1);
    }
    return byDay;
  }

  it("09:00–11:00 Monday to Saturday, visits 5 and all actions 6 a day, gaps 10–25 minutes", () => {
    const settings = PacingSettingsSchema.parse({
      ...shortWindow,
      dailyStartOffsetMaxMinutes: 30,
    });
    const { sent, leftOver } = runSeat(settings, 300, 28, ["visit", "connect"]);
    expect(leftOver).toBeGreaterThan(0); // due work all along
    const byDay = sendsByDay(settings, sent);
    const working = daysAfter(settings, new Date(MONDAY.getTime() - 86_400_000), 24);
    for (const day of working) {
      // A working window of 90 to 120 minutes fits at least 4 sends 25 minutes apart.
      expect({ day: day.localDate, sent: byDay.get(day.localDate) ?? 0 }).toEqual({
        day: day.localDate,
        sent: expect.toSatisfy((n: number) => n >= 4 && n <= 6),
      });
    }
  });

  it("holds for any short window, caps and gaps (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 21 }), // start hour
        fc.integer({ min: 1, max: 3 }), // window hours
        fc.integer({ min: 1, max: 6 }), // visit cap
        fc.integer({ min: 1, max: 8 }), // total cap
        fc.integer({ min: 60, max: 900 }), // shortest gap, seconds
        (startHour, hours, visit, total, minGap) => {
          const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
          const settings = PacingSettingsSchema.parse({
            timeZone: "America/New_York",
            workingHours: {
              days: [1, 2, 3, 4, 5, 6],
              start: hh(startHour),
              end: hh(startHour + hours),
            },
            dailyStartOffsetMaxMinutes: 0,
            gap: { minSeconds: minGap, maxSeconds: minGap * 2 },
            caps: { perDay: { visit }, totalPerDay: total },
          });
          const { sent, leftOver } = runSeat(settings, 80, 14, ["visit"]);
          expect(leftOver).toBeGreaterThan(0);
          const byDay = sendsByDay(settings, sent);
          const fits = Math.floor((hours * 3600) / (minGap * 2)) + 1;
          // Every working day from the first whole one sends as much as its caps and its
          // window allow, since leads are due all along.
          for (const day of daysAfter(settings, MONDAY, 10)) {
            const n = byDay.get(day.localDate) ?? 0;
            expect(n).toBeGreaterThanOrEqual(Math.min(visit, total, fits));
          }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });
});
