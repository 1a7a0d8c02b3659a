/**
 * The date an out-of-office reply says its author is back, read from the text in English,
 * French, German or Spanish, relative to the day the reply came (the reference date).
 *
 * Rules, stated so that callers know what they get:
 * - Explicit dates ("12 March", "March 12th", "3 janvier", "5. Mai", "2 de febrero", "24/02",
 *   "09.03.2026", "2026-03-09"): the latest one in the text is the return date, so "from 16 Feb
 *   to 27 Feb" gives 27 Feb. The date named is returned as is ("until 2 March" gives 2 March).
 * - Numeric day and month are read day first; in English a date that cannot be day first
 *   ("03/19/2026") is read month first.
 * - A date without a year is the next such date from a week before the reference date on
 *   (an auto-reply sent a few days late still means this year's date).
 * - Without an explicit date: "tomorrow" (demain, morgen, mañana) or a weekday ("back Monday")
 *   gives the next such day after the reference date.
 */
import type { ReplyLanguage } from "./language";
import { foldText } from "./text";

const MONTHS: readonly [number, string][] = [
  [1, "january|jan|janvier|janv|januar|jan|janner|enero|ene"],
  [2, "february|feb|fevrier|fevr|fev|februar|febrero"],
  [3, "march|mar|mars|marz|maerz|marzo"],
  [4, "april|apr|avril|avr|abril|abr"],
  [5, "may|mai|mayo"],
  [6, "june|jun|juin|juni|junio"],
  [7, "july|jul|juillet|juil|juli|julio"],
  [8, "august|aug|aout|agosto|ago"],
  [9, "september|sept|sep|septembre|septiembre|setiembre"],
  [10, "october|oct|octobre|oktober|okt|octubre"],
  [11, "november|nov|novembre|noviembre"],
  [12, "december|dec|decembre|dezember|dez|diciembre|dic"],
];
const MONTH_BY_NAME = new Map<string, number>();
for (const [month, names] of MONTHS)
  for (const name of names.split("|")) MONTH_BY_NAME.set(name, month);
// Longest names first, so that "march" is not read as "mar" + "ch".
const MONTH_NAMES = [...MONTH_BY_NAME.keys()].sort((a, b) => b.length - a.length).join("|");

// No "mon" or "sun": French "mon retour" is not Monday.
const WEEKDAYS: readonly [number, string][] = [
  [1, "monday|lundi|montag|lunes"],
  [2, "tuesday|tue|tues|mardi|dienstag|martes"],
  [3, "wednesday|wed|mercredi|mittwoch|miercoles"],
  [4, "thursday|thu|thurs|jeudi|donnerstag|jueves"],
  [5, "friday|fri|vendredi|freitag|viernes"],
  [6, "saturday|sat|samedi|samstag|sabado"],
  [0, "sunday|dimanche|sonntag|domingo"],
];
const WEEKDAY_BY_NAME = new Map<string, number>();
for (const [day, names] of WEEKDAYS)
  for (const name of names.split("|")) WEEKDAY_BY_NAME.set(name, day);
const WEEKDAY_NAMES = [...WEEKDAY_BY_NAME.keys()].sort((a, b) => b.length - a.length).join("|");

const ORDINAL = "(?:st|nd|rd|th|er|eme|e|o|º|°)?";
const DAY_MONTH = new RegExp(
  `\\b(\\d{1,2})${ORDINAL}\\.?\\s*(?:de\\s+|of\\s+)?(${MONTH_NAMES})\\b\\.?(?:,?\\s*(?:de\\s+)?(\\d{4}))?`,
  "g",
);
const MONTH_DAY = new RegExp(
  `\\b(${MONTH_NAMES})\\.?\\s+(?:the\\s+)?(\\d{1,2})${ORDINAL}\\b(?:,?\\s*(\\d{4}))?`,
  "g",
);
const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const NUMERIC = /(?<![\d./:-])(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?\.?(?![\d/:]|\.\d)/g;
/** "till the 5th": a day of the month alone, in English only (elsewhere too ambiguous). */
const DAY_ALONE = /\b(?:the|on)\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s*(?:of\s+)?[a-z])/g;
const WEEKDAY = new RegExp(`\\b(${WEEKDAY_NAMES})\\b`, "g");
const TOMORROW = /\b(tomorrow|demain|manana|morgen)\b/;

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function utcDate({ year, month, day }: Ymd): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // 30 February rolls into March: not a date.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

