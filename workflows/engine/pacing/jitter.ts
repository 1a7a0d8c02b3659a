/**
 * Jitter: an account never acts at regular intervals. Each send waits for the account's
 * next-free time, lands inside working hours (each day starting a random few minutes late) and
 * pushes next-free forward by a log-uniform gap.
 */
import { type Seed, scaleLogUniform, seedFor, uniform01 } from "../../random";
import { type Instant, toEpochMs } from "./local-time";
import type { LocalDate, PacingSettings } from "./settings";
import { nextWorkingInstant } from "./working-hours";

/**
 * The random numbers one send uses, each uniform in [0, 1). `gap` is drawn once per send and
 * stored with it, so a retry lands on the same schedule; `dayStart` must return the same value
 * for the same account and date, so every send of a day sees the same late start.
 */
export interface SendDraw {
  gap: number;
  dayStart: (localDate: LocalDate) => number;
}

export type JitterSettings = Pick<
  PacingSettings,
  "timeZone" | "workingHours" | "dailyStartOffsetMaxMinutes" | "gap"
>;

/** Named draws for one send of one account: same inputs, same schedule. */
export function sendDrawFor(seed: Seed, accountId: string, sendKey: string): SendDraw {
  return {
    gap: uniform01(seedFor(seed, "send-gap", accountId, sendKey)),
    dayStart: (date) => uniform01(seedFor(seed, "day-start", accountId, date)),
  };
}

/** Minutes the working day starts late, from its uniform draw. */
export function startOffsetMinutes(u: number, settings: JitterSettings): number {
  return u * settings.dailyStartOffsetMaxMinutes;
}

/** Seconds between two actions, log-uniform in [minSeconds, maxSeconds], from its draw. */
export function gapSeconds(u: number, settings: JitterSettings): number {
  return scaleLogUniform(u, settings.gap.minSeconds, settings.gap.maxSeconds);
}

export interface ScheduledSend {
  sendAt: Date;
  /** The account's next-free time after this send. */
  nextFreeAt: Date;
  gapSeconds: number;
}

export function scheduleNextSend({
  nextFreeAt,
  now,
  settings,
  draw,
}: {
  /** The account's next-free time; null for an account that has not acted yet. */
  nextFreeAt: Instant | null;
  now: Instant;
  settings: JitterSettings;
  draw: SendDraw;
}): ScheduledSend {
  const nowMs = toEpochMs(now);
  const earliest = nextFreeAt === null ? nowMs : Math.max(nowMs, toEpochMs(nextFreeAt));
  const sendAt = nextWorkingInstant(earliest, settings, (date) =>
    startOffsetMinutes(draw.dayStart(date), settings),
  );
  const gap = gapSeconds(draw.gap, settings);
  return {
    sendAt,
    nextFreeAt: new Date(sendAt.getTime() + Math.round(gap * 1000)),
    gapSeconds: gap,
  };
}
