/**
 * The engine's withdrawal work: each seat's invitations still pending after its
 * `withdrawAfterDays` are withdrawn through the provider, oldest first, under the seat's own
 * per-day withdrawal cap (engine/invitations.ts decides which). Like every call to LinkedIn, a
 * withdrawal happens only inside the seat's working hours, and the cap counts the seat's local
 * day (from its local midnight), as the send caps do. A withdrawal is written as an
 * intent on the invitation's action before LinkedIn is asked, under the seat's lock and within
 * the day's cap, so a crash neither loses one (the intent is asked again once no worker can
 * still be asking) nor makes two, and a withdrawal never takes a place under the send caps.
 * A withdrawn invitation wakes its lead: at an if-accepted step it takes the "not accepted"
 * exit at once (decide.ts).
 */
import type { Provider, ProviderAccountRef, ProviderOutcome } from "../providers/types";
import { seedFor, uniform01 } from "../random";
import type { Clock } from "./clock";
import { dueWithdrawals, reinviteBlockedUntil } from "./invitations";
import { startOffsetMinutes } from "./pacing/jitter";
import { localDate, startOfLocalDate } from "./pacing/local-time";
import type { PacingSettings } from "./pacing/settings";
import {
  isWithinWorkingHours,
  nextWorkingDayStart,
  nextWorkingInstant,
  type StartOffsetFor,
} from "./pacing/working-hours";
import type { FlushRequest, StoredAction, StoreOp } from "./ports";

const DAY_MS = 86_400_000;
/** How often (engine time) a worker looks for invitations to withdraw. */
export const WITHDRAWAL_CHECK_MS = 5 * 60_000;
/** An unfinished withdrawal older than this is no longer being asked by anyone (a lease). */
export const WITHDRAWAL_SETTLE_MS = 5 * 60_000;

/** One of a seat's invitations still pending on LinkedIn. */
export interface PendingInvitation {
  /** The invitation's action. */
  actionId: string;
  enrollmentId: string;
  leadId: string;
  /** The provider's invitation id, as its sending returned it. */
  reference: string | null;
  sentAt: Date;
}

/** A seat that may have invitations to withdraw. */
export interface WithdrawalSeat {
  id: string;
  providerAccountId: string;
  pacing: PacingSettings;
}

/** How a withdrawal ended: withdrawn, no longer pending (refused), or not asked (undone). */
export type WithdrawalResult = "withdrawn" | "refused" | "undo";

/**
 * The seats' pending invitations and their withdrawals, as a store keeps them. An invitation is
 * pending from its intent until it is accepted or its withdrawal is asked for.
 */
export interface InvitationStore {
  /**
   * Usable seats (active, or done cooling down) with an invitation pending for their
   * `withdrawAfterDays` by `now`, or a withdrawal asked for before `staleBefore` and unfinished.
   */
  seatsToTidy(now: Date, staleBefore: Date): Promise<WithdrawalSeat[]>;
  /** The seat's pending invitations sent at or before `sentBy`, oldest first, at most `limit`. */
  pendingInvitations(accountId: string, sentBy: Date, limit: number): Promise<PendingInvitation[]>;
  /** When the seat's withdrawals since `since` were asked for. */
  withdrawalsSince(accountId: string, since: Date): Promise<Date[]>;
  /** Withdrawals asked for before `staleBefore` and never finished (a crash, a timeout). */
  unfinishedWithdrawals(accountId: string, staleBefore: Date): Promise<PendingInvitation[]>;
  /**
   * Records withdrawal intents on these invitations, in one transaction under the seat's lock:
   * only invitations never withdrawn, and no more than `perDay` since `dayStart` counting the
   * seat's earlier ones. Returns the actions that got an intent.
   */
  beginWithdrawals(input: {
    accountId: string;
    actionIds: string[];
    at: Date;
    dayStart: Date;
    perDay: number;
  }): Promise<string[]>;
  /**
   * Ends a withdrawal. `withdrawn` wakes the invitation's lead (if it is active and not being
   * stepped); `undo` forgets the intent, so the invitation is pending again.
   */
  finishWithdrawal(actionId: string, result: WithdrawalResult, at: Date): Promise<void>;
}

const lastChecks = new WeakMap<InvitationStore, number>();

/** The start of the seat's local day holding `at`: where its per-day withdrawal cap counts from. */
export function withdrawalDayStart(at: Date, timeZone: string): Date {
  return new Date(startOfLocalDate(localDate(at, timeZone), timeZone));
}

/**
 * Each seat's withdrawals start its working day a random few minutes late, as its sends do: one
 * draw per LinkedIn account and local day, so every worker and both stores agree on it.
 */
export function withdrawalStartOffset(
  providerAccountId: string,
  pacing: PacingSettings,
): StartOffsetFor {
  return (date) =>
    startOffsetMinutes(uniform01(seedFor("withdrawal-day-start", providerAccountId, date)), pacing);
}

