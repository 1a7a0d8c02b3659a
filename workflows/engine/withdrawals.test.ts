import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Provider, ProviderOutcome } from "../providers/types";
import { VirtualClock } from "./clock";
import { decideIfAccepted } from "./decide";
import { type PacingSettingsInput, PacingSettingsSchema } from "./pacing/settings";
import { isWithinWorkingHours } from "./pacing/working-hours";
import type { FlushRequest, StoredAction } from "./ports";
import {
  type InvitationStore,
  nextWithdrawalAt,
  type PendingInvitation,
  reinviteWait,
  WITHDRAWAL_CHECK_MS,
  WITHDRAWAL_SETTLE_MS,
  withdrawalStartOffset,
  withdrawDueInvitations,
} from "./withdrawals";

const DAY = 86_400_000;
const T0 = new Date("2026-03-02T09:00:00Z");
const at = (days: number, ms = 0) => new Date(T0.getTime() + days * DAY + ms);

function invitation(overrides: Partial<StoredAction> = {}): StoredAction {
  return {
    id: "a1",
    idempotencyKey: "e1:1:0",
    nodeId: "invite",
    kind: "connect",
    hasText: false,
    status: "sent",
    reason: null,
    credits: 0,
    chatId: null,
    createdAt: T0,
    sentAt: T0,
    ...overrides,
  };
}

describe("the if-accepted step and withdrawals", () => {
  const base = { windowDays: 30, events: [], profile: null, withdrawAfterDays: 21 };

  it("wakes when the invitation is due for withdrawal, not at the window's end", () => {
    expect(decideIfAccepted({ ...base, actions: [invitation()], now: at(1) })).toEqual({
      wakeAt: at(21),
    });
  });

  it("looks again an hour later when the day's withdrawal cap held the invitation back", () => {
    expect(decideIfAccepted({ ...base, actions: [invitation()], now: at(21, 5) })).toEqual({
      wakeAt: at(21, 5 + 3_600_000),
    });
  });

  it("takes the “no” exit at once on a withdrawn invitation, with the words of the timeline", () => {
    expect(
      decideIfAccepted({ ...base, actions: [invitation({ withdrawnAt: at(21) })], now: at(21) }),
    ).toEqual({ exit: "no", note: "invitation withdrawn after 21 days" });
  });

  it("waits for the window alone when the seat never withdraws", () => {
    expect(
      decideIfAccepted({ ...base, withdrawAfterDays: 0, actions: [invitation()], now: at(1) }),
    ).toEqual({ wakeAt: at(30) });
  });

  it("blocks a new invitation to the person for 21 days after the withdrawal", () => {
    const actions = [invitation({ withdrawnAt: at(21) })];
    expect(reinviteWait(actions, at(30))).toEqual(at(42));
    expect(reinviteWait(actions, at(42))).toBeNull();
  });
});

/** A seat's invitations in a list, with the store's rules (intent once, the day's cap). */
function fakeStore(pending: PendingInvitation[], settings: Partial<PacingSettingsInput> = {}) {
  const state = new Map<string, { withdrawal: string | null; at: Date | null }>();
  const woken: string[] = [];
  const dayStarts: Date[] = [];
  const pacing = PacingSettingsSchema.parse({
    timeZone: "UTC",
    dailyStartOffsetMaxMinutes: 0,
    ...settings,
    invitations: { withdrawPerDay: 2, ...settings.invitations },
  });
  const store: InvitationStore = {
    async seatsToTidy() {
      return [{ id: "seat", providerAccountId: "sbx-seat", pacing }];
    },
    async pendingInvitations(_seat, sentBy, limit) {
      return pending
        .filter((p) => !state.get(p.actionId)?.withdrawal && p.sentAt <= sentBy)
        .slice(0, limit);
    },
    async withdrawalsSince(_seat, since) {
      return [...state.values()].flatMap((s) => (s.at && s.at >= since ? [s.at] : []));
    },
    async unfinishedWithdrawals(_seat, staleBefore) {
      return pending.filter((p) => {
        const s = state.get(p.actionId);
        return s?.withdrawal === "intent" && s.at !== null && s.at < staleBefore;
      });
    },
    async beginWithdrawals({ actionIds, at: when, dayStart, perDay }) {
      dayStarts.push(dayStart);
      const done = (await store.withdrawalsSince("seat", dayStart)).length;
      const begun = actionIds
        .filter((id) => !state.get(id)?.withdrawal)
        .slice(0, Math.max(0, perDay - done));
      for (const id of begun) state.set(id, { withdrawal: "intent", at: when });
      return begun;
    },
    async finishWithdrawal(actionId, result) {
      const s = state.get(actionId);
      if (s?.withdrawal !== "intent") return;
      if (result === "undo") state.set(actionId, { withdrawal: null, at: null });
      else {
        s.withdrawal = result;
        if (result === "withdrawn") woken.push(actionId);
      }
    },
  };
  return { store, state, woken, dayStarts, pacing };
}

