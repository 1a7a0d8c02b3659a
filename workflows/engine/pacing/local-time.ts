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

/**
 * Offsets by zone and UTC hour: asking the platform's time-zone data is slow, and an offset
 * only changes at a transition. An hour whose two ends share an offset has that offset
 * throughout (no zone changes twice within an hour); an hour with a transition inside is asked
 * minute by minute.
 */
const offsetCache = new Map<IANAZone, Map<number, number | null>>();
const OFFSET_CACHE_HOURS = 50_000;

export function offsetMinutes(epochMs: number, zone: IANAZone): number {
  if (zone.name === "UTC" || zone.name === "Etc/UTC") return 0;
  let hours = offsetCache.get(zone);
  if (!hours) {
    hours = new Map();
    offsetCache.set(zone, hours);
  }
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const start = zone.offset(hour * HOUR_MS);
    offset = zone.offset((hour + 1) * HOUR_MS - 1) === start ? start : null;
    if (hours.size >= OFFSET_CACHE_HOURS) hours.clear();
    hours.set(hour, offset);
  }
  return offset ?? zone.offset(epochMs);
}

/** Wall-clock time of `epochMs` in `zone`, as local ms. */
export function toLocalMs(epochMs: number, zone: IANAZone): number {
  return epochMs + offsetMinutes(epochMs, zone) * MINUTE_MS;
}

/** The local date an instant falls on in the account's time zone. */
export function localDate(instant: Instant, timeZone: string): LocalDate {
  const local = toLocalMs(toEpochMs(instant), zoneOf(timeZone));
  return localMsToDate(local);
}

// Dates and day numbers go back and forth constantly (caps, windows, working days): both
// directions are remembered (a few years of days at most).
const dayOfDate = new Map<LocalDate, number>();
const dateOfDay = new Map<number, LocalDate>();
const DATE_CACHE_DAYS = 20_000;

/** Local ms of midnight starting `date` (UTC arithmetic, not an instant). */
export function localDateToMs(date: LocalDate): number {
  const known = dayOfDate.get(date);
  if (known !== undefined) return known;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`expected YYYY-MM-DD, got ${date}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (dayOfDate.size >= DATE_CACHE_DAYS) dayOfDate.clear();
  dayOfDate.set(date, ms);
  return ms;
}

export function localMsToDate(localMs: number): LocalDate {
  const day = Math.floor(localMs / DAY_MS);
  let date = dateOfDay.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dateOfDay.size >= DATE_CACHE_DAYS) dateOfDay.clear();
    dateOfDay.set(day, date);
  }
  return date;
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

// Asked for the same few days over and over (a simulation's every wake-up reads a seat's day),
// and luxon takes tens of microseconds to answer.
const dayStarts = new Map<string, number>();

/** The first instant of a local date (after a DST gap at midnight, the end of that gap). */
export function startOfLocalDate(date: LocalDate, timeZone: string): number {
  const key = `${timeZone}|${date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    start = DateTime.fromISO(date, { zone: zoneOf(timeZone) })
      .startOf("day")
      .toMillis();
    if (dayStarts.size >= DATE_CACHE_DAYS) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return start;
}

// One formatter per zone: building an Intl.DateTimeFormat costs about a hundred times what
// formatting with it does (a page of leads in progress formats one time per lead).
const accountTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A time in the account's own zone, as its owner reads it: "Tue 3 Mar, 14:05 (Europe/Paris)". */
export function formatAccountTime(instant: Date, timeZone: string): string {
  const zone = timeZone || "UTC";
  let format = accountTimeFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    // Zones are a few hundred names at most; a bad one throws above and is never kept.
    accountTimeFormats.set(zone, format);
  }
  return `${format.format(instant)} (${zone})`;
}
