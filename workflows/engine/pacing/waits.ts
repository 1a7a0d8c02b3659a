/**
 * Wait steps: when the next step of an enrollment may run. The result is a lower bound; the
 * engine still moves any send into working hours.
 */
import { DateTime } from "luxon";
import { z } from "zod";
import {
  addLocalDays,
  daysBetweenLocalDates,
  HOUR_MS,
  type Instant,
  isoWeekday,
  localDate,
  startOfLocalDate,
  toEpochMs,
  zoneOf,
} from "./local-time";
import type { LocalDate, PacingSettings } from "./settings";

export const WaitDurationSchema = z
  .object({
    amount: z.number().min(0),
    unit: z.enum(["hours", "days"]),
    /** Count only the account's working days (days: skip whole days; hours: pause on them). */
    workingDaysOnly: z.boolean().default(false),
  })
  .refine((wait) => wait.unit !== "days" || Number.isInteger(wait.amount), {
    message: "A wait in days is a whole number of days",
    path: ["amount"],
  });
export type WaitDuration = z.output<typeof WaitDurationSchema>;

export type WaitSettings = Pick<PacingSettings, "timeZone" | "workingHours">;

/**
 * The earliest instant the step after a wait may run.
 * - days: calendar days in the account's zone, same local time (so 3 days across a DST change
 *   is 71 or 73 hours); with `workingDaysOnly`, only working days are counted.
 * - hours: elapsed hours; with `workingDaysOnly`, time on non-working days does not count
 *   (Friday 17:00 + 24 h lands on Monday 17:00).
 */
export function addWait(from: Instant, wait: WaitDuration, settings: WaitSettings): Date {
  const fromMs = toEpochMs(from);
  if (wait.amount === 0) return new Date(fromMs);
  const isWorkingDay = (date: LocalDate) => settings.workingHours.days.includes(isoWeekday(date));

  if (wait.unit === "hours") {
    if (!wait.workingDaysOnly) return new Date(fromMs + wait.amount * HOUR_MS);
    return new Date(addWorkingDayHours(fromMs, wait.amount, settings, isWorkingDay));
  }

  const startDate = localDate(fromMs, settings.timeZone);
  let targetDate = addLocalDays(startDate, wait.amount);
  if (wait.workingDaysOnly) {
    let counted = 0;
    targetDate = startDate;
    while (counted < wait.amount) {
      targetDate = addLocalDays(targetDate, 1);
      if (isWorkingDay(targetDate)) counted++;
    }
  }
  // Luxon's calendar `plus` keeps the wall time (moving forward out of a DST gap).
  return DateTime.fromMillis(fromMs, { zone: zoneOf(settings.timeZone) })
    .plus({ days: daysBetweenLocalDates(startDate, targetDate) })
    .toJSDate();
}

function addWorkingDayHours(
  fromMs: number,
  hours: number,
  settings: WaitSettings,
  isWorkingDay: (date: LocalDate) => boolean,
): number {
  let cursor = fromMs;
  let remaining = hours * HOUR_MS;
  for (;;) {
    const date = localDate(cursor, settings.timeZone);
    const nextDayStart = startOfLocalDate(addLocalDays(date, 1), settings.timeZone);
    if (isWorkingDay(date)) {
      const available = nextDayStart - cursor;
      if (remaining <= available) return cursor + remaining;
      remaining -= available;
    }
    cursor = nextDayStart;
  }
}
