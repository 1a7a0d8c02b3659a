/**
 * The seats' pending invitations and their withdrawals in the in-memory store: the same rules
 * as db/engine/invitations.ts over the store's action rows. Each seat's invitations are kept
 * in the order they were made (a seat's actions only ever grow at the end), so a pass looks at
 * the ones still pending instead of every action.
 */
import type { MemoryAction } from "./memory-store";
import type { PacingSettings } from "./pacing/settings";
import {
  type InvitationStore,
  nextWithdrawalAt,
  type PendingInvitation,
  type WithdrawalResult,
} from "./withdrawals";

const DAY_MS = 86_400_000;

/** What the in-memory invitation store reads from the rest of the in-memory database. */
export interface MemoryInvitationRows {
  /** The seats, with what makes one usable now. */
  seats(): Iterable<{
    id: string;
    providerAccountId: string;
    pacing: PacingSettings;
    status: string;
    coolingUntil: Date | null;
  }>;
  /** The seat's actions, oldest first (the list grows at its end). */
  actionsOf(accountId: string): readonly MemoryAction[];
  accepted(accountId: string, leadId: string): boolean;
  /** Wakes the enrollment now, if it is active, sleeping later and not leased. */
  wake(enrollmentId: string, at: Date): void;
  action(actionId: string): MemoryAction | undefined;
}

function stillPending(rows: MemoryInvitationRows, a: MemoryAction): boolean {
  return (
    a.kind === "connect" &&
    (a.status === "intent" || a.status === "sent") &&
    !a.withdrawal &&
    !rows.accepted(a.accountId, a.leadId)
  );
}

const toPending = (a: MemoryAction): PendingInvitation => ({
  actionId: a.id,
  enrollmentId: a.enrollmentId,
  leadId: a.leadId,
  reference: a.reference,
  sentAt: a.sentAt ?? a.createdAt,
});

export class MemoryInvitations implements InvitationStore {
  /** Per seat: how far its actions were read, and the invitations that may still be pending. */
  private readonly seen = new Map<string, { read: number; open: MemoryAction[] }>();

  constructor(private readonly rows: MemoryInvitationRows) {}

  /** The seat's invitations still pending, oldest first. */
  pending(accountId: string): MemoryAction[] {
    const actions = this.rows.actionsOf(accountId);
    let seat = this.seen.get(accountId);
    if (!seat) {
      seat = { read: 0, open: [] };
      this.seen.set(accountId, seat);
    }
    for (; seat.read < actions.length; seat.read++) {
      const a = actions[seat.read]!;
      if (a.kind === "connect") seat.open.push(a);
    }
    // Settled ones (not sent, accepted, withdrawn) never become pending again.
    seat.open = seat.open.filter((a) => stillPending(this.rows, a));
    return seat.open;
  }

  /** How many invitations are pending on the seat now. */
  count(accountId: string): number {
    return this.pending(accountId).length;
  }