/** What a store knows of a seat to say when its next withdrawal can happen. */
export interface WithdrawalWakeSeat {
  /** The seat's LinkedIn account: its day's late start is drawn by it. */
  providerAccountId: string;
  pacing: PacingSettings;
  /** Sent time of the seat's oldest invitation still pending (sent, not accepted or withdrawn). */
  oldestSentAt: Date;
  /** A seat cooling down: usable again from then. */
  usableFrom: Date | null;
  /** When the seat's withdrawals were asked for: at least its `withdrawPerDay` latest. */
  withdrawnAt: readonly Date[];
}

/**
 * The next instant a withdrawal pass can withdraw one of this seat's invitations, given that a
 * pass may have run at `now` (so at least WITHDRAWAL_CHECK_MS after it): when its oldest pending
 * invitation is due, or later, at the next working instant; the next working day's start when
 * the cap of that local day is used. Null when the seat never withdraws. Always after `now`, so
 * a simulation's clock never waits on a wake-up that does nothing.
 */
export function nextWithdrawalAt(seat: WithdrawalWakeSeat, now: Date): Date | null {
  const { pacing } = seat;
  const settings = pacing.invitations;
  if (settings.withdrawAfterDays === 0 || settings.withdrawPerDay === 0) return null;
  const offset = withdrawalStartOffset(seat.providerAccountId, pacing);
  const due = seat.oldestSentAt.getTime() + settings.withdrawAfterDays * DAY_MS;
  const from = Math.max(due, now.getTime() + WITHDRAWAL_CHECK_MS, seat.usableFrom?.getTime() ?? 0);
  const at = nextWorkingInstant(from, pacing, offset);
  const dayStart = withdrawalDayStart(at, pacing.timeZone).getTime();
  const used = seat.withdrawnAt.filter((t) => t.getTime() >= dayStart).length;
  return used >= settings.withdrawPerDay ? nextWorkingDayStart(at, pacing, offset) : at;
}

/** What the provider's answer means for the withdrawal; `stop` ends the seat's turn. */
function resultOf(
  outcome: ProviderOutcome,
  retry: boolean,
): { result: WithdrawalResult | null; stop: boolean } {
  switch (outcome.status) {
    case "sent":
      return { result: "withdrawn", stop: false };
    case "not_sent":
      // Accepted meanwhile: nothing to withdraw. Otherwise, when this is a second asking, the
      // first went through before the crash: the invitation is withdrawn.
      if (outcome.reason === "already_connected" || !retry)
        return { result: "refused", stop: false };
      return { result: "withdrawn", stop: false };
    case "unknown":
      // Left as an intent: asked again once it settles.
      return { result: null, stop: false };
    default:
      // A limit, a restriction, a disconnection, refused credentials: not now, and not for
      // this seat's other invitations either. The intent is forgotten so it is asked another day.
      return { result: "undo", stop: true };
  }
}

/** The seat's cool-down or pause a withdrawal's refusal calls for, as a send's would. */
function seatStopOf(seat: WithdrawalSeat, outcome: ProviderOutcome, now: Date): StoreOp | null {
  switch (outcome.status) {
    case "limited":
      return {
        type: "cool_down",
        accountId: seat.id,
        until: nextWorkingDayStart(
          now,
          seat.pacing,
          withdrawalStartOffset(seat.providerAccountId, seat.pacing),
        ),
        reason: outcome.detail ?? "LinkedIn limit",
      };
    case "restricted":
    case "disconnected":
      return {
        type: "pause",
        accountId: seat.id,
        status: outcome.status === "restricted" ? "restricted" : "needs_reconnect",
        reason: outcome.detail ?? outcome.status,
        at: now,
      };
    default:
      return null;
  }
}

