import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { balanceOf } from "./ledger";
import { creditPoolForPlan } from "./pool";
import { type PoolEvent, simulateLedger } from "./simulate";

const DAY_MS = 86_400_000;
// Thirteen renewals: 2025-01-15 … 2026-01-15.
const from = new Date("2025-01-01T00:00:00Z");
const to = new Date("2026-02-01T00:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const at = (iso: string) => new Date(iso);
const renewalsOf = (simulation: ReturnType<typeof simulateLedger>) =>
  simulation.entries
    .map((entry, index) => ({ entry, balance: simulation.balances[index] }))
    .filter(({ entry }) => entry.type === "grant" || entry.type === "forfeit")
    .map(({ entry, balance }) => [
      entry.at.toISOString().slice(0, 10),
      entry.type,
      entry.amount,
      balance,
    ]);

const salesNavigator = creditPoolForPlan("sales_navigator_core", { renewalAnchorDay: 15 });
const recruiterLite = creditPoolForPlan("recruiter_lite", { renewalAnchorDay: 15 });

describe("simulateLedger over 13 months", () => {
  it("fills a Sales Navigator pool to 150, then forfeits each new 50", () => {
    const simulation = simulateLedger({ pool: salesNavigator, from, to, events: [] });
    expect(renewalsOf(simulation).slice(0, 5)).toEqual([
      ["2025-01-15", "grant", 50, 50],
      ["2025-02-15", "grant", 50, 100],
      ["2025-03-15", "grant", 50, 150],
      ["2025-04-15", "forfeit", 50, 150],
      ["2025-05-15", "forfeit", 50, 150],
    ]);
    const forfeited = simulation.entries.filter((entry) => entry.type === "forfeit");
    expect(forfeited).toHaveLength(10);
    expect(simulation.balance).toBe(150);
  });

  it("renews a partly spent pool exactly to its cap", () => {
    const events: PoolEvent[] = Array.from({ length: 20 }, (_, i) => ({
      type: "inmail",
      at: new Date(day("2025-04-01").getTime() + i * 60_000),
      inmailId: `m${i}`,
      tags: { campaignId: "c1", nodeId: "inmail-1", branch: "not accepted" },
    }));
    const simulation = simulateLedger({ pool: salesNavigator, from, to, events });
    expect(renewalsOf(simulation).slice(3, 5)).toEqual([
      ["2025-04-15", "grant", 20, 150],
      ["2025-04-15", "forfeit", 30, 150],
    ]);
    const spends = simulation.entries.filter((entry) => entry.type === "spend");
    expect(spends).toHaveLength(20);
    expect(spends[0]?.tags).toEqual({
      campaignId: "c1",
      nodeId: "inmail-1",
      branch: "not accepted",
    });
  });

  it("caps Recruiter Lite at 120 with 30 a month", () => {
    const simulation = simulateLedger({ pool: recruiterLite, from, to, events: [] });
    expect(renewalsOf(simulation).slice(0, 6)).toEqual([
      ["2025-01-15", "grant", 30, 30],
      ["2025-02-15", "grant", 30, 60],
      ["2025-03-15", "grant", 30, 90],
      ["2025-04-15", "grant", 30, 120],
      ["2025-05-15", "forfeit", 30, 120],
      ["2025-06-15", "forfeit", 30, 120],
    ]);
    expect(simulation.balance).toBe(120);
  });

  it("refuses an InMail when the pool is empty, and never goes negative", () => {
    const events: PoolEvent[] = [
      { type: "inmail", at: at("2025-01-10T10:00:00Z"), inmailId: "early" },
      { type: "inmail", at: at("2025-01-20T10:00:00Z"), inmailId: "after-renewal" },
    ];
    const simulation = simulateLedger({ pool: salesNavigator, from, to, events });
    expect(simulation.refused).toEqual([{ event: events[0], reason: "insufficient_credits" }]);
    expect(simulation.entries.filter((entry) => entry.type === "spend")).toHaveLength(1);
  });

  it("refunds an in-thread reply within the window once, after the delay, with the spend's tags", () => {
    const tags = { campaignId: "c1", branch: "no reply", leadId: "lead-1" };
    const events: PoolEvent[] = [
      { type: "inmail", at: at("2025-02-01T10:00:00Z"), inmailId: "m1", tags },
      {
        type: "reply",
        at: at("2025-02-03T09:00:00Z"),
        inmailId: "m1",
        kind: "reaction",
        inThread: true,
      },
      {
        type: "reply",
        at: at("2025-02-05T09:00:00Z"),
        inmailId: "m1",
        kind: "message",
        inThread: true,
      },
      {
        type: "reply",
        at: at("2025-02-06T09:00:00Z"),
        inmailId: "m1",
        kind: "message",
        inThread: true,
      },
    ];
    const simulation = simulateLedger({ pool: recruiterLite, from, to, events });
    const refunds = simulation.entries.filter((entry) => entry.type === "refund");
    expect(refunds).toEqual([{ at: at("2025-02-06T09:00:00Z"), type: "refund", amount: 1, tags }]);
    expect(simulation.withoutRefund.map((skip) => skip.reason)).toEqual([
      "reaction_not_reply",
      "already_refunded",
    ]);
  });

  it("posts a refund due on renewal day before the renewal, so it counts toward the cap", () => {
    const events: PoolEvent[] = [
      { type: "inmail", at: at("2025-05-01T10:00:00Z"), inmailId: "m1" },
      {
        type: "reply",
        at: at("2025-05-14T00:00:00Z"),
        inmailId: "m1",
        kind: "message",
        inThread: true,
      },
    ];
    const simulation = simulateLedger({ pool: recruiterLite, from, to, events });
    // 120 → spend 119 → refund on 2025-05-15 00:00 → 120 → the renewal forfeits all 30.
    expect(renewalsOf(simulation)[4]).toEqual(["2025-05-15", "forfeit", 30, 120]);
  });

  it("does not refund late replies, restricted recipients, other chats, or plans without refunds", () => {
    const events: PoolEvent[] = [
      { type: "inmail", at: at("2025-02-01T10:00:00Z"), inmailId: "late" },
      { type: "inmail", at: at("2025-02-01T10:05:00Z"), inmailId: "restricted" },
      { type: "inmail", at: at("2025-02-01T10:10:00Z"), inmailId: "elsewhere" },
      {
        type: "reply",
        at: at("2025-02-02T10:00:00Z"),
        inmailId: "restricted",
        kind: "message",
        inThread: true,
        recipientRestrictedOrClosed: true,
      },
      {
        type: "reply",
        at: at("2025-02-02T11:00:00Z"),
        inmailId: "elsewhere",
        kind: "message",
        inThread: false,
      },
      {
        type: "reply",
        at: at("2025-05-03T10:00:00Z"),
        inmailId: "late",
        kind: "message",
        inThread: true,
      },
    ];
    const lite = simulateLedger({ pool: recruiterLite, from, to, events });
    expect(lite.entries.some((entry) => entry.type === "refund")).toBe(false);
    expect(lite.withoutRefund.map((skip) => skip.reason)).toEqual([
      "recipient_restricted_or_closed",
      "outside_thread",
      "outside_window",
    ]);
    const inThread: PoolEvent[] = [
      { type: "inmail", at: at("2025-02-01T10:00:00Z"), inmailId: "m1" },
      {
        type: "reply",
        at: at("2025-02-02T10:00:00Z"),
        inmailId: "m1",
        kind: "message",
        inThread: true,
      },
    ];
    const navigator = simulateLedger({ pool: salesNavigator, from, to, events: inThread });
    expect(navigator.withoutRefund.map((skip) => skip.reason)).toEqual(["no_refund_policy"]);
  });

  it("keeps a refund decided near the end pending rather than posting it past the period", () => {
    const events: PoolEvent[] = [
      { type: "inmail", at: at("2026-01-30T10:00:00Z"), inmailId: "m1" },
      {
        type: "reply",
        at: at("2026-01-31T10:00:00Z"),
        inmailId: "m1",
        kind: "message",
        inThread: true,
      },
    ];
    const simulation = simulateLedger({ pool: recruiterLite, from, to, events });
    expect(simulation.pendingRefunds).toEqual([
      { postAt: at("2026-02-01T10:00:00Z"), inmailId: "m1" },
    ]);
  });

  it("adds purchases in the plan's blocks of 10 and refuses them where the plan sells none", () => {
    const purchase: PoolEvent = { type: "purchase", at: at("2025-01-20T10:00:00Z"), blocks: 2 };
    const lite = simulateLedger({ pool: recruiterLite, from, to, events: [purchase] });
    expect(lite.entries[1]).toEqual({ at: purchase.at, type: "purchase", amount: 20 });
    expect(lite.balances[1]).toBe(50);
    const navigator = simulateLedger({ pool: salesNavigator, from, to, events: [purchase] });
    expect(navigator.refused).toEqual([{ event: purchase, reason: "no_add_on_for_plan" }]);
  });

  it("applies signed corrections and refuses one that would go negative", () => {
    const events: PoolEvent[] = [
      { type: "correction", at: at("2025-01-20T00:00:00Z"), amount: -3, note: "LinkedIn shows 27" },
      { type: "correction", at: at("2025-01-21T00:00:00Z"), amount: 5 },
      { type: "correction", at: at("2025-01-22T00:00:00Z"), amount: -100 },
    ];
    const simulation = simulateLedger({ pool: recruiterLite, from, to, events });
    expect(simulation.balances.slice(0, 3)).toEqual([30, 27, 32]);
    expect(simulation.entries[1]).toMatchObject({
      type: "adjustment",
      amount: -3,
      note: "LinkedIn shows 27",
    });
    expect(simulation.refused).toEqual([{ event: events[2], reason: "negative_balance" }]);
  });

  it("renews on the last day of short months for anchor day 31", () => {
    const pool = creditPoolForPlan("premium_career", { renewalAnchorDay: 31 });
    const simulation = simulateLedger({ pool, from, to, events: [] });
    expect(renewalsOf(simulation).slice(0, 4)).toEqual([
      ["2025-01-31", "grant", 5, 5],
      ["2025-02-28", "grant", 5, 10],
      ["2025-03-31", "grant", 5, 15],
      ["2025-04-30", "forfeit", 5, 15],
    ]);
  });

  it("starts from an opening balance recorded as an adjustment", () => {
    const simulation = simulateLedger({
      pool: salesNavigator,
      from,
      to,
      events: [],
      openingBalance: 120,
    });
    expect(simulation.entries[0]).toMatchObject({ type: "adjustment", amount: 120 });
    expect(renewalsOf(simulation)[0]).toEqual(["2025-01-15", "grant", 30, 150]);
  });

  it("refuses events out of time order or outside the period", () => {
    const late: PoolEvent = { type: "inmail", at: at("2025-03-01T00:00:00Z"), inmailId: "a" };
    const early: PoolEvent = { type: "inmail", at: at("2025-02-01T00:00:00Z"), inmailId: "b" };
    expect(() => simulateLedger({ pool: salesNavigator, from, to, events: [late, early] })).toThrow(
      RangeError,
    );
    const after: PoolEvent = { type: "inmail", at: to, inmailId: "c" };
    expect(() => simulateLedger({ pool: salesNavigator, from, to, events: [after] })).toThrow(
      RangeError,
    );
  });
});

describe("simulateLedger invariants (property)", () => {
  const eventArb = fc.oneof(
    fc.record({ type: fc.constant("inmail" as const), inmailIndex: fc.nat({ max: 30 }) }),
    fc.record({
      type: fc.constant("reply" as const),
      inmailIndex: fc.nat({ max: 30 }),
      kind: fc.constantFrom(
        "message" as const,
        "reaction" as const,
        "connection_accepted" as const,
      ),
      inThread: fc.boolean(),
      recipientRestrictedOrClosed: fc.boolean(),
    }),
    fc.record({ type: fc.constant("purchase" as const), blocks: fc.integer({ min: 1, max: 3 }) }),
    fc.record({
      type: fc.constant("correction" as const),
      amount: fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0),
    }),
  );
  const timelineArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 395 * DAY_MS - 1 }), eventArb), {
    maxLength: 120,
  });

  it("never lets a balance go negative, agrees with balanceOf, and splits each renewal exactly", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          "sales_navigator_core" as const,
          "recruiter_lite" as const,
          "premium_career" as const,
        ),
        fc.integer({ min: 1, max: 31 }),
        timelineArb,
        (planId, renewalAnchorDay, timeline) => {
          const pool = creditPoolForPlan(planId, { renewalAnchorDay });
          const events: PoolEvent[] = timeline
            .sort(([a], [b]) => a - b)
            .map(([offset, event]) => {
              const eventAt = new Date(from.getTime() + offset);
              switch (event.type) {
                case "inmail":
                case "reply": {
                  const { inmailIndex, ...rest } = event;
                  return { ...rest, at: eventAt, inmailId: `m${inmailIndex}` };
                }
                default:
                  return { ...event, at: eventAt };
              }
            });
          const simulation = simulateLedger({ pool, from, to, events });
          expect(Math.min(0, ...simulation.balances)).toBe(0);
          expect(balanceOf(simulation.entries)).toBe(simulation.balance);
          let running = 0;
          const runningBalances = simulation.entries.map((entry) => {
            running = balanceOf([entry]) + running;
            return running;
          });
          expect(runningBalances).toEqual(simulation.balances);
          const renewed = new Map<number, number>();
          let grantAboveCap = false;
          simulation.entries.forEach((entry, i) => {
            if (entry.type === "grant" || entry.type === "forfeit") {
              const key = entry.at.getTime();
              renewed.set(key, (renewed.get(key) ?? 0) + entry.amount);
            }
            if (entry.type === "grant" && (simulation.balances[i] ?? 0) > pool.cap) {
              grantAboveCap = true;
            }
          });
          expect(grantAboveCap).toBe(false);
          expect(new Set(renewed.values())).toEqual(new Set([pool.allowancePerMonth]));
          const times = simulation.entries.map((entry) => entry.at.getTime());
          expect(times).toEqual([...times].sort((a, b) => a - b));
          const refunds = simulation.entries.filter((entry) => entry.type === "refund");
          const spends = simulation.entries.filter((entry) => entry.type === "spend");
          expect(refunds.length).toBeLessThanOrEqual(spends.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