const DAY_MS = 86_400_000;

/** The date with the year the text gives, or the next such date from a week before `reference`. */
function resolve(reference: Date, month: number, day: number, yearText?: string): Date | null {
  if (yearText !== undefined) {
    const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
    return utcDate({ year, month, day });
  }
  const floor = reference.getTime() - 7 * DAY_MS;
  for (let year = reference.getUTCFullYear(); year <= reference.getUTCFullYear() + 4; year++) {
    const date = utcDate({ year, month, day });
    // 29 February: the next leap year.
    if (date !== null && date.getTime() >= floor) return date;
  }
  return null;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Parses "YYYY-MM-DD" (a real calendar date) to midnight UTC, or null. */
export function parseIsoDate(text: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  return utcDate({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
}

/** Every explicit calendar date in the folded text. */
function explicitDates(folded: string, reference: Date, language: ReplyLanguage): Date[] {
  const found: Date[] = [];
  const push = (date: Date | null) => {
    if (date !== null) found.push(date);
  };
  // Positions already read as a date, so that "2026-03-09" is not read again as "03.09".
  const taken: [number, number][] = [];
  const free = (start: number, end: number) => taken.every(([s, e]) => end <= s || start >= e);
  const take = (match: RegExpExecArray) => taken.push([match.index, match.index + match[0].length]);

  for (const match of folded.matchAll(ISO)) {
    push(utcDate({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }));
    take(match);
  }
  for (const match of folded.matchAll(DAY_MONTH)) {
    if (!free(match.index, match.index + match[0].length)) continue;
    push(resolve(reference, MONTH_BY_NAME.get(match[2]!)!, Number(match[1]), match[3]));
    take(match);
  }
  for (const match of folded.matchAll(MONTH_DAY)) {
    if (!free(match.index, match.index + match[0].length)) continue;
    push(resolve(reference, MONTH_BY_NAME.get(match[1]!)!, Number(match[2]), match[3]));
    take(match);
  }
  for (const match of folded.matchAll(NUMERIC)) {
    if (!free(match.index, match.index + match[0].length)) continue;
    const first = Number(match[1]);
    const second = Number(match[2]);
    const monthFirst = language === "en" && first <= 12 && second > 12;
    const [day, month] = monthFirst ? [second, first] : [first, second];
    push(resolve(reference, month, day, match[3]));
    take(match);
  }
  if (language === "en" || language === "und") {
    for (const match of folded.matchAll(DAY_ALONE)) {
      if (!free(match.index, match.index + match[0].length)) continue;
      const day = Number(match[1]);
      // The next day of the month with that number, on or after the reference date.
      for (let offset = 0; offset < 3; offset++) {
        const month = reference.getUTCMonth() + 1 + offset;
        const date = utcDate({
          year: reference.getUTCFullYear() + Math.floor((month - 1) / 12),
          month: ((month - 1) % 12) + 1,
          day,
        });
        if (date !== null && date.getTime() >= reference.getTime()) {
          found.push(date);
          break;
        }
      }
    }
  }
  return found;
}

/** The next given weekday strictly after the reference date. */
function nextWeekday(reference: Date, weekday: number): Date {
  const ahead = (weekday - reference.getUTCDay() + 7) % 7 || 7;
  return new Date(reference.getTime() + ahead * DAY_MS);
}

/**
 * The return date an out-of-office text gives, as YYYY-MM-DD, or null when it gives none.
 * `reference` is midnight UTC of the day the reply came.
 */
export function findReturnDate(
  text: string,
  reference: Date,
  language: ReplyLanguage,
): string | null {
  const folded = foldText(text);
  const dates = explicitDates(folded, reference, language);
  if (dates.length > 0) {
    return isoDate(new Date(Math.max(...dates.map((date) => date.getTime()))));
  }
  // "Guten Morgen" is a greeting, not tomorrow.
  const tomorrow = TOMORROW.exec(folded.replace(/guten morgen|por la manana|de manana/g, ""));
  if (tomorrow) return isoDate(new Date(reference.getTime() + DAY_MS));
  const weekdays = [...folded.matchAll(WEEKDAY)].map((match) =>
    nextWeekday(reference, WEEKDAY_BY_NAME.get(match[1]!)!),
  );
  if (weekdays.length > 0) return isoDate(new Date(Math.max(...weekdays.map((d) => d.getTime()))));
  return null;
}