async function ask(
  provider: Provider,
  seat: WithdrawalSeat,
  invitation: PendingInvitation,
  at: Date,
): Promise<ProviderOutcome> {
  if (!invitation.reference || !provider.withdrawInvitation) {
    return { status: "not_sent", reason: "not_reachable", detail: "no invitation id" };
  }
  const account: ProviderAccountRef = {
    accountId: seat.id,
    providerAccountId: seat.providerAccountId,
  };
  try {
    return await provider.withdrawInvitation(account, invitation.reference, {
      idempotencyKey: `${invitation.actionId}:withdraw`,
      at,
    });
  } catch (error) {
    return { status: "unknown", detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One withdrawal pass over every seat, at most once per WITHDRAWAL_CHECK_MS of engine time per
 * store: unfinished withdrawals first, then the day's due ones, for each seat inside its working
 * hours (both are calls to LinkedIn). Returns how many were withdrawn.
 */
export async function withdrawDueInvitations(deps: {
  store: { invitations?: InvitationStore; flush?: (request: FlushRequest) => Promise<unknown> };
  provider: Provider;
  clock: Clock;
  owner?: string;
}): Promise<number> {
  // A refusal that speaks of the seat itself stops it as a refused send does (step.ts): a limit
  // cools it down to its next working day, a restriction or a disconnection pauses it. Without
  // that, the seat would be asked again at every pass.
  const stopSeat = async (seat: WithdrawalSeat, outcome: ProviderOutcome, now: Date) => {
    const op = seatStopOf(seat, outcome, now);
    if (op && deps.store.flush) {
      await deps.store.flush({ owner: deps.owner ?? "withdrawals", ops: [op], events: [] });
    }
  };
  const invitations = deps.store.invitations;
  if (!invitations || !deps.provider.withdrawInvitation) return 0;
  const now = deps.clock.now();
  const last = lastChecks.get(invitations);
  if (last !== undefined && now.getTime() - last < WITHDRAWAL_CHECK_MS && now.getTime() >= last)
    return 0;
  lastChecks.set(invitations, now.getTime());
  const staleBefore = new Date(now.getTime() - WITHDRAWAL_SETTLE_MS);
  let withdrawn = 0;
  for (const seat of await invitations.seatsToTidy(now, staleBefore)) {
    // Outside the seat's working hours LinkedIn is not asked: its wake-up is the next opening.
    if (
      !isWithinWorkingHours(
        now,
        seat.pacing,
        withdrawalStartOffset(seat.providerAccountId, seat.pacing),
      )
    ) {
      continue;
    }
    let stopped = false;
    for (const invitation of await invitations.unfinishedWithdrawals(seat.id, staleBefore)) {
      const outcome = await ask(deps.provider, seat, invitation, now);
      const { result, stop } = resultOf(outcome, true);
      if (result) await invitations.finishWithdrawal(invitation.actionId, result, now);
      if (result === "withdrawn") withdrawn++;
      if (stop) {
        await stopSeat(seat, outcome, now);
        stopped = true;
        break;
      }
    }
    const settings = seat.pacing.invitations;
    if (stopped || settings.withdrawAfterDays === 0 || settings.withdrawPerDay === 0) continue;
    const dayStart = withdrawalDayStart(now, seat.pacing.timeZone);
    const withdrawnAt = await invitations.withdrawalsSince(seat.id, dayStart);
    const sentBy = new Date(now.getTime() - settings.withdrawAfterDays * DAY_MS);
    const pending = await invitations.pendingInvitations(seat.id, sentBy, settings.withdrawPerDay);
    const due = dueWithdrawals(pending, {
      now,
      settings,
      withdrawnAt,
      dayStart,
    }) as PendingInvitation[];
    if (due.length === 0) continue;
    const begun = new Set(
      await invitations.beginWithdrawals({
        accountId: seat.id,
        actionIds: due.map((d) => d.actionId),
        at: now,
        dayStart,
        perDay: settings.withdrawPerDay,
      }),
    );
    const asked = due.filter((invitation) => begun.has(invitation.actionId));
    for (const [index, invitation] of asked.entries()) {
      const outcome = await ask(deps.provider, seat, invitation, now);
      const { result, stop } = resultOf(outcome, false);
      if (result) await invitations.finishWithdrawal(invitation.actionId, result, now);
      if (result === "withdrawn") withdrawn++;
      if (stop) {
        // The rest were never asked: their intents are forgotten too.
        for (const rest of asked.slice(index + 1))
          await invitations.finishWithdrawal(rest.actionId, "undo", now);
        await stopSeat(seat, outcome, now);
        break;
      }
    }
  }
  return withdrawn;
}

/**
 * Until when this lead cannot be invited again from the seat after its withdrawn invitations
 * (LinkedIn's three weeks), or null: the engine does not even ask. The enrollment's own
 * withdrawn invitations, and the seat's to the same person from other campaigns
 * (`seatWithdrawals`): LinkedIn refuses either way, and a refused attempt counts against the
 * seat's error rate.
 */
export function reinviteWait(
  actions: readonly StoredAction[],
  now: Date,
  seatWithdrawals: readonly Date[] = [],
): Date | null {
  const withdrawn: Date[] = [...seatWithdrawals];
  for (const a of actions) if (a.kind === "connect" && a.withdrawnAt) withdrawn.push(a.withdrawnAt);
  return reinviteBlockedUntil(withdrawn, now);
}

/** "Invitation withdrawn after 21 days": the words of the timeline and the step history. */
export function withdrawnAfterWords(sentAt: Date, withdrawnAt: Date): string {
  // Whole days pending: a withdrawal the day's cap held back a few hours still reads "21 days".
  const days = Math.floor((withdrawnAt.getTime() - sentAt.getTime()) / DAY_MS);
  return `Invitation withdrawn after ${days} ${days === 1 ? "day" : "days"}`;
}
