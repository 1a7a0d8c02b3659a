/**
 * The reservation decision of a send, as pure rules over a store's locked state: is the lease
 * still held, did the lead's events change, is the account usable, where does the send go on
 * the account's timeline and under which day's caps (pacing/placement.ts), the campaign's and
 * the branch's credit budgets, the pool's balance. The database store (db/engine/flush.ts) and
 * the in-memory one (memory-store.ts) both decide through `decideReservation`, so a forecast,
 * `outflow simulate` and production apply the same rules.
 */
import { budgetExceeded } from "../credits/budgets";
import { pendingCeilingWait } from "./invitations";
import { capsInForce } from "./pacing/caps";
import { placeSend } from "./pacing/placement";
import type { ReserveRequest, ReserveResult } from "./ports";
import { sendPriority } from "./priority";

/**
 * A lead woken for its planned slot sends when it wakes within this much of it; later than
 * that (the account was paused, the worker was down) the slot is stale and a new one is planned,
 * so a late wake never sends outside working hours.
 */
export const SLOT_TOLERANCE_MS = 60_000;
/** A send planned within this margin of now is made now rather than slept on. */
export const SEND_NOW_MARGIN_MS = 1000;

/** An account as the reservation sees it (locked); the decision moves it in place. */
export interface ReservationAccount {
  status: string;
  coolingUntil: Date | null;
  nextFreeAt: Date | null;
  creditPoolId: string | null;
  /** Set when next-free moved, so the store writes it back. */
  nextFreeChanged: boolean;
  /** Set when a cool-down was over and the send made the account active again. */
  revive: boolean;
}

/** Credits a campaign has used, in all and per `${nodeId}@${branch}`; moved in place. */
export interface BudgetUse {
  campaign: number;
  branch: Map<string, number>;
}

/** The state a reservation is decided against, as a store holds it inside one flush. */
export interface ReservationState {
  /** The enrollment is still leased to the flushing worker. */
  held(enrollmentId: string): boolean;
  account(accountId: string): ReservationAccount | undefined;
  /** Sends made plus places promised on a local date, of a kind or "total". */
  taken(accountId: string, date: string, kind: string): number;
  /** Moves a usage counter (never below zero). */
  moveCounter(accountId: string, date: string, kind: string, used: number, booked: number): void;
  /** The place the enrollment's step holds now (null: none). */
  setBooking(
    enrollmentId: string,
    booking: { bookedDate: string; bookedKind: string } | null,
  ): void;
  /** The campaign's credit use (read once per flush, under the campaign's lock). */
  budgetUse(campaignId: string): BudgetUse | Promise<BudgetUse>;
  /** Counts credits taken in this flush against the campaign's use, if it was read. */
  countCredits(campaignId: string, branchKey: string, credits: number): void;
  poolBalance(poolId: string): number;
  /** Takes credits from a pool (the balance was checked). */
  takeCredits(poolId: string, credits: number): void;
  newActionId(): string;
  /**
   * The fair-share tag of a send joining the seat's queue at `priority` (priority.ts
   * queueTag over what is queued now, this flush's newcomers included); records it.
   */
  queueTag(
    accountId: string,
    campaignId: string,
    priority: number,
    weight: number,
  ): number | Promise<number>;
  /**
   * The seat's invitations pending now (sent or being sent, not accepted, never withdrawn),
   * read once per flush and moved in place by this flush's reservations. Absent: no ceiling.
   */
  pendingInvitations?(accountId: string): { count: number } | Promise<{ count: number }>;
}

/** A reserved send: the store writes its intent action (and its spend when credits > 0). */
export interface Reserved {
  type: "reserved";
  actionId: string;
  credits: number;
  poolId: string | null;
}

/**
 * Decides one reservation against `state`, moving counters, bookings, the account's timeline
 * and the pool as it goes. `eventsNow` is how many of the lead's events the store holds now.
 */