  async seatsToTidy(now: Date, staleBefore: Date) {
    const seats = [];
    for (const seat of this.rows.seats()) {
      const usable =
        seat.status === "active" ||
        (seat.status === "cooling_down" &&
          seat.coolingUntil !== null &&
          seat.coolingUntil.getTime() <= now.getTime());
      if (!usable) continue;
      const days = seat.pacing.invitations.withdrawAfterDays;
      const sentBy = now.getTime() - days * DAY_MS;
      const due =
        days > 0 &&
        this.pending(seat.id).some(
          (a) => a.status === "sent" && a.sentAt !== null && a.sentAt.getTime() <= sentBy,
        );
      if (due || this.unfinished(seat.id, staleBefore).length > 0) {
        seats.push({ id: seat.id, providerAccountId: seat.providerAccountId, pacing: seat.pacing });
      }
    }
    return seats.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The next instant a withdrawal can happen on any usable seat (engine/withdrawals.ts
   * nextWithdrawalAt), after `now`; null when none has an invitation it would withdraw.
   */
  nextWithdrawalAt(now: Date): Date | null {
    let next: Date | null = null;
    for (const seat of this.rows.seats()) {
      const cooling = seat.status === "cooling_down" && seat.coolingUntil !== null;
      if (seat.status !== "active" && !cooling) continue;
      let oldest: Date | null = null;
      for (const a of this.pending(seat.id)) {
        if (a.status !== "sent" || a.sentAt === null) continue;
        if (oldest === null || a.sentAt.getTime() < oldest.getTime()) oldest = a.sentAt;
      }
      if (oldest === null) continue;
      const at = nextWithdrawalAt(
        {
          providerAccountId: seat.providerAccountId,
          pacing: seat.pacing,
          oldestSentAt: oldest,
          usableFrom: cooling ? seat.coolingUntil : null,
          withdrawnAt: this.withdrawals(seat.id)
            .slice(-seat.pacing.invitations.withdrawPerDay)
            .map((a) => a.withdrawalAt as Date),
        },
        now,
      );
      if (at !== null && (next === null || at.getTime() < next.getTime())) next = at;
    }
    return next;
  }

  async pendingInvitations(accountId: string, sentBy: Date, limit: number) {
    return this.pending(accountId)
      .filter((a) => a.status === "sent" && a.sentAt && a.sentAt.getTime() <= sentBy.getTime())
      .sort(
        (a, b) =>
          a.sentAt!.getTime() - b.sentAt!.getTime() ||
          (a.leadId < b.leadId ? -1 : a.leadId > b.leadId ? 1 : 0),
      )
      .slice(0, limit)
      .map(toPending);
  }

  /** Per seat: the invitations whose withdrawal was asked for, in the order it was. */
  private readonly asked = new Map<string, MemoryAction[]>();

  /** When the seat's invitations to this lead were withdrawn, in any campaign. */
  withdrawnTo(accountId: string, leadId: string): Date[] {
    return this.withdrawals(accountId).flatMap((a) =>
      a.leadId === leadId && a.withdrawal === "withdrawn" && a.withdrawalAt ? [a.withdrawalAt] : [],
    );
  }

  private withdrawals(accountId: string): MemoryAction[] {
    return this.asked.get(accountId) ?? [];
  }

  private unfinished(accountId: string, staleBefore: Date): MemoryAction[] {
    return this.withdrawals(accountId).filter(
      (a) =>
        a.withdrawal === "intent" &&
        a.withdrawalAt !== null &&
        a.withdrawalAt !== undefined &&
        a.withdrawalAt.getTime() < staleBefore.getTime(),
    );
  }

  async withdrawalsSince(accountId: string, since: Date) {
    return this.withdrawals(accountId)
      .map((a) => a.withdrawalAt as Date)
      .filter((at) => at.getTime() >= since.getTime());
  }

  async unfinishedWithdrawals(accountId: string, staleBefore: Date) {
    return this.unfinished(accountId, staleBefore).map(toPending);
  }

  async beginWithdrawals(input: {
    accountId: string;
    actionIds: string[];
    at: Date;
    dayStart: Date;
    perDay: number;
  }) {
    const done = (await this.withdrawalsSince(input.accountId, input.dayStart)).length;
    let room = Math.max(0, input.perDay - done);
    const begun: string[] = [];
    for (const id of input.actionIds) {
      if (room === 0) break;
      const a = this.rows.action(id);
      if (!a || a.accountId !== input.accountId || a.withdrawal || a.status !== "sent") continue;
      a.withdrawal = "intent";
      a.withdrawalAt = input.at;
      this.asked.set(input.accountId, [...this.withdrawals(input.accountId), a]);
      begun.push(id);
      room--;
    }
    return begun;
  }

  async finishWithdrawal(actionId: string, result: WithdrawalResult, at: Date) {
    const a = this.rows.action(actionId);
    if (a?.withdrawal !== "intent") return;
    if (result === "undo") {
      a.withdrawal = null;
      a.withdrawalAt = null;
      this.asked.set(
        a.accountId,
        this.withdrawals(a.accountId).filter((w) => w !== a),
      );
      // Pending again: read the seat's invitations afresh.
      this.seen.delete(a.accountId);
      return;
    }
    a.withdrawal = result;
    if (result === "withdrawn") this.rows.wake(a.enrollmentId, at);
  }
}
