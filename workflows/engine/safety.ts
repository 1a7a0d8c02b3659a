/**
 * The account safety score: how close an account's recent behaviour is to what gets LinkedIn
 * seats restricted. Four factors, each scored 0–100; the weakest sets the score, and the engine
 * pauses the account when it falls below the account's threshold — before LinkedIn acts.
 *
 * - acceptance: the share of settled invitations (sent 3 to 21 days ago) that were accepted.
 *   Few acceptances read as spam to LinkedIn.
 * - pending: invitations of the last 30 days still not accepted, and how near the seat is to
 *   its pending ceiling. A pile of pending invitations is LinkedIn's best-known restriction
 *   trigger.
 * - errors: the share of the last 7 days' attempts that failed (limits, restrictions, unknown
 *   outcomes).
 * - cap pressure: how much of its caps the account used over its last 7 working days. Running
 *   at the ceiling every day is a pattern, not a behaviour.
 */
import { DateTime } from "luxon";
import { capsInForce } from "./pacing/caps";
import type { PacingSettings, SafetySettings } from "./pacing/settings";

/** The windows the inputs are counted over; the store counts with these. */
export const SAFETY_WINDOWS = {
  /** Invitations younger than this have not had time to be accepted. */
  settleHours: 72,
  acceptanceDays: 21,
  pendingDays: 30,
  errorDays: 7,
  capDays: 7,
} as const;

/** Below these sample sizes a rate says nothing: the factor counts as healthy. */
export const MIN_SAMPLES = { invitations: 20, attempts: 10 } as const;

export interface SafetyInputs {
  /** Invitations sent in the acceptance window, old enough to have been accepted. */
  settledInvitations: number;
  /** How many of those were accepted. */
  acceptedInvitations: number;
  /** Invitations sent in the last 30 days and not accepted (nor withdrawn). */
  pendingInvitations: number;
  /** Every invitation pending on the seat now, and the seat's ceiling (engine/invitations.ts). */
  pendingCeiling?: { pending: number; ceiling: number };
  /** Attempts over the last 7 days (sent, not sent, failed). */
  attempts: number;
  /** Failed attempts over the last 7 days. */
  failures: number;
  /** Used ÷ cap over the last working days (all actions), 0–1. */
  capUse: number;
  /** Connection requests used ÷ the rolling 7-day cap, 0–1. */
  connectWeekUse: number;
}

export type SafetyFactorKey = "acceptance" | "pending" | "errors" | "cap_pressure";

export interface SafetyFactor {
  key: SafetyFactorKey;
  label: string;
  /** 0 (restriction likely) to 100 (healthy). */
  score: number;
  /** The measured value in words: "12 % of 60 invitations". */
  detail: string;
  /** False when the sample is too small to judge: the factor then scores 100. */
  enoughData: boolean;
}

export interface SafetyScore {
  score: number;
  weakest: SafetyFactor;
  factors: SafetyFactor[];
}

/** 100 at or better than `good`, 0 at or worse than `bad`, linear in between. */
function scale(value: number, good: number, bad: number): number {
  if (good === bad) return value === good ? 100 : 0;
  const t = (value - good) / (bad - good);
  return Math.round(100 * Math.min(1, Math.max(0, 1 - t)));
}

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;

export function safetyScore(inputs: SafetyInputs): SafetyScore {
  const acceptanceRate =
    inputs.settledInvitations > 0 ? inputs.acceptedInvitations / inputs.settledInvitations : 1;
  const enoughInvitations = inputs.settledInvitations >= MIN_SAMPLES.invitations;
  const errorRate = inputs.attempts > 0 ? inputs.failures / inputs.attempts : 0;
  const enoughAttempts = inputs.attempts >= MIN_SAMPLES.attempts;
  const pressure = Math.max(inputs.capUse, inputs.connectWeekUse);

  const factors: SafetyFactor[] = [
    {
      key: "acceptance",
      label: "Acceptance rate",
      // 30 % or more is healthy; 10 % or less is what gets seats flagged.
      score: enoughInvitations ? scale(acceptanceRate, 0.3, 0.1) : 100,
      detail: enoughInvitations
        ? `${percent(acceptanceRate)} of ${inputs.settledInvitations} invitations accepted`
        : `${inputs.settledInvitations} settled invitations (${MIN_SAMPLES.invitations} needed to judge)`,
      enoughData: enoughInvitations,
    },
    pendingFactor(inputs),
    {
      key: "errors",
      label: "Error rate",
      score: enoughAttempts ? scale(errorRate, 0.05, 0.3) : 100,
      detail: enoughAttempts
        ? `${percent(errorRate)} of ${inputs.attempts} attempts failed in ${SAFETY_WINDOWS.errorDays} days`
        : `${inputs.attempts} attempts in ${SAFETY_WINDOWS.errorDays} days (${MIN_SAMPLES.attempts} needed to judge)`,
      enoughData: enoughAttempts,
    },
    {
      key: "cap_pressure",
      label: "Cap pressure",
      // Using the caps fully never pauses an account by itself (it scores 40); it only lowers
      // the score so the other factors have less room.
      score: Math.round(scale(pressure, 0.7, 1) * 0.6 + 40),
      detail: `${percent(inputs.capUse)} of the daily caps, ${percent(inputs.connectWeekUse)} of the weekly invitations`,
      enoughData: true,
    },
  ];
  const weakest = factors.reduce((low, factor) => (factor.score < low.score ? factor : low));
  return { score: weakest.score, weakest, factors };
}

