/**
 * Per-account pacing settings: time zone, working hours, jitter, caps and warm-up. Every number
 * is a setting; the defaults are the conservative daily volumes LinkedIn tolerates.
 */
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";
import { ACTION_KINDS, ACTIONS, type ActionKind, byActionKind } from "../../nodes/catalog";
import { InvitationHygieneSchema } from "../invitations";

/** Side effects that count against an account's caps: one per acting step kind. */
export { ACTION_KINDS, type ActionKind };
export const ActionKindSchema = z.enum(ACTION_KINDS);

/** A calendar date in the account's time zone, "YYYY-MM-DD": the unit of cap counters. */
export type LocalDate = string;

export const LocalDateSchema = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid, {
    message: "Expected a date as YYYY-MM-DD",
  });

export const TimeZoneSchema = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: "Unknown IANA time zone (e.g. Europe/Paris)",
});

/** "HH:MM" on a 24-hour clock; "24:00" is allowed as an end meaning midnight. */
const CLOCK_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export function minutesSinceMidnight(clockTime: string): number {
  const [hours, minutes] = clockTime.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

export const DEFAULT_DAILY_CAPS: Readonly<Record<ActionKind, number>> = byActionKind(
  (kind) => ACTIONS[kind].defaultDailyCap,
);

/** Warm-up fraction of each cap by week since the warm-up start; the last value holds after. */
export const DEFAULT_WARMUP_RAMP: readonly number[] = [0.2, 0.4, 0.6, 0.8, 1];

/** The shortest working day a person may set: the engine starts each day up to 30 minutes late. */
export const MIN_WORKING_DAY_MINUTES = 60;

// The working-hours fields, with messages a person can act on: the engine's parser and the
// account editor's read them with the same rules.
const workingDays = z
  .array(z.int().min(1).max(7))
  .min(1, "Pick at least one working day.")
  .refine((days) => new Set(days).size === days.length, "Each weekday at most once.");
const startTime = z.string().regex(CLOCK_TIME, "Give the start as HH:MM, for example 09:00.");
const endTime = z.string().regex(CLOCK_TIME, "Give the end as HH:MM, for example 18:00.");

export const WorkingHoursSchema = z
  .object({
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: workingDays.default([1, 2, 3, 4, 5]),
    start: startTime.default("09:00"),
    end: endTime.default("18:00"),
  })
  .refine((hours) => minutesSinceMidnight(hours.start) < minutesSinceMidnight(hours.end), {
    message: "Working hours must start before they end",
    path: ["end"],
  });
/**
 * Working hours as a person sets them (account creation and the editor): every field given,
 * and the day at least MIN_WORKING_DAY_MINUTES long, so the engine's late start has room.
 */
export const WorkingHoursInputSchema = z
  .object({ days: workingDays, start: startTime, end: endTime })
  .refine(
    (hours) =>
      minutesSinceMidnight(hours.end) - minutesSinceMidnight(hours.start) >=
      MIN_WORKING_DAY_MINUTES,
    { message: "Working hours must end at least an hour after they start.", path: ["end"] },
  );
export type WorkingHours = z.output<typeof WorkingHoursSchema>;

export const GapSchema = z
  .object({
    minSeconds: z.number().positive().default(90),
    maxSeconds: z.number().positive().default(360),
  })
  .refine((gap) => gap.minSeconds <= gap.maxSeconds, {
    message: "The shortest gap must not exceed the longest",
    path: ["maxSeconds"],
  });

const CapSchema = z.int().min(0);

export const CapSettingsSchema = z.object({
  perDay: z
    .object(byActionKind((kind) => CapSchema.default(DEFAULT_DAILY_CAPS[kind])))
    .prefault({}),
  /** All actions together, per local day. */
  totalPerDay: CapSchema.default(150),
  /** Connection requests over the rolling 7 local days ending today. */
  connectPer7Days: CapSchema.default(100),
});
export type CapSettings = z.output<typeof CapSettingsSchema>;

export const WarmupSchema = z.object({
  /** First day of warm-up (account created or newly connected); null: no warm-up, full caps. */
  startDate: LocalDateSchema.nullable().default(null),
  ramp: z
    .array(z.number().gt(0).lte(1))
    .min(1)
    .default(() => [...DEFAULT_WARMUP_RAMP]),
});
export type Warmup = z.output<typeof WarmupSchema>;

export const SafetySettingsSchema = z.object({
  /** Pause the account when its safety score falls below this (0 turns the check off). */
  pauseBelow: z.number().min(0).max(100).default(40),
  /**
   * A seat paused for longer than this (hours) hands the campaign leads it has not contacted
   * to its campaigns' healthy seats (engine/rotation.ts).
   */
  handoverAfterPausedHours: z
    .number()
    .min(1)
    .max(24 * 90)
    .default(24),
});
export type SafetySettings = z.output<typeof SafetySettingsSchema>;

export const PacingSettingsSchema = z
  .object({
    /** IANA zone the working hours and daily caps are counted in; no default on purpose. */
    timeZone: TimeZoneSchema,
    workingHours: WorkingHoursSchema.prefault({}),
    /** Gap between two actions of the account, drawn log-uniformly in [min, max]. */
    gap: GapSchema.prefault({}),
    /** Each working day starts up to this many minutes late, drawn per day. */
    dailyStartOffsetMaxMinutes: z.number().min(0).default(30),
    caps: CapSettingsSchema.prefault({}),
    warmup: WarmupSchema.prefault({}),
    /** When the account pauses itself on a falling safety score. */
    safety: SafetySettingsSchema.prefault({}),
    /**
     * Sends that find the seat busy queue by priority and fair share (engine/priority.ts)
     * instead of each taking the next free slot in turn. On unless a seat turns it off.
     */
    priorities: z.boolean().default(true),
    /** Withdrawing stale invitations and the pending ceiling (engine/invitations.ts). */
    invitations: InvitationHygieneSchema.prefault({}),
  })
  .refine(
    (settings) =>
      settings.dailyStartOffsetMaxMinutes <
      minutesSinceMidnight(settings.workingHours.end) -
        minutesSinceMidnight(settings.workingHours.start),
    {
      message: "The daily start offset must be shorter than the working day",
      path: ["dailyStartOffsetMaxMinutes"],
    },
  );

export type PacingSettings = z.output<typeof PacingSettingsSchema>;
export type PacingSettingsInput = z.input<typeof PacingSettingsSchema>;

// Seats' settings as stored, parsed once per distinct value: they rarely change, every claim
// and wake-up reads them, and capsInForce remembers a day's caps by the parsed object (the same
// object each time is what lets it).
const parsedPacing = new Map<string, PacingSettings>();

/** A seat's stored pacing settings, parsed (the same object for the same settings). */
export function storedPacing(raw: unknown): PacingSettings {
  const key = JSON.stringify(raw);
  let parsed = parsedPacing.get(key);
  if (!parsed) {
    if (parsedPacing.size >= 1000) parsedPacing.clear();
    parsed = PacingSettingsSchema.parse(raw);
    parsedPacing.set(key, parsed);
  }
  return parsed;
}