function provider(answer: (invitationId: string) => Promise<ProviderOutcome>) {
  const calls: string[] = [];
  const p: Provider = {
    name: "sandbox",
    perform: async () => ({ status: "failed" }),
    reconcile: async () => ({ status: "unknown" }),
    inmailBalance: async () => null,
    withdrawInvitation: async (_account, invitationId) => {
      calls.push(invitationId);
      return answer(invitationId);
    },
  };
  return { provider: p, calls };
}

const pendingOf = (n: number): PendingInvitation[] =>
  Array.from({ length: n }, (_, i) => ({
    actionId: `a${i}`,
    enrollmentId: `e${i}`,
    leadId: `l${i}`,
    reference: `inv-${i}`,
    sentAt: new Date(T0.getTime() + i * 60_000),
  }));

describe("the withdrawal pass", () => {
  it("withdraws what is due, oldest first, under the per-day cap, and wakes each lead", async () => {
    const { store, state, woken } = fakeStore(pendingOf(3));
    const { provider: p, calls } = provider(async (id) => ({ status: "sent", reference: id }));
    const clock = new VirtualClock(at(21, 3 * 60_000));
    expect(
      await withdrawDueInvitations({ store: { invitations: store }, provider: p, clock }),
    ).toBe(2);
    expect(calls).toEqual(["inv-0", "inv-1"]);
    expect(woken).toEqual(["a0", "a1"]);
    expect(state.get("a2")).toBeUndefined();
    // The same day, later: the cap is used up.
    clock.advanceTo(at(21, 3 * 60_000 + WITHDRAWAL_CHECK_MS).getTime());
    expect(
      await withdrawDueInvitations({ store: { invitations: store }, provider: p, clock }),
    ).toBe(0);
    // The next UTC day: the last one.
    clock.advanceTo(at(22).getTime());
    expect(
      await withdrawDueInvitations({ store: { invitations: store }, provider: p, clock }),
    ).toBe(1);
    expect(calls).toEqual(["inv-0", "inv-1", "inv-2"]);
  });

  it("asks again, once, an unfinished withdrawal after a crash; a second answer of “no such pending invitation” means the first went through", async () => {
    const { store, state } = fakeStore(pendingOf(1));
    let first = true;
    const { provider: p, calls } = provider(async () => {
      if (first) {
        first = false;
        throw new Error("socket hang up");
      }
      return { status: "not_sent", reason: "not_connected", detail: "already withdrawn" };
    });
    const clock = new VirtualClock(at(21));
    await withdrawDueInvitations({ store: { invitations: store }, provider: p, clock });
    expect(state.get("a0")?.withdrawal).toBe("intent");
    // Before it settles, nobody asks again.
    clock.advanceTo(at(21, WITHDRAWAL_CHECK_MS).getTime());
    await withdrawDueInvitations({ store: { invitations: store }, provider: p, clock });
    expect(calls).toHaveLength(1);
    clock.advanceTo(at(21, WITHDRAWAL_CHECK_MS + WITHDRAWAL_SETTLE_MS + 1).getTime());
    await withdrawDueInvitations({ store: { invitations: store }, provider: p, clock });
    expect(calls).toEqual(["inv-0", "inv-0"]);
    expect(state.get("a0")?.withdrawal).toBe("withdrawn");
  });

  it("stops the seat's withdrawals on a LinkedIn limit and forgets the intents, so they are asked another day", async () => {
    const { store, state } = fakeStore(pendingOf(2));
    const { provider: p, calls } = provider(async () => ({ status: "limited", detail: "429" }));
    const flushed: FlushRequest[] = [];
    await withdrawDueInvitations({
      store: { invitations: store, flush: async (request) => flushed.push(request) },
      provider: p,
      clock: new VirtualClock(at(21, 3 * 60_000)),
      owner: "worker-1",
    });
    expect(calls).toEqual(["inv-0"]);
    expect(state.get("a0")?.withdrawal).toBeNull();
    expect(state.get("a1")?.withdrawal).toBeNull();
    // As a limited send does: the seat cools down to its next working day's start (a Monday,
    // so Tuesday 09:00), and no pass asks LinkedIn through it before then.
    expect(flushed).toEqual([
      {
        owner: "worker-1",
        events: [],
        ops: [
          {
            type: "cool_down",
            accountId: "seat",
            until: new Date("2026-03-24T09:00:00Z"),
            reason: "429",
          },
        ],
      },
    ]);
  });

  it("pauses the seat LinkedIn restricts or disconnects while withdrawing, as a send would", async () => {
    for (const [status, paused] of [
      ["restricted", "restricted"],
      ["disconnected", "needs_reconnect"],
    ] as const) {
      const { store } = fakeStore(pendingOf(1));
      const { provider: p } = provider(async () => ({ status }));
      const flushed: FlushRequest[] = [];
      const now = at(21, 3 * 60_000);
      await withdrawDueInvitations({
        store: { invitations: store, flush: async (request) => flushed.push(request) },
        provider: p,
        clock: new VirtualClock(now),
      });
      expect(flushed.flatMap((request) => request.ops)).toEqual([
        { type: "pause", accountId: "seat", status: paused, reason: status, at: now },
      ]);
    }
  });

  it("changes nothing about the seat when one invitation's withdrawal is refused", async () => {
    const { store, state } = fakeStore(pendingOf(1));
    const { provider: p } = provider(async () => ({ status: "failed", detail: "bad request" }));
    const flushed: FlushRequest[] = [];
    await withdrawDueInvitations({
      store: { invitations: store, flush: async (request) => flushed.push(request) },
      provider: p,
      clock: new VirtualClock(at(21, 3 * 60_000)),
    });
    expect(state.get("a0")?.withdrawal).toBeNull();
    expect(flushed).toEqual([]);
  });
});

