import { describe, expect, it } from "vitest";
import type { CapsInForce } from "./pacing/caps";
import { ACTION_KINDS, type ActionKind, PacingSettingsSchema } from "./pacing/settings";
import type { EnrollmentContext, ReserveRequest } from "./ports";
import { type QueueTags, takeQueueTag } from "./priority";
import {
  type BudgetUse,
  decideReservation,
  type ReservationAccount,
  type ReservationState,
  SLOT_TOLERANCE_MS,
} from "./reserve";

// The reservation rules on their own, against a plain in-test state: no store, no clock.

const NOW = new Date("2026-03-02T10:00:00Z");
const TODAY = "2026-03-02";
const SPACING = 5 * 60_000;
// Each send takes the seat's next slot in turn: the queue of a seat with priorities on (the
// default) is tested in priority.test.ts.
const pacing = PacingSettingsSchema.parse({
  timeZone: "UTC",
  warmup: { startDate: null },
  priorities: false,
});

function caps(overrides: Partial<CapsInForce> = {}): CapsInForce {
  const base = Object.fromEntries(ACTION_KINDS.map((k) => [k, 20])) as Record<ActionKind, number>;
  return { ...base, total: 50, connect_7d: 100, ...overrides };
}

class FakeState implements ReservationState {
  counters = new Map<string, { used: number; booked: number }>();
  bookings = new Map<string, { bookedDate: string; bookedKind: string } | null>();
  accounts = new Map<string, ReservationAccount>();
  pools = new Map<string, number>();
  budgets = new Map<string, BudgetUse>();
  heldIds = new Set<string>(["e1"]);
  ids = 0;

  constructor(account: Partial<ReservationAccount> = {}) {
    this.accounts.set("a1", {
      status: "active",
      coolingUntil: null,
      nextFreeAt: null,
      creditPoolId: null,
      nextFreeChanged: false,
      revive: false,
      ...account,
    });
  }
  queueTags = new Map<string, QueueTags>();
  queueTag(account: string, campaign: string, priority: number, weight: number) {
    return takeQueueTag(
      this.queueTags,
      { accountId: account, campaignId: campaign, priority },
      weight,
    );
  }
  held(id: string) {
    return this.heldIds.has(id);
  }
  account(id: string) {
    return this.accounts.get(id);
  }
  get(date: string, kind: string) {
    return this.counters.get(`a1|${date}|${kind}`) ?? { used: 0, booked: 0 };
  }
  taken(_account: string, date: string, kind: string) {
    const c = this.get(date, kind);
    return c.used + c.booked;
  }
  moveCounter(_account: string, date: string, kind: string, used: number, booked: number) {
    const c = this.get(date, kind);
    this.counters.set(`a1|${date}|${kind}`, {
      used: Math.max(c.used + used, 0),
      booked: Math.max(c.booked + booked, 0),
    });
  }
  setBooking(id: string, booking: { bookedDate: string; bookedKind: string } | null) {
    this.bookings.set(id, booking);
  }
  budgetUse(campaignId: string) {
    let used = this.budgets.get(campaignId);
    if (!used) {
      used = { campaign: 0, branch: new Map() };
      this.budgets.set(campaignId, used);
    }
    return used;
  }
  countCredits(campaignId: string, branchKey: string, credits: number) {
    const used = this.budgets.get(campaignId);
    if (used) {
      used.campaign += credits;
      used.branch.set(branchKey, (used.branch.get(branchKey) ?? 0) + credits);
    }
  }
  poolBalance(id: string) {
    return this.pools.get(id) ?? 0;
  }
  takeCredits(id: string, credits: number) {
    this.pools.set(id, this.poolBalance(id) - credits);
  }
  newActionId() {
    this.ids++;
    return `action-${this.ids}`;
  }
}

const day = (n: number) => `2026-03-0${2 + n}`;
const startOf = (n: number) => new Date(`${day(n)}T09:00:00Z`);

function request(overrides: Partial<ReserveRequest> = {}): ReserveRequest {
  const context = {
    enrollment: { id: "e1" },
    campaign: { id: "c1" },
    lead: { id: "l1" },
    account: { id: "a1", pacing },
  } as unknown as EnrollmentContext;
  return {
    context,
    owner: "w",
    branch: "",
    idempotencyKey: "e1:1:0",
    nodeId: "n1",
    kind: "connect",
    variant: null,
    hasText: false,
    credits: 0,
    budget: null,
    now: NOW,
    localDate: TODAY,
    caps: caps(),
    spacingMs: SPACING,
    plannedSendAt: null,
    bookedDate: null,
    bookedKind: null,
    eventsSeen: 0,
    nextDays: () =>
      [1, 2, 3].map((n) => ({ localDate: day(n), startsAt: startOf(n), caps: caps() })),
    // The account's timeline: the send goes at next-free (or now), next-free moves one gap on.
    plan: (nextFreeAt) => {
      const sendAt = new Date(Math.max(NOW.getTime(), nextFreeAt?.getTime() ?? 0));
      return { sendAt, nextFreeAt: new Date(sendAt.getTime() + SPACING) };
    },
    ...overrides,
  };
}

