/**
 * Invitation hygiene for one seat: which pending invitations to withdraw today, whether a new
 * invitation may go out under the seat's pending ceiling, and when a person whose invitation was
 * withdrawn may be invited again from that seat. Pure: the store gathers the inputs, the worker
 * acts on the answers through the provider.
 *
 * LinkedIn's rule: a withdrawn invitation blocks inviting the same person again for about three
 * weeks; a seat with a pile of pending invitations is the best-known restriction trigger.
 */
import { z } from "zod";

const DAY_MS = 86_400_000;

export { REINVITE_BLOCK_DAYS, reinviteBlockedUntil } from "../providers/reinvite";

export const InvitationHygieneSchema = z.object({
  /** Withdraw an invitation still pending after this many days; 0 never withdraws. */
  withdrawAfterDays: z.int().min(0).max(365).default(21),
  /** At most this many withdrawals per day (the seat's local day) for the seat. */
  withdrawPerDay: z.int().min(0).max(200).default(40),
  /** New invitations wait while this many are pending on the seat. */
  pendingCeiling: z.int().min(1).max(5000).default(400),
});
export type InvitationHygiene = z.output<typeof InvitationHygieneSchema>;
export type InvitationHygieneInput = z.input<typeof InvitationHygieneSchema>;

/** One invitation of the seat still waiting on the person. */
export interface PendingInvitationRef {
  leadId: string;
  sentAt: Date;
}

/**
 * The invitations to withdraw now: those pending for at least `withdrawAfterDays`, oldest first,
 * no more than what is left of today's cap given the withdrawals already made today.
 */
export function dueWithdrawals(
  pending: readonly PendingInvitationRef[],
  input: {
    now: Date;
    settings: InvitationHygiene;
    /** When each of the seat's earlier withdrawals happened (any window; today's are counted). */
    withdrawnAt: readonly Date[];
    /** Start of the seat's day holding `now` (its local midnight): the cap counts from there. */
    dayStart: Date;
  },
): PendingInvitationRef[] {
  const { now, settings } = input;
  if (settings.withdrawAfterDays === 0) return [];
  const today = input.dayStart.getTime();
  const doneToday = input.withdrawnAt.filter(
    (at) => at.getTime() >= today && at.getTime() <= now.getTime(),
  ).length;
  const room = Math.max(0, settings.withdrawPerDay - doneToday);
  if (room === 0) return [];
  const cutoff = now.getTime() - settings.withdrawAfterDays * DAY_MS;
  return pending
    .filter((invitation) => invitation.sentAt.getTime() <= cutoff)
    .sort(
      (a, b) =>
        a.sentAt.getTime() - b.sentAt.getTime() ||
        (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0),
    )
    .slice(0, room);
}

/** Why a new invitation waits on this seat, or null when it may go out. */
export interface PendingCeilingWait {
  reason: "pending_ceiling";
  pending: number;
  ceiling: number;
  /** In the product's words, for the waiting-reason list and the safety score. */
  detail: string;
}

export function pendingCeilingWait(
  pendingCount: number,
  settings: InvitationHygiene,
): PendingCeilingWait | null {
  if (pendingCount < settings.pendingCeiling) return null;
  return {
    reason: "pending_ceiling",
    pending: pendingCount,
    ceiling: settings.pendingCeiling,
    detail: `pending invitations at the ceiling (${pendingCount}/${settings.pendingCeiling})`,
  };
}
