/**
 * Why an active enrollment is not moving right now, and until when, in the product's words.
 * Pure: the caller gathers the facts (the enrollment's step, its seat's status, settings and
 * today's usage, the credit pool, the campaign budget, the clock) and this decides which one
 * holds the lead back. The first blocker in the order below wins, because it is the one the
 * user has to act on (or wait out) first.
 */
import { ACTIONS, findNodeDefinition, isActionKind, NODE_KINDS } from "../nodes/catalog";
import { formatAccountTime } from "./pacing/local-time";
import {
  isWithinWorkingHours,
  nextWorkingDayStart,
  nextWorkingInstant,
  type WorkingHoursSettings,
} from "./pacing/working-hours";

export const WAITING_REASON_CODES = [
  "acceptance",
  "wait_step",
  "reply_window",
  "campaign_paused",
  "seat_reconnect",
  "seat_paused",
  "seat_cooling",
  "budget_reached",
  "pool_empty",
  "pending_ceiling",
  "outside_hours",
  "cap_full",
  "next_slot",
  "queued",
  "due",
] as const;
export type WaitingReasonCode = (typeof WAITING_REASON_CODES)[number];

/** The codes in words, for a filter's options. */
export const WAITING_REASON_LABELS: Readonly<Record<WaitingReasonCode, string>> = {
  acceptance: "Waiting for acceptance",
  wait_step: "Within a wait step",
  reply_window: "Waiting for a reply",
  campaign_paused: "Campaign paused",
  seat_reconnect: "Seat needs reconnecting",
  seat_paused: "Seat paused",
  seat_cooling: "Seat cooling down",
  budget_reached: "Campaign budget reached",
  pool_empty: "Credit pool empty",
  pending_ceiling: "Pending invitations at the ceiling",
  outside_hours: "Outside working hours",
  cap_full: "Today's cap is full",
  next_slot: "Waiting for the seat's next send slot",
  queued: "Queued behind other sends",
  due: "Due now",
};

export interface WaitingReason {
  code: WaitingReasonCode;
  /** One sentence for the user: "Waiting for acceptance until Tue 3 Mar, 14:05 (Europe/Paris)". */
  text: string;
  /** When the lead may move again by itself; null when it waits for someone to act. */
  until: Date | null;
}

/** The step a lead is at, as far as waiting goes. */
export type WaitingStep =
  | { kind: "wait" }
  | { kind: "if_accepted" }
  | { kind: "if_replied" }
  /** A step that sends: `action` names the cap it draws on, in words ("invitations"). */
  | { kind: "send"; action: string; usesCredits: boolean; isInvitation: boolean }
  /** Anything else (a condition on the profile, a visit without cap): nothing to wait for. */
  | { kind: "other" };

/** The waiting face of a step kind: timed steps, sending steps (by their action), the rest. */
export function waitingStepOf(kind: string): WaitingStep {
  if (kind === "wait" || kind === "if_accepted" || kind === "if_replied") return { kind };
  const action = findNodeDefinition(kind)?.send?.action;
  if (!isActionKind(action)) return { kind: "other" };
  return {
    kind: "send",
    action: inSentence(ACTIONS[action].plural),
    usesCredits: action === "inmail",
    isInvitation: action === "connect",
  };
}

/**
 * The step kinds that send: only a lead at one of these can be queued behind other sends, so
 * only theirs need the seat's queue read.
 */
export const SENDING_STEP_KINDS: readonly string[] = NODE_KINDS.filter(
  (kind) => waitingStepOf(kind).kind === "send",
);

/** The step kinds that send invitations: only theirs need the seat's pending invitations. */
export const INVITATION_STEP_KINDS: readonly string[] = NODE_KINDS.filter((kind) => {
  const step = waitingStepOf(kind);
  return step.kind === "send" && step.isInvitation;
});

/** A plural label inside a sentence: "Invitations" reads "invitations", "InMails" stays. */
function inSentence(label: string): string {
  return /[A-Z]/.test(label.slice(1)) ? label : label.toLowerCase();
}

export interface WaitingFacts {
  now: Date;
  step: WaitingStep;
  /** When the engine next looks at this lead (the wait's end, the window's close, the send time). */
  nextRunAt: Date;
  seat: {
    name: string;
    /** active, paused, cooling_down, needs_reconnect, stopped, restricted. */
    status: string;
    coolingUntil: Date | null;
    /** The seat's next send slot (the gap after its last send); null or past when free. */
    nextFreeAt?: Date | null;
    hours: WorkingHoursSettings;
    /** Today's usage and cap for this step's action, when it sends. */
    cap: { used: number; limit: number } | null;
    /** Sends on this seat due before this lead's, already waiting for their turn. */
    queuedAhead: number;
    /** Pending invitations and the seat's ceiling, where a ceiling is set. */
    pendingInvitations: { pending: number; ceiling: number } | null;
  };
  /** The seat's credit pool, when it has one. */
  pool: { balance: number; nextRenewalAt: Date | null } | null;
  budgetReached: boolean;
  /** The lead's campaign is paused: nothing moves it until someone resumes the campaign. */
  campaignPaused?: boolean;
}

