/**
 * Seat rotation under safety, for a campaign with several seats.
 *
 * - At enrolment each new lead goes to the seat with the most room over the coming days: the
 *   first-step actions its caps allow (warm-up included) minus the leads already queued on it.
 * - When a seat is restricted, needs reconnecting, or has been paused too long, the leads it has
 *   not contacted yet move to the healthy seat with the most room; the leads it did contact stay
 *   (the conversation is that seat's) and wait on it.
 *
 * Pure: the store gathers seats and leads, applies the plan and records each move with its reason.
 */
import { DateTime } from "luxon";
import { capsInForce } from "./pacing/caps";
import type { ActionKind, PacingSettings } from "./pacing/settings";

const HOUR_MS = 3_600_000;

/** How many coming days the room is counted over. */
export const ROOM_HORIZON_DAYS = 7;
/** A seat paused for longer than this hands its uncontacted leads over (default). */
export const DEFAULT_PAUSED_HANDOVER_HOURS = 24;

export type SeatHealth =
  | { status: "active" }
  | { status: "restricted" }
  | { status: "disconnected" }
  | { status: "paused"; since: Date };

export interface RotationSeat {
  accountId: string;
  pacing: PacingSettings;
  health: SeatHealth;
  /** Leads of the campaign assigned to the seat and not contacted yet. */
  queued: number;
}

/**
 * The first-step actions the seat's caps allow over its working days of the horizon, starting
 * today (local to the seat), warm-up included.
 */
export function seatCapacity(
  seat: Pick<RotationSeat, "pacing">,
  kind: ActionKind,
  now: Date,
  days = ROOM_HORIZON_DAYS,
): number {
  const today = DateTime.fromJSDate(now, { zone: seat.pacing.timeZone }).startOf("day");
  let total = 0;
  for (let d = 0; d < days; d++) {
    const day = today.plus({ days: d });
    const date = day.toISODate();
    if (date === null || !seat.pacing.workingHours.days.includes(day.weekday)) continue;
    const caps = capsInForce(seat.pacing, date);
    total += Math.min(caps[kind], caps.total);
  }
  return total;
}

/** Why a seat hands its uncontacted leads over, or null when it is healthy. */
export function handoverReason(
  health: SeatHealth,
  now: Date,
  pausedHandoverHours = DEFAULT_PAUSED_HANDOVER_HOURS,
): string | null {
  switch (health.status) {
    case "active":
      return null;
    case "restricted":
      return "the seat is restricted";
    case "disconnected":
      return "the seat needs reconnecting";
    case "paused":
      return now.getTime() - health.since.getTime() > pausedHandoverHours * HOUR_MS
        ? `the seat has been paused for more than ${pausedHandoverHours} hours`
        : null;
  }
}

function isHealthy(seat: RotationSeat, now: Date, pausedHandoverHours: number): boolean {
  return (
    seat.health.status === "active" ||
    handoverReason(seat.health, now, pausedHandoverHours) === null
  );
}

/**
 * Assigns leads, in order, each to the seat with the most room left (capacity minus queued,
 * counting the leads just assigned); ties go to the smaller account id. Only healthy seats take
 * leads; with none, the result is empty.
 */
export function assignBySeatRoom(
  leadIds: readonly string[],
  seats: readonly RotationSeat[],
  input: { kind: ActionKind; now: Date; pausedHandoverHours?: number },
): Map<string, string> {
  const hours = input.pausedHandoverHours ?? DEFAULT_PAUSED_HANDOVER_HOURS;
  const room = seats
    .filter((seat) => isHealthy(seat, input.now, hours))
    .map((seat) => ({
      accountId: seat.accountId,
      room: seatCapacity(seat, input.kind, input.now) - seat.queued,
    }));
  const assigned = new Map<string, string>();
  if (room.length === 0) return assigned;
  for (const leadId of leadIds) {
    let best = room[0] as (typeof room)[number];
    for (const candidate of room) {
      if (
        candidate.room > best.room ||
        (candidate.room === best.room && candidate.accountId < best.accountId)
      ) {
        best = candidate;
      }
    }
    assigned.set(leadId, best.accountId);
    best.room -= 1;
  }
  return assigned;
}

export interface SeatLead {
  leadId: string;
  accountId: string;
  /** Whether the seat has already sent this lead anything LinkedIn saw. */
  contacted: boolean;
}

export interface HandoverPlan {
  /** Leads that move, with the seat they leave, the one they join and why. */
  moves: Array<{ leadId: string; from: string; to: string; reason: string }>;
  /** Contacted leads that stay on their unhealthy seat, waiting on it. */
  waiting: Array<{ leadId: string; accountId: string; reason: string }>;
}

/**
 * The handover for the campaign's unhealthy seats: their uncontacted leads spread over the
 * healthy seats by room; their contacted leads stay. Without a healthy seat nothing moves.
 */
export function planHandover(
  seats: readonly RotationSeat[],
  leads: readonly SeatLead[],
  input: { kind: ActionKind; now: Date; pausedHandoverHours?: number },
): HandoverPlan {
  const hours = input.pausedHandoverHours ?? DEFAULT_PAUSED_HANDOVER_HOURS;
  const reasons = new Map<string, string>();
  for (const seat of seats) {
    const reason = handoverReason(seat.health, input.now, hours);
    if (reason !== null) reasons.set(seat.accountId, reason);
  }
  const plan: HandoverPlan = { moves: [], waiting: [] };
  if (reasons.size === 0) return plan;
  const leaving: SeatLead[] = [];
  for (const lead of leads) {
    const reason = reasons.get(lead.accountId);
    if (reason === undefined) continue;
    if (lead.contacted)
      plan.waiting.push({ leadId: lead.leadId, accountId: lead.accountId, reason });
    else leaving.push(lead);
  }
  const healthy = seats.filter((seat) => !reasons.has(seat.accountId));
  const targets = assignBySeatRoom(
    leaving.map((lead) => lead.leadId),
    healthy,
    input,
  );
  for (const lead of leaving) {
    const to = targets.get(lead.leadId);
    const reason = reasons.get(lead.accountId) as string;
    if (to === undefined) {
      plan.waiting.push({ leadId: lead.leadId, accountId: lead.accountId, reason });
    } else {
      plan.moves.push({ leadId: lead.leadId, from: lead.accountId, to, reason });
    }
  }
  return plan;
}