/** `n` pending invitations, the first sent at `iso`, the others a minute apart. */
const sentAt = (iso: string, n = 1): PendingInvitation[] =>
  pendingOf(n).map((p) => ({
    ...p,
    sentAt: new Date(new Date(iso).getTime() + p.sentAt.getTime() - T0.getTime()),
  }));

/** Runs one pass at `iso` and answers how many were withdrawn. */
async function passAt(
  store: InvitationStore,
  p: Provider,
  clock: VirtualClock,
  iso: string,
): Promise<number> {
  clock.advanceTo(new Date(iso).getTime());
  return withdrawDueInvitations({ store: { invitations: store }, provider: p, clock });
}

describe("withdrawals keep to the seat's working hours", () => {
  it("asks LinkedIn nothing after hours, at night or on a day off, and withdraws at the next opening", async () => {
    // Monday to Thursday, 09:00 to 18:00 UTC; due on Thursday 26 March at 17:30.
    const { store, state } = fakeStore(sentAt("2026-03-05T17:30:00Z"), {
      workingHours: { days: [1, 2, 3, 4] },
    });
    const { provider: p, calls } = provider(async (id) => ({ status: "sent", reference: id }));
    const clock = new VirtualClock(T0);
    for (const night of [
      "2026-03-26T18:00:00Z", // the window's end
      "2026-03-26T23:00:00Z",
      "2026-03-27T03:00:00Z",
      "2026-03-27T11:00:00Z", // Friday: a day off
      "2026-03-28T11:00:00Z", // the weekend
      "2026-03-29T11:00:00Z",
      "2026-03-30T08:50:00Z", // Monday, before the opening
    ]) {
      expect(await passAt(store, p, clock, night), night).toBe(0);
    }
    expect(calls).toEqual([]);
    expect(await passAt(store, p, clock, "2026-03-30T09:00:00Z")).toBe(1);
    expect(calls).toEqual(["inv-0"]);
    expect(state.get("a0")).toEqual({
      withdrawal: "withdrawn",
      at: new Date("2026-03-30T09:00:00Z"),
    });
  });

  it("asks an unfinished withdrawal again only in working hours", async () => {
    const { store, state } = fakeStore(pendingOf(1));
    let first = true;
    const { provider: p, calls } = provider(async () => {
      if (first) {
        first = false;
        throw new Error("socket hang up");
      }
      return { status: "not_sent", reason: "not_connected", detail: "already withdrawn" };
    });
    const clock = new VirtualClock(T0);
    await passAt(store, p, clock, "2026-03-23T17:58:00Z");
    expect(state.get("a0")?.withdrawal).toBe("intent");
    // Settled from 18:03, but the window closed at 18:00: not asked through the night.
    for (const night of ["2026-03-23T18:10:00Z", "2026-03-23T23:00:00Z", "2026-03-24T08:55:00Z"])
      await passAt(store, p, clock, night);
    expect(calls).toHaveLength(1);
    await passAt(store, p, clock, "2026-03-24T09:00:00Z");
    expect(calls).toEqual(["inv-0", "inv-0"]);
    expect(state.get("a0")?.withdrawal).toBe("withdrawn");
  });

  it("counts the per-day cap from the seat's local midnight (Los Angeles: a working day across two UTC days)", async () => {
    // 09:00 to 18:00 in Los Angeles (UTC−7 in late March) is 16:00 to 01:00 UTC.
    const { store, state, dayStarts } = fakeStore(pendingOf(5), {
      timeZone: "America/Los_Angeles",
    });
    const { provider: p, calls } = provider(async (id) => ({ status: "sent", reference: id }));
    const clock = new VirtualClock(T0);
    // Monday 23 March, 10:00 in Los Angeles: the day's two.
    expect(await passAt(store, p, clock, "2026-03-23T17:00:00Z")).toBe(2);
    expect(dayStarts).toEqual([new Date("2026-03-23T07:00:00Z")]);
    // 17:30 the same Monday there, though Tuesday in UTC: the cap is used.
    expect(await passAt(store, p, clock, "2026-03-24T00:30:00Z")).toBe(0);
    // 23:00 on Monday there: after hours.
    expect(await passAt(store, p, clock, "2026-03-24T06:00:00Z")).toBe(0);
    expect(calls).toEqual(["inv-0", "inv-1"]);
    // Tuesday, 09:00 there: the next two.
    expect(await passAt(store, p, clock, "2026-03-24T16:00:00Z")).toBe(2);
    expect(calls).toEqual(["inv-0", "inv-1", "inv-2", "inv-3"]);
    expect(state.get("a2")?.at).toEqual(new Date("2026-03-24T16:00:00Z"));
  });
});