describe("decideReservation", () => {
  it("reserves a send now: counts it today, moves the account's timeline", async () => {
    const state = new FakeState();
    const result = await decideReservation(state, request(), 0);
    expect(result).toEqual({ type: "reserved", actionId: "action-1", credits: 0, poolId: null });
    expect(state.get(TODAY, "connect").used).toBe(1);
    expect(state.get(TODAY, "total").used).toBe(1);
    expect(state.accounts.get("a1")!.nextFreeAt).toEqual(new Date(NOW.getTime() + SPACING));
  });

  it("refuses an enrollment whose lease another worker took, and takes nothing", async () => {
    const state = new FakeState();
    state.heldIds.clear();
    expect(await decideReservation(state, request(), 0)).toEqual({ type: "lease_lost" });
    expect(state.counters.size).toBe(0);
  });

  it("sends the step back to decide again when an event came in since it decided", async () => {
    const state = new FakeState();
    expect(await decideReservation(state, request({ eventsSeen: 0 }), 1)).toEqual({
      type: "events_changed",
    });
    expect(state.counters.size).toBe(0);
  });

  it.each(["paused", "restricted", "needs_reconnect"])(
    "refuses a send on an account that is %s",
    async (status) => {
      const state = new FakeState({ status });
      expect(await decideReservation(state, request(), 0)).toEqual({
        type: "account_unavailable",
        status,
      });
    },
  );

  it("refuses while a cool-down lasts and revives the account once it is over", async () => {
    const cooling = new FakeState({
      status: "cooling_down",
      coolingUntil: new Date(NOW.getTime() + 1),
    });
    expect((await decideReservation(cooling, request(), 0)).type).toBe("account_unavailable");
    const over = new FakeState({ status: "cooling_down", coolingUntil: NOW });
    expect((await decideReservation(over, request(), 0)).type).toBe("reserved");
    expect(over.accounts.get("a1")).toMatchObject({ status: "active", revive: true });
  });

  it("puts a send planned beyond the margin later, holding a place on its day", async () => {
    const state = new FakeState({ nextFreeAt: new Date(NOW.getTime() + 3_600_000) });
    const result = await decideReservation(state, request(), 0);
    expect(result).toEqual({
      type: "later",
      at: new Date(NOW.getTime() + 3_600_000),
      bookedDate: TODAY,
    });
    expect(state.get(TODAY, "connect")).toEqual({ used: 0, booked: 1 });
    expect(state.bookings.get("e1")).toEqual({ bookedDate: TODAY, bookedKind: "connect" });
  });

  it("sends a lead that wakes on its planned slot now, without a new slot", async () => {
    const nextFreeAt = new Date(NOW.getTime() + 3_600_000);
    const state = new FakeState({ nextFreeAt });
    state.moveCounter("a1", TODAY, "connect", 0, 1);
    state.moveCounter("a1", TODAY, "total", 0, 1);
    const result = await decideReservation(
      state,
      request({
        plannedSendAt: new Date(NOW.getTime() - SLOT_TOLERANCE_MS),
        bookedDate: TODAY,
        bookedKind: "connect",
      }),
      0,
    );
    expect(result.type).toBe("reserved");
    // Its place became a send; the timeline did not move.
    expect(state.get(TODAY, "connect")).toEqual({ used: 1, booked: 0 });
    expect(state.accounts.get("a1")!.nextFreeAt).toEqual(nextFreeAt);
  });

  it("plans a new slot for a lead that wakes too late for its old one", async () => {
    const state = new FakeState();
    const result = await decideReservation(
      state,
      request({ plannedSendAt: new Date(NOW.getTime() - SLOT_TOLERANCE_MS - 1) }),
      0,
    );
    expect(result.type).toBe("reserved");
    expect(state.accounts.get("a1")!.nextFreeChanged).toBe(true);
  });

  it("books the first coming day with room when today's cap of the kind is full", async () => {
    const state = new FakeState();
    state.moveCounter("a1", TODAY, "connect", 5, 0);
    state.moveCounter("a1", day(1), "connect", 3, 2);
    const result = await decideReservation(
      state,
      request({
        caps: caps({ connect: 5 }),
        nextDays: () => [
          { localDate: day(1), startsAt: startOf(1), caps: caps({ connect: 5 }) },
          { localDate: day(2), startsAt: startOf(2), caps: caps({ connect: 5 }) },
        ],
      }),
      0,
    );
    // Day 1 is full with promised places; day 2 has room and this is its first booking.
    expect(result).toEqual({
      type: "cap_reached",
      cap: "kind",
      limit: 5,
      retryAt: startOf(2),
      bookedDate: day(2),
    });
    expect(state.get(day(2), "connect").booked).toBe(1);
    expect(state.accounts.get("a1")!.nextFreeChanged).toBe(false);
  });

  it("wakes leads booked on the same day one gap apart", async () => {
    const state = new FakeState();
    state.moveCounter("a1", TODAY, "total", 50, 0);
    const full = request({ caps: caps({ total: 50 }) });
    const first = await decideReservation(state, full, 0);
    state.heldIds.add("e2");
    const second = await decideReservation(
      state,
      { ...full, context: { ...full.context, enrollment: { id: "e2" } } as EnrollmentContext },
      0,
    );
    expect(first).toMatchObject({ type: "cap_reached", cap: "total", retryAt: startOf(1) });
    expect(second).toMatchObject({
      retryAt: new Date(startOf(1).getTime() + SPACING),
      bookedDate: day(1),
    });
  });

  it("counts the week's invitations across the rolling window", async () => {
    const state = new FakeState();
    state.moveCounter("a1", "2026-02-26", "connect", 60, 0);
    state.moveCounter("a1", "2026-03-01", "connect", 40, 0);
    const result = await decideReservation(state, request(), 0);
    expect(result).toMatchObject({ type: "cap_reached", cap: "connect_7d", limit: 100 });
  });

  it("books nothing when every day in sight is full, and looks again at the last one", async () => {
    const state = new FakeState();
    const full = caps({ connect: 0 });
    const result = await decideReservation(
      state,
      request({
        caps: full,
        nextDays: () =>
          [1, 2].map((n) => ({ localDate: day(n), startsAt: startOf(n), caps: full })),
      }),
      0,
    );
    expect(result).toMatchObject({ type: "cap_reached", bookedDate: null, retryAt: startOf(2) });
  });

  it("gives the lead's own place back before deciding, so it does not count against itself", async () => {
    const state = new FakeState();
    state.moveCounter("a1", TODAY, "connect", 4, 1);
    state.moveCounter("a1", TODAY, "total", 4, 1);
    const result = await decideReservation(
      state,
      request({ caps: caps({ connect: 5 }), bookedDate: TODAY, bookedKind: "connect" }),
      0,
    );
    expect(result.type).toBe("reserved");
    expect(state.get(TODAY, "connect")).toEqual({ used: 5, booked: 0 });
  });

  it("gives back a place booked for another kind under that kind", async () => {
    const state = new FakeState();
    state.moveCounter("a1", day(1), "message", 0, 1);
    state.moveCounter("a1", day(1), "total", 0, 1);
    await decideReservation(
      state,
      request({ kind: "inmail", bookedDate: day(1), bookedKind: "message" }),
      0,
    );
    expect(state.get(day(1), "message").booked).toBe(0);
    expect(state.get(day(1), "total").booked).toBe(0);
  });

  describe("InMail credits", () => {
    const inmail = (overrides: Partial<ReserveRequest> = {}) =>
      request({ kind: "inmail", credits: 1, nodeId: "vip", branch: "b", ...overrides });

    it("takes a credit from the account's pool and names the pool", async () => {
      const state = new FakeState({ creditPoolId: "p1" });
      state.pools.set("p1", 3);
      const result = await decideReservation(state, inmail(), 0);
      expect(result).toEqual({ type: "reserved", actionId: "action-1", credits: 1, poolId: "p1" });
      expect(state.pools.get("p1")).toBe(2);
    });

    it("refuses when the pool is empty, taking no slot", async () => {
      const state = new FakeState({ creditPoolId: "p1" });
      state.pools.set("p1", 0);
      expect(await decideReservation(state, inmail(), 0)).toEqual({ type: "no_credit" });
      expect(state.get(TODAY, "inmail").used).toBe(0);
    });

    it("charges nothing on an account without a pool", async () => {
      const state = new FakeState();
      expect(await decideReservation(state, inmail(), 0)).toMatchObject({
        type: "reserved",
        credits: 0,
        poolId: null,
      });
    });

    it("stops at the branch's budget, then at the campaign's", async () => {
      const state = new FakeState({ creditPoolId: "p1" });
      state.pools.set("p1", 10);
      state.budgets.set("c1", { campaign: 4, branch: new Map([["vip@b", 2]]) });
      expect(
        await decideReservation(state, inmail({ budget: { campaign: 10, branch: 2 } }), 0),
      ).toEqual({ type: "budget_reached", scope: "branch" });
      expect(
        await decideReservation(state, inmail({ budget: { campaign: 4, branch: null } }), 0),
      ).toEqual({ type: "budget_reached", scope: "campaign" });
      expect(state.pools.get("p1")).toBe(10);
    });

    it("counts each credit against the budget, so two sends in one flush cannot both take the last", async () => {
      const state = new FakeState({ creditPoolId: "p1" });
      state.pools.set("p1", 10);
      state.heldIds.add("e2");
      const budget = { campaign: null, branch: 1 };
      const first = await decideReservation(state, inmail({ budget }), 0);
      // The second lead wakes on a slot of its own, so the timeline lets it send now.
      state.accounts.get("a1")!.nextFreeAt = null;
      const base = inmail({ budget });
      const second = await decideReservation(
        state,
        { ...base, context: { ...base.context, enrollment: { id: "e2" } } as EnrollmentContext },
        0,
      );
      expect(first.type).toBe("reserved");
      expect(second).toEqual({ type: "budget_reached", scope: "branch" });
      expect(state.budgets.get("c1")!.branch.get("vip@b")).toBe(1);
    });
  });
});
