import { describe, expect, it } from "vitest";
import type { Provider, ProviderOutcome } from "../providers/types";
import { VirtualClock } from "./clock";
import { decideIfAccepted } from "./decide";
import { PacingSettingsSchema } from "./pacing/settings";
import type { StoredAction } from "./ports";
import {
  type InvitationStore,
  type PendingInvitation,
  reinviteWait,
  WITHDRAWAL_CHECK_MS,
  WITHDRAWAL_SETTLE_MS,
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
function fakeStore(pending: PendingInvitation[]) {
  const state = new Map<string, { withdrawal: string | null; at: Date | null }>();
  const woken: string[] = [];
  const pacing = PacingSettingsSchema.parse({
    timeZone: "UTC",
    invitations: { withdrawPerDay: 2 },
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
  return { store, state, woken };
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
    const { provider: p, calls } = provider(async () => ({ status: "limited" }));
    await withdrawDueInvitations({
      store: { invitations: store },
      provider: p,
      clock: new VirtualClock(at(21, 3 * 60_000)),
    });
    expect(calls).toEqual(["inv-0"]);
    expect(state.get("a0")?.withdrawal).toBeNull();
    expect(state.get("a1")?.withdrawal).toBeNull();
  });
});
