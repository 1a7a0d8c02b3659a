// The one place numbers, dates and times are formatted for the screen: in the reader's own
// locale (the browser's; the server's for its first render), and — where a seat's working day
// is what matters — in that seat's time zone, named.

type DateInput = string | number | Date;

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, options);
    cache.set(key, format);
  }
  return format;
}

const NUMBER = new Intl.NumberFormat(undefined);

/** "1,234" (or "1 234", "1.234" as the reader writes them). */
export function formatNumber(value: number): string {
  return NUMBER.format(value);
}

/** A rate from 0 to 1 as "12 %", one decimal under 10 %; "—" when there is none yet. */
export function formatPercent(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return "—";
  const digits = rate > 0 && rate < 0.1 ? 1 : 0;
  return `${new Intl.NumberFormat(undefined, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rate * 100)} %`;
}

/**
 * Date and time. With a time zone (a seat's), the instant is told in that zone and the zone is
 * named: "3 Mar 2026, 09:12 (Europe/Paris)".
 */
export function formatDateTime(value: DateInput, options: { timeZone?: string } = {}): string {
  const text = dateFormat({
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: options.timeZone,
  }).format(new Date(value));
  return options.timeZone ? `${text} (${options.timeZone})` : text;
}

/** The date alone, "3 Mar 2026"; `timeZone: "UTC"` for days that are the same for everyone. */
export function formatDate(value: DateInput, options: { timeZone?: string } = {}): string {
  return dateFormat({ dateStyle: "medium", timeZone: options.timeZone }).format(new Date(value));
}

/** The date in full, "3 March 2026". */
export function formatLongDate(value: DateInput, options: { timeZone?: string } = {}): string {
  return dateFormat({ dateStyle: "long", timeZone: options.timeZone }).format(new Date(value));
}

/** The time alone, "09:12", in the reader's zone or the one given (named). */
export function formatTime(value: DateInput, options: { timeZone?: string } = {}): string {
  const text = dateFormat({ timeStyle: "short", timeZone: options.timeZone }).format(
    new Date(value),
  );
  return options.timeZone ? `${text} (${options.timeZone})` : text;
}

/** A calendar day "2026-03-03" as "3 Mar", read as a date (no time zone shift). */
export function formatCalendarDay(date: string): string {
  const [year, month, day] = date.split("-").map(Number);
  return dateFormat({ day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)),
  );
}

/** "3 Mar" for an instant, in UTC (chart axes of days that are the same for everyone). */
export function formatShortUtcDay(value: DateInput): string {
  return dateFormat({ day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(value));
}
