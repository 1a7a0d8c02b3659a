/**
 * Working hours in the account's time zone. An instant is inside working hours when its wall
 * clock time, on a working weekday, is in [start + that day's start offset, end). Defining it on
 * the wall clock makes DST behave as people expect: 09:00 stays 09:00 across a change, a window
 * in a skipped hour does not exist that day, and a repeated hour is worked twice.
 */
import type { IANAZone } from "luxon";
import {
  addLocalDays,
  DAY_MS,
  HOUR_MS,
  type Instant,
  localDateToMs,
  localMsToDate,
  MINUTE_MS,
  toEpochMs,
  toLocalMs,
  zoneOf,
  offsetMinutes as zoneOffset,
} from "./local-time";
import { type LocalDate, minutesSinceMidnight, type PacingSettings } from "./settings";

/** Minutes the working day `localDate` starts late; drawn per day so callers can seed it. */
export type StartOffsetFor = (localDate: LocalDate) => number;

export type WorkingHoursSettings = Pick<
  PacingSettings,
  "timeZone" | "workingHours" | "dailyStartOffsetMaxMinutes"
>;

const noStartOffset: StartOffsetFor = () => 0;

/**
 * A caller's offset clamped to the account's setting, so a bad draw cannot empty a day; in whole
 * milliseconds so that checking an instant and searching for one agree exactly.
 */
function startOffsetMsOn(
  date: LocalDate,
  settings: WorkingHoursSettings,
  startOffsetFor: StartOffsetFor,
): number {
  const minutes = startOffsetFor(date);
  if (!Number.isFinite(minutes) || minutes <= 0) return 0;
  return Math.round(Math.min(minutes, settings.dailyStartOffsetMaxMinutes) * MINUTE_MS);
}

function weekdayOfLocalMs(dayStartLocalMs: number): number {
  const day = new Date(dayStartLocalMs).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Whether the account may send at `instant`. */
export function isWithinWorkingHours(
  instant: Instant,
  settings: WorkingHoursSettings,
  startOffsetFor: StartOffsetFor = noStartOffset,
): boolean {
  const local = toLocalMs(toEpochMs(instant), zoneOf(settings.timeZone));
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  if (!settings.workingHours.days.includes(weekdayOfLocalMs(dayStart))) return false;
  const sinceMidnight = local - dayStart;
  const start =
    minutesSinceMidnight(settings.workingHours.start) * MINUTE_MS +
    startOffsetMsOn(localMsToDate(dayStart), settings, startOffsetFor);
  const end = minutesSinceMidnight(settings.workingHours.end) * MINUTE_MS;
  return sinceMidnight >= start && sinceMidnight < end;
}

/** The earliest instant >= `from` inside working hours (with each day's start offset). */
export function nextWorkingInstant(
  from: Instant,
  settings: WorkingHoursSettings,
  startOffsetFor: StartOffsetFor = noStartOffset,
): Date {
  const fromMs = toEpochMs(from);
  const today = localMsToDate(toLocalMs(fromMs, zoneOf(settings.timeZone)));
  // Start a day early: where a zone falls back across midnight, the wall clock revisits
  // yesterday's date after `from`.
  return new Date(
    earliestWorkingInstant(fromMs, addLocalDays(today, -1), settings, startOffsetFor),
  );
}

/**
 * Start of the next working day after the local date of `from`: where a cooled-down account
 * resumes ("not today").
 */
export function nextWorkingDayStart(
  from: Instant,
  settings: WorkingHoursSettings,
  startOffsetFor: StartOffsetFor = noStartOffset,
): Date {
  const fromMs = toEpochMs(from);
  const today = localMsToDate(toLocalMs(fromMs, zoneOf(settings.timeZone)));
  return new Date(earliestWorkingInstant(fromMs, addLocalDays(today, 1), settings, startOffsetFor));
}

/** Every weekday is within a week; a second week covers a day lost to a DST gap. */
const SEARCH_DAYS = 15;
/** UTC offsets lie within [-12h, +14h]; a margin beyond that bounds where a wall time can occur. */
const OFFSET_MARGIN_MS = 15 * HOUR_MS;

function earliestWorkingInstant(
  fromMs: number,
  firstDate: LocalDate,
  settings: WorkingHoursSettings,
  startOffsetFor: StartOffsetFor,
): number {
  const zone = zoneOf(settings.timeZone);
  const { days, start, end } = settings.workingHours;
  const startMinute = minutesSinceMidnight(start);
  const endMinute = minutesSinceMidnight(end);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const date = addLocalDays(firstDate, i);
    const dayStart = localDateToMs(date);
    if (!days.includes(weekdayOfLocalMs(dayStart))) continue;
    const windowStart =
      dayStart + startMinute * MINUTE_MS + startOffsetMsOn(date, settings, startOffsetFor);
    const windowEnd = dayStart + endMinute * MINUTE_MS;
    const found = earliestInstantWithWallTimeIn(zone, windowStart, windowEnd, fromMs);
    if (found !== null) return found;
  }
  throw new RangeError(
    `no working instant within ${SEARCH_DAYS} days of ${new Date(fromMs).toISOString()} in ${settings.timeZone}`,
  );
}

/** The earliest instant t >= notBefore whose wall time in `zone` is in [wallStart, wallEnd). */
function earliestInstantWithWallTimeIn(
  zone: IANAZone,
  wallStart: number,
  wallEnd: number,
  notBefore: number,
): number | null {
  if (wallStart >= wallEnd) return null;
  const lo = Math.max(notBefore, wallStart - OFFSET_MARGIN_MS);
  const hi = wallEnd + OFFSET_MARGIN_MS;
  if (lo >= hi) return null;
  // Within a segment of constant offset the wall time is instant + offset, so the wanted
  // instants form one interval; segments are in time order, so the first hit is the earliest.
  for (const segment of constantOffsetSegments(zone, lo, hi)) {
    const offsetMs = segment.offsetMinutes * MINUTE_MS;
    const from = Math.max(segment.start, wallStart - offsetMs);
    const to = Math.min(segment.end, wallEnd - offsetMs);
    if (from < to) return from;
  }
  return null;
}

interface OffsetSegment {
  start: number;
  end: number;
  offsetMinutes: number;
}

/**
 * Splits [start, end) where the zone's UTC offset changes. The span is under three days, in
 * which no zone changes its offset and back again, so equal offsets at both ends mean none.
 */
function constantOffsetSegments(zone: IANAZone, start: number, end: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let segmentStart = start;
  while (segmentStart < end) {
    const offset = zoneOffset(segmentStart, zone);
    if (zoneOffset(end - 1, zone) === offset) {
      segments.push({ start: segmentStart, end, offsetMinutes: offset });
      break;
    }
    // Binary search for the first millisecond with a different offset.
    let same = segmentStart;
    let changed = end - 1;
    while (changed - same > 1) {
      const middle = Math.floor((same + changed) / 2);
      if (zoneOffset(middle, zone) === offset) same = middle;
      else changed = middle;
    }
    segments.push({ start: segmentStart, end: changed, offsetMinutes: offset });
    segmentStart = changed;
  }
  return segments;
}