/** Share of the pending ceiling from which the pending factor starts to fall. */
const CEILING_NEAR = 0.75;

/**
 * Pending invitations: the last 30 days' pile (100 up to 200, 0 at 500) and, where the seat has
 * a ceiling, how near it is (100 up to 75 % of it, 40 at it). At the ceiling new invitations
 * already wait, so that alone never pauses the seat at the default threshold; it shows, and
 * leaves the other factors less room.
 */
function pendingFactor(inputs: SafetyInputs): SafetyFactor {
  const pile = scale(inputs.pendingInvitations, 200, 500);
  const pileDetail = `${inputs.pendingInvitations} invitations of the last ${SAFETY_WINDOWS.pendingDays} days not accepted`;
  const ceiling = inputs.pendingCeiling;
  const near = ceiling
    ? Math.round(scale(ceiling.pending, ceiling.ceiling * CEILING_NEAR, ceiling.ceiling) * 0.6 + 40)
    : 100;
  const atCeiling = ceiling !== undefined && near < 100 && near <= pile;
  return {
    key: "pending",
    label: "Pending invitations",
    score: Math.min(pile, near),
    detail: atCeiling
      ? `${ceiling.pending} pending, ${ceiling.pending >= ceiling.ceiling ? "at" : "near"} the ceiling of ${ceiling.ceiling}: new invitations ${ceiling.pending >= ceiling.ceiling ? "wait" : "will soon wait"}`
      : pileDetail,
    enoughData: true,
  };
}

/** Why the account was paused, in words, or null when the score is above the threshold. */
export function safetyPauseReason(
  score: SafetyScore,
  settings: Pick<SafetySettings, "pauseBelow">,
): string | null {
  if (settings.pauseBelow <= 0 || score.score >= settings.pauseBelow) return null;
  return `safety score ${score.score} below ${settings.pauseBelow}: ${score.weakest.label.toLowerCase()} — ${score.weakest.detail}`;
}

/** What the store counts for one account (see SAFETY_WINDOWS). */
export interface SafetyCounts {
  settledInvitations: number;
  acceptedInvitations: number;
  pendingInvitations: number;
  attempts: number;
  failures: number;
  /** Every invitation pending on the seat now (absent: not counted). */
  pendingNow?: number;
  /** Actions used per local date over the cap window (all kinds together), and connects. */
  usage: Array<{ localDate: string; total: number; connect: number }>;
}

/**
 * Turns the counts into the score's inputs: cap use is averaged over the working days of the
 * window up to `today` (each day against the caps in force that day, warm-up included).
 */
export function safetyInputs(
  counts: SafetyCounts,
  pacing: PacingSettings,
  today: string,
): SafetyInputs {
  const end = DateTime.fromISO(today, { zone: "utc" });
  let used = 0;
  let allowed = 0;
  for (let back = 0; back < SAFETY_WINDOWS.capDays; back++) {
    const day = end.minus({ days: back });
    if (!pacing.workingHours.days.includes(day.weekday)) continue;
    const date = day.toISODate()!;
    const caps = capsInForce(pacing, date);
    used += counts.usage.find((u) => u.localDate === date)?.total ?? 0;
    allowed += caps.total;
  }
  const connects = counts.usage.reduce((sum, u) => sum + u.connect, 0);
  const weekCap = capsInForce(pacing, today).connect_7d;
  return {
    settledInvitations: counts.settledInvitations,
    acceptedInvitations: counts.acceptedInvitations,
    pendingInvitations: counts.pendingInvitations,
    ...(counts.pendingNow !== undefined
      ? {
          pendingCeiling: {
            pending: counts.pendingNow,
            ceiling: pacing.invitations.pendingCeiling,
          },
        }
      : {}),
    attempts: counts.attempts,
    failures: counts.failures,
    capUse: allowed > 0 ? Math.min(1, used / allowed) : 0,
    connectWeekUse: weekCap > 0 ? Math.min(1, connects / weekCap) : 0,
  };
}
