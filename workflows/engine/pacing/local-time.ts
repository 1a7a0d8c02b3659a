/**
 * Local calendar arithmetic. Instants are epoch ms; a zone's wall clock is represented as
 * "local ms": the epoch ms a UTC clock would show for the same wall time (instant + offset).
 * Calendar dates are then plain UTC-date arithmetic, with no DST to trip over.
 */
import { DateTime, IANAZone } from "luxon";
import type { LocalDate } from "./settings";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Instant = Date | number;

export function toEpochMs(instant: Instant): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid instant");
  return ms;
}

const zones = new Map<string, IANAZone>();

export function zoneOf(timeZone: string): IANAZone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = IANAZone.create(timeZone);
    if (!zone.isValid) throw new RangeError(`unknown time zone ${timeZone}`);
    zones.set(timeZone, zone);
  }
  return zone;
}

/** Wall-clock time of `epochMs` in `zone`, as local ms. */
export function toLocalMs(epochMs: number, zone: IANAZone): number {
  return epochMs + zone.offset(epochMs) * MINUTE_MS;
}

/** The local date an instant falls on in the account's time zone. */
export function localDate(instant: Instant, timeZone: string): LocalDate {
  const local = toLocalMs(toEpochMs(instant), zoneOf(timeZone));
  return localMsToDate(local);
}

/** Local ms of midnight starting `date` (UTC arithmetic, not an instant). */
export function localDateToMs(date: LocalDate): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`expected YYYY-MM-DD, got ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

export function localMsToDate(localMs: number): LocalDate {
  return new Date(Math.floor(localMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return localMsToDate(localDateToMs(date) + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetweenLocalDates(from: LocalDate, to: LocalDate): number {
  return Math.round((localDateToMs(to) - localDateToMs(from)) / DAY_MS);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(localDateToMs(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The first instant of a local date (after a DST gap at midnight, the end of that gap). */
export function startOfLocalDate(date: LocalDate, timeZone: string): number {
  return DateTime.fromISO(date, { zone: zoneOf(timeZone) })
    .startOf("day")
    .toMillis();
}
