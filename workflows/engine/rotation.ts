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
import type { AnyGraph } from "../graph/index";
import { findNodeDefinition, isActionKind } from "../nodes/catalog";
import { capsInForce } from "./pacing/caps";
import type { ActionKind, PacingSettings } from "./pacing/settings";

const HOUR_MS = 3_600_000;

/** How many coming days the room is counted over. */
export const ROOM_HORIZON_DAYS = 7;
/** A seat paused for longer than this hands its uncontacted leads over (default). */
export const DEFAULT_PAUSED_HANDOVER_HOURS = 24;
/** How often (engine time) each worker looks for leads to hand over. */
export const HANDOVER_CHECK_MS = HOUR_MS;

export type SeatHealth =
  | { status: "active" }
  | { status: "restricted" }
  | { status: "disconnected" }
  | { status: "paused"; since: Date };

export interface RotationSeat {
  accountId: string;
  /** Its safety settings say how long a pause may last before its leads move. */
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

/** A pause whose start is not known never lasts long enough to hand over. */
const UNKNOWN_PAUSE = new Date(8.64e15);

/** The seat's health from its stored status (cooling down passes by itself: healthy). */
export function seatHealthOf(status: string, pausedAt: Date | null): SeatHealth {
  switch (status) {
    case "restricted":
      return { status: "restricted" };
    case "needs_reconnect":
    case "stopped":
      return { status: "disconnected" };
    case "paused":
      return { status: "paused", since: pausedAt ?? UNKNOWN_PAUSE };
    default:
      return { status: "active" };
  }
}

/**
 * Why a seat hands its uncontacted leads over, or null when it is healthy: the end of a
 * sentence about the seat ("needs reconnecting").
 */
export function handoverReason(
  health: SeatHealth,
  now: Date,
  pausedHandoverHours = DEFAULT_PAUSED_HANDOVER_HOURS,
): string | null {
  switch (health.status) {
    case "active":
      return null;
    case "restricted":
      return "is restricted";
    case "disconnected":
      return "needs reconnecting";
    case "paused":
      return now.getTime() - health.since.getTime() > pausedHandoverHours * HOUR_MS
        ? `has been paused for more than ${pausedHandoverHours} hours`
        : null;
  }
}

function reasonOf(seat: RotationSeat, now: Date): string | null {
  return handoverReason(seat.health, now, seat.pacing.safety.handoverAfterPausedHours);
}

/**
 * The seat each of `count` new leads goes to, in order: the seat with the most room left
 * (capacity minus queued, counting the leads just given), ties to the seat listed first (callers
 * list seats by name). Only healthy seats take leads; with none, the result is empty.
 */
export function assignSlotsBySeatRoom(
  count: number,
  seats: readonly RotationSeat[],
  input: { kind: ActionKind; now: Date },
): string[] {
  const room = seats
    .filter((seat) => reasonOf(seat, input.now) === null)
    .map((seat) => ({
      accountId: seat.accountId,
      room: seatCapacity(seat, input.kind, input.now) - seat.queued,
    }));
  const slots: string[] = [];
  if (room.length === 0) return slots;
  for (let n = 0; n < count; n++) {
    let best = room[0] as (typeof room)[number];
    for (const candidate of room) if (candidate.room > best.room) best = candidate;
    slots.push(best.accountId);
    best.room -= 1;
  }
  return slots;
}

/**
 * The seats of `count` leads entering a campaign: by room among its healthy seats, or, when
 * none is healthy, among all of them (the leads then wait on their seat like the others).
 */
export function enrolmentSlots(
  count: number,
  seats: readonly RotationSeat[],
  input: { kind: ActionKind; now: Date },
): string[] {
  const slots = assignSlotsBySeatRoom(count, seats, input);
  if (slots.length > 0 || count === 0) return slots;
  const anyHealth = seats.map((seat) => ({ ...seat, health: { status: "active" as const } }));
  return assignSlotsBySeatRoom(count, anyHealth, input);
}

/** Assigns leads, in order, each to the seat with the most room left (assignSlotsBySeatRoom). */
export function assignBySeatRoom(
  leadIds: readonly string[],
  seats: readonly RotationSeat[],
  input: { kind: ActionKind; now: Date },
): Map<string, string> {
  const slots = assignSlotsBySeatRoom(leadIds.length, seats, input);
  const assigned = new Map<string, string>();
  slots.forEach((accountId, n) => {
    assigned.set(leadIds[n] as string, accountId);
  });
  return assigned;
}

/**
 * The kind of the campaign's first send (the first step that sends, walking from the start):
 * the cap a new lead's room is counted on.
 */
export function firstSendKind(graph: AnyGraph): ActionKind {
  const start = graph.nodes.find((node) => node.kind === "start");
  const seen = new Set<string>();
  const queue = start ? [start.id] : [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = graph.nodes.find((n) => n.id === id);
    const action = node ? findNodeDefinition(node.kind)?.send?.action : undefined;
    if (isActionKind(action)) return action;
    for (const edge of graph.edges) if (edge.source === id) queue.push(edge.target);
  }
  return "connect";
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
  input: { kind: ActionKind; now: Date },
): HandoverPlan {
  const reasons = new Map<string, string>();
  for (const seat of seats) {
    const reason = reasonOf(seat, input.now);
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

const MOVE_NOTE_START = "Moved from seat ";

/** The history line of a move, in words: "Moved from seat A to seat B: A needs reconnecting". */
export function seatMoveNote(from: string, to: string, reason: string): string {
  return `${MOVE_NOTE_START}${from} to seat ${to}: ${from} ${reason}`;
}

/** Whether a history line is a move from one seat to another. */
export function isSeatMoveNote(note: string | null): boolean {
  return note?.startsWith(MOVE_NOTE_START) === true;
}

/**
 * Reads a move's history line back, given the names the seats may have (the longest names
 * that fit win, so one seat's name may begin with another's); null for any other line.
 */
export function readSeatMoveNote(
  note: string | null,
  names: readonly string[],
): { from: string; to: string; reason: string } | null {
  if (!note || !isSeatMoveNote(note)) return null;
  const byLength = [...names].sort((a, b) => b.length - a.length);
  for (const from of byLength) {
    const rest = `${MOVE_NOTE_START}${from} to seat `;
    if (!note.startsWith(rest)) continue;
    for (const to of byLength) {
      const head = `${rest}${to}: ${from} `;
      if (note.startsWith(head)) return { from, to, reason: note.slice(head.length) };
    }
  }
  return null;
}