export async function decideReservation(
  state: ReservationState,
  request: ReserveRequest,
  eventsNow: number,
): Promise<Exclude<ReserveResult, { type: "reserved" }> | Reserved> {
  const { context, now } = request;
  if (!state.held(context.enrollment.id)) return { type: "lease_lost" };
  // A reply or an acceptance came in since the step decided this send: it decides again.
  if (eventsNow !== request.eventsSeen) return { type: "events_changed" };
  const accountId = context.account.id;
  const account = state.account(accountId);
  if (!account) return { type: "account_unavailable", status: "missing" };
  const coolingOver =
    account.status === "cooling_down" &&
    account.coolingUntil !== null &&
    account.coolingUntil.getTime() <= now.getTime();
  if (account.status !== "active" && !coolingOver) {
    return { type: "account_unavailable", status: account.status };
  }

  // A lead that already holds a planned slot and wakes on time sends now: its slot was
  // taken from the account's timeline when it was planned. Otherwise it gets a slot and a
  // place under the caps of that slot's day, together (pacing/placement.ts).
  const holdsSlot =
    request.plannedSendAt !== null &&
    Math.abs(request.plannedSendAt.getTime() - now.getTime()) <= SLOT_TOLERANCE_MS;
  // The lead's own place goes back first: the decision counts it free, and the lead takes
  // a place again wherever it lands.
  if (request.bookedDate) {
    for (const kind of [request.bookedKind ?? request.kind, "total"])
      state.moveCounter(accountId, request.bookedDate, kind, 0, -1);
    state.setBooking(context.enrollment.id, null);
  }
  // An invitation on a seat at its pending ceiling waits, holding nothing (its place just
  // went back above).
  const ceiling = context.account.pacing.invitations.pendingCeiling;
  const pending =
    request.kind === "connect" && state.pendingInvitations
      ? await state.pendingInvitations(accountId)
      : null;
  const full = pending
    ? pendingCeilingWait(pending.count, context.account.pacing.invitations)
    : null;
  if (full) return { type: "pending_ceiling", pending: full.pending, ceiling };
  // With priorities on, a lead that finds the seat's next slot taken queues without a slot
  // or a cap place; the store claims the queue's head when the seat is free again.
  const seatBusy =
    account.nextFreeAt !== null &&
    account.nextFreeAt.getTime() > now.getTime() + SEND_NOW_MARGIN_MS;
  // A kind whose cap is full today does not queue: it books a coming day at once (below).
  const roomToday =
    state.taken(accountId, request.localDate, request.kind) < request.caps[request.kind] &&
    state.taken(accountId, request.localDate, "total") < request.caps.total;
  if (
    context.account.pacing.priorities &&
    !holdsSlot &&
    seatBusy &&
    roomToday &&
    account.nextFreeAt
  ) {
    const priority = sendPriority(request.kind);
    const tag = await state.queueTag(
      accountId,
      context.campaign.id,
      priority,
      context.campaign.weight,
    );
    return { type: "queued", at: account.nextFreeAt, priority, tag };
  }
  const placement = placeSend({
    kind: request.kind,
    now,
    timeZone: context.account.pacing.timeZone,
    today: request.localDate,
    todayCaps: request.caps,
    heldSlot: holdsSlot,
    plan: () => request.plan(account.nextFreeAt),
    capsOn: (date) => capsInForce(context.account.pacing, date),
    taken: (date, kind) => state.taken(accountId, date, kind),
    nextDays: (from) => request.nextDays(from),
    spacingMs: request.spacingMs,
    sendNowMarginMs: SEND_NOW_MARGIN_MS,
  });
  const book = (date: string) => {
    for (const kind of [request.kind, "total"]) state.moveCounter(accountId, date, kind, 0, 1);
    state.setBooking(context.enrollment.id, { bookedDate: date, bookedKind: request.kind });
  };
  if (placement.type === "full") {
    if (placement.bookedDate) book(placement.bookedDate);
    return {
      type: "cap_reached",
      cap: placement.cap,
      limit: placement.limit,
      retryAt: placement.retryAt,
      bookedDate: placement.bookedDate,
    };
  }
  if (placement.type === "later") {
    book(placement.localDate);
    account.nextFreeAt = placement.nextFreeAt;
    account.nextFreeChanged = true;
    return { type: "later", at: placement.sendAt, bookedDate: placement.localDate };
  }

  const poolId = account.creditPoolId;
  const credits = poolId ? request.credits : 0;
  const branchKey = `${request.nodeId}@${request.branch}`;
  if (credits > 0 && request.budget) {
    const used = await state.budgetUse(context.campaign.id);
    const over = budgetExceeded(
      request.budget,
      { campaign: used.campaign, branch: used.branch.get(branchKey) ?? 0 },
      credits,
    );
    if (over) return { type: "budget_reached", scope: over };
  }
  if (credits > 0 && poolId) {
    if (state.poolBalance(poolId) < credits) return { type: "no_credit" };
    state.takeCredits(poolId, credits);
    state.countCredits(context.campaign.id, branchKey, credits);
  }

  for (const kind of [request.kind, "total"])
    state.moveCounter(accountId, request.localDate, kind, 1, 0);
  if (pending) pending.count += 1;
  if (placement.nextFreeAt) {
    account.nextFreeAt = placement.nextFreeAt;
    account.nextFreeChanged = true;
  }
  if (coolingOver) {
    account.status = "active";
    account.coolingUntil = null;
    account.revive = true;
  }
  return {
    type: "reserved",
    actionId: state.newActionId(),
    credits,
    poolId: credits > 0 ? poolId : null,
  };
}