/** The seat's own blocker, if it is not working: restricted, disconnected, paused, cooling. */
function seatDown(seat: WaitingFacts["seat"], now: Date, zone: string): WaitingReason | null {
  if (seat.status === "needs_reconnect" || seat.status === "stopped") {
    return {
      code: "seat_reconnect",
      text: `Seat ${seat.name} needs reconnecting`,
      until: null,
    };
  }
  if (seat.status === "restricted") {
    return { code: "seat_paused", text: `Seat ${seat.name} restricted by LinkedIn`, until: null };
  }
  if (seat.status === "paused") {
    return { code: "seat_paused", text: `Seat ${seat.name} paused`, until: null };
  }
  if (
    seat.status === "cooling_down" &&
    seat.coolingUntil &&
    seat.coolingUntil.getTime() > now.getTime()
  ) {
    return timed(
      "seat_cooling",
      `Seat ${seat.name} cooling down after a LinkedIn limit until`,
      seat.coolingUntil,
      zone,
    );
  }
  return null;
}

function at(instant: Date, timeZone: string): string {
  return formatAccountTime(instant, timeZone);
}

/**
 * Sends ahead of a lead in its seat's queue are counted up to this many: past it the reason
 * reads "Queued behind 100+ sends" (a seat sends a hundred or so a day at most, so the exact
 * figure tells nothing more, and counting it would read the whole queue for every lead).
 */
export const QUEUE_COUNT_LIMIT = 100;

/** The reason an active enrollment waits, from its facts. */
export function waitingReason(facts: WaitingFacts): WaitingReason {
  const { now, step, seat } = facts;
  const zone = seat.hours.timeZone;
  const later = facts.nextRunAt.getTime() > now.getTime();

  // A lead waiting on time does so whatever the seat does: its timer runs regardless.
  if (later && step.kind === "if_accepted") {
    return timed("acceptance", "Waiting for acceptance until", facts.nextRunAt, zone);
  }
  if (later && step.kind === "if_replied") {
    return timed("reply_window", "Waiting for a reply until", facts.nextRunAt, zone);
  }
  if (later && step.kind === "wait") {
    return timed("wait_step", "Within a wait step until", facts.nextRunAt, zone);
  }
  // Past its timers, a lead of a paused campaign waits for the campaign, whatever else holds.
  if (facts.campaignPaused) return untimed("campaign_paused");
  // A due lead on a seat that does not work waits on the seat, whatever its step (a lead its
  // seat already reached stays on it when the seat goes down: engine/rotation.ts).
  const down = seatDown(seat, now, zone);
  if (step.kind !== "send") {
    if (later) return timed("due", "Next looked at", facts.nextRunAt, zone);
    return down ?? untimed("due");
  }
  if (down) return down;
  if (facts.budgetReached) {
    return untimed("budget_reached");
  }
  if (step.usesCredits && facts.pool && facts.pool.balance <= 0) {
    const renewal = facts.pool.nextRenewalAt;
    return renewal
      ? {
          code: "pool_empty",
          text: `Credit pool empty until the renewal on ${at(renewal, zone)}`,
          until: renewal,
        }
      : untimed("pool_empty");
  }
  const pending = seat.pendingInvitations;
  if (step.isInvitation && pending && pending.pending >= pending.ceiling) {
    return {
      code: "pending_ceiling",
      text: `Pending invitations at the ceiling (${pending.pending}/${pending.ceiling})`,
      until: null,
    };
  }
  if (!isWithinWorkingHours(now, seat.hours)) {
    const resumes = nextWorkingInstant(now, seat.hours);
    return {
      code: "outside_hours",
      text: `Outside working hours, resumes ${at(resumes, zone)}`,
      until: resumes,
    };
  }
  if (seat.cap && seat.cap.used >= seat.cap.limit) {
    const next = nextWorkingDayStart(now, seat.hours);
    return {
      code: "cap_full",
      text: `Today's cap for ${step.action} is full (${seat.cap.used}/${seat.cap.limit}), next place ${at(next, zone)}`,
      until: next,
    };
  }
  if (seat.nextFreeAt && seat.nextFreeAt.getTime() > now.getTime() && !later) {
    return timed(
      "next_slot",
      `Waiting for seat ${seat.name}'s next send slot,`,
      seat.nextFreeAt,
      zone,
    );
  }
  if (seat.queuedAhead > 0) {
    const sends = seat.queuedAhead === 1 ? "send" : "sends";
    const count =
      seat.queuedAhead >= QUEUE_COUNT_LIMIT
        ? `${QUEUE_COUNT_LIMIT.toLocaleString("en-US")}+`
        : String(seat.queuedAhead);
    return {
      code: "queued",
      text: `Queued behind ${count} ${sends} on seat ${seat.name}`,
      until: later ? facts.nextRunAt : null,
    };
  }
  return later ? timed("due", "Next send planned for", facts.nextRunAt, zone) : untimed("due");
}

/** A reason with no end of its own, in the words its code has everywhere (filters, badges). */
function untimed(code: WaitingReasonCode): WaitingReason {
  return { code, text: WAITING_REASON_LABELS[code], until: null };
}

function timed(
  code: WaitingReasonCode,
  words: string,
  until: Date,
  timeZone: string,
): WaitingReason {
  return { code, text: `${words} ${at(until, timeZone)}`, until };
}