describe("the next instant a seat can withdraw", () => {
  // Without the day's late start, so the openings read as the settings say (09:00); the start
  // offset has its own test below.
  const pacingOf = (settings: Partial<PacingSettingsInput> = {}) =>
    PacingSettingsSchema.parse({
      timeZone: "UTC",
      dailyStartOffsetMaxMinutes: 0,
      ...settings,
      invitations: { withdrawAfterDays: 21, withdrawPerDay: 2, ...settings.invitations },
    });
  const seat = (
    oldest: string,
    settings: Partial<PacingSettingsInput> = {},
    withdrawnAt: string[] = [],
  ) => ({
    providerAccountId: "sbx-seat",
    pacing: pacingOf(settings),
    oldestSentAt: new Date(oldest),
    usableFrom: null,
    withdrawnAt: withdrawnAt.map((w) => new Date(w)),
  });
  const now = new Date("2026-03-10T12:00:00Z");
  const next = (s: ReturnType<typeof seat>, at = now) => nextWithdrawalAt(s, at)?.toISOString();

  it("is when the oldest invitation is due, inside working hours", () => {
    expect(next(seat("2026-03-02T10:15:00Z"))).toBe("2026-03-23T10:15:00.000Z");
  });

  it("waits for the next opening when it falls due at night or on a day off", () => {
    expect(next(seat("2026-03-02T20:00:00Z"))).toBe("2026-03-24T09:00:00.000Z");
    // Due on Saturday 28 March: Monday's opening.
    expect(next(seat("2026-03-07T10:00:00Z"))).toBe("2026-03-30T09:00:00.000Z");
    // Tokyo: due at 20:00 there (11:00 UTC), so 09:00 the next morning there.
    expect(next(seat("2026-03-02T11:00:00Z", { timeZone: "Asia/Tokyo" }))).toBe(
      "2026-03-24T00:00:00.000Z",
    );
  });

  it("is the next working day's start when the cap of that local day is used", () => {
    const full = seat("2026-03-02T10:00:00Z", {}, ["2026-03-23T10:00:00Z", "2026-03-23T10:00:01Z"]);
    expect(next(full, new Date("2026-03-23T10:00:01Z"))).toBe("2026-03-24T09:00:00.000Z");
    // Los Angeles: two withdrawn on Monday there, asked at 17:30 there (Tuesday in UTC).
    const la = seat("2026-03-02T17:00:00Z", { timeZone: "America/Los_Angeles" }, [
      "2026-03-23T17:00:00Z",
      "2026-03-23T17:01:00Z",
    ]);
    expect(next(la, new Date("2026-03-24T00:30:00Z"))).toBe("2026-03-24T16:00:00.000Z");
    // Yesterday's withdrawals leave today's cap whole.
    expect(next(full, new Date("2026-03-24T10:00:00Z"))).toBe("2026-03-24T10:05:00.000Z");
  });

  it("moves past a pass that did nothing: a due seat looks again after the check interval, a cooling one when it is usable", () => {
    const due = seat("2026-03-02T10:00:00Z");
    const at = new Date("2026-03-23T15:00:00Z");
    expect(nextWithdrawalAt(due, at)!.getTime()).toBe(at.getTime() + WITHDRAWAL_CHECK_MS);
    // At 17:58 the next look would be after hours: the next morning.
    expect(next(due, new Date("2026-03-23T17:58:00Z"))).toBe("2026-03-24T09:00:00.000Z");
    expect(
      nextWithdrawalAt({ ...due, usableFrom: new Date("2026-03-25T00:00:00Z") }, at)?.toISOString(),
    ).toBe("2026-03-25T09:00:00.000Z");
  });

  it("is null when the seat never withdraws", () => {
    expect(next(seat("2026-03-02T10:00:00Z", { invitations: { withdrawAfterDays: 0 } }))).toBe(
      undefined,
    );
    expect(next(seat("2026-03-02T10:00:00Z", { invitations: { withdrawPerDay: 0 } }))).toBe(
      undefined,
    );
  });

  it("starts each working day a few minutes late, drawn per seat and day, as sends do", () => {
    const late = (id: string, day: string) => {
      const s = {
        ...seat("2026-03-02T07:00:00Z", { dailyStartOffsetMaxMinutes: 30 }),
        providerAccountId: id,
      };
      return nextWithdrawalAt(s, new Date(`${day}T06:00:00Z`))!;
    };
    const days = ["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27"];
    const starts = days.map((day) => late("seat-a", day));
    for (const [i, start] of starts.entries()) {
      const minutes = (start.getTime() - new Date(`${days[i]}T09:00:00Z`).getTime()) / 60_000;
      expect(minutes).toBeGreaterThanOrEqual(0);
      expect(minutes).toBeLessThan(30);
    }
    // Not the same minute every day, nor for every seat; the same answer each time it is asked.
    expect(new Set(starts.map((start) => start.getTime() % DAY)).size).toBeGreaterThan(1);
    expect(late("seat-b", days[0]!).getTime()).not.toBe(starts[0]!.getTime());
    expect(late("seat-a", days[0]!).getTime()).toBe(starts[0]!.getTime());
  });

  it("is always after now and inside working hours (property)", () => {
    const zones = ["UTC", "America/Los_Angeles", "Asia/Tokyo", "Europe/Paris", "Pacific/Auckland"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 60 * DAY }),
        fc.integer({ min: 0, max: 60 * DAY }),
        fc.array(fc.integer({ min: 0, max: 3 * DAY }), { maxLength: 3 }),
        (timeZone, sentOffset, nowOffset, withdrawn) => {
          const base = new Date("2026-01-05T00:00:00Z").getTime();
          const at = new Date(base + nowOffset);
          const s = {
            providerAccountId: `sbx-seat-${sentOffset % 7}`,
            pacing: pacingOf({ timeZone, dailyStartOffsetMaxMinutes: 45 }),
            oldestSentAt: new Date(base + sentOffset),
            usableFrom: null,
            withdrawnAt: withdrawn.map((w) => new Date(at.getTime() - w)),
          };
          const result = nextWithdrawalAt(s, at)!;
          expect(result.getTime()).toBeGreaterThan(at.getTime());
          expect(result.getTime()).toBeGreaterThanOrEqual(s.oldestSentAt.getTime() + 21 * DAY);
          // Inside the hours, after the seat's late start that day.
          expect(
            isWithinWorkingHours(
              result,
              s.pacing,
              withdrawalStartOffset(s.providerAccountId, s.pacing),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
