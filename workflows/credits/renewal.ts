/**
 * Monthly renewals. Unused credits roll over but the balance never exceeds the cap: a renewal
 * grants min(allowance, cap − balance) and forfeits the rest, and the forfeit is recorded so
 * the budget view can warn before it happens.
 */
import { DateTime } from "luxon";
import type { LedgerEntry } from "./ledger";
import type { CreditPool } from "./pool";

/**
 * Renewal instants in [from, to): midnight of the anchor day in `timeZone`, or of the month's
 * last day when the month is shorter (anchor 31 → 28 or 29 February).
 */
export function renewalDates(anchorDay: number, from: Date, to: Date, timeZone = "UTC"): Date[] {
  if (!(Number.isInteger(anchorDay) && anchorDay >= 1 && anchorDay <= 31)) {
    throw new RangeError(`renewal anchor day must be 1–31, got ${anchorDay}`);
  }
  const dates: Date[] = [];
  let month = DateTime.fromJSDate(from, { zone: timeZone }).startOf("month");
  for (;;) {
    const renewal = month
      .set({ day: Math.min(anchorDay, month.daysInMonth ?? 28) })
      .startOf("day")
      .toJSDate();
    if (renewal >= to) return dates;
    if (renewal >= from) dates.push(renewal);
    month = month.plus({ months: 1 });
  }
}

export type RenewalSettings = Pick<CreditPool, "allowancePerMonth" | "cap">;

/** What a renewal grants and forfeits for a pool at `balance`. */
export function renewalSplit(
  balance: number,
  pool: RenewalSettings,
): { grant: number; forfeit: number } {
  const grant = Math.max(0, Math.min(pool.allowancePerMonth, pool.cap - balance));
  return { grant, forfeit: pool.allowancePerMonth - grant };
}

/** The ledger entries of a renewal at `at`; zero amounts are left out. */
export function renewalEntries(balance: number, pool: RenewalSettings, at: Date): LedgerEntry[] {
  const { grant, forfeit } = renewalSplit(balance, pool);
  const entries: LedgerEntry[] = [];
  if (grant > 0) entries.push({ at, type: "grant", amount: grant });
  if (forfeit > 0) entries.push({ at, type: "forfeit", amount: forfeit });
  return entries;
}

type RenewalPool = Pick<CreditPool, "renewalAnchorDay" | "timeZone">;

/** The first renewal strictly after `now`. */
export function nextRenewal(pool: RenewalPool, now: Date): Date {
  const after = new Date(now.getTime() + 1);
  const horizon = DateTime.fromJSDate(now).plus({ months: 2 }).toJSDate();
  const [next] = renewalDates(pool.renewalAnchorDay, after, horizon, pool.timeZone);
  if (!next) throw new Error("no renewal within two months"); // cannot happen for days 1–31
  return next;
}

export interface RenewalForecast {
  at: Date;
  grant: number;
  /** Credits the next renewal will forfeit unless some are spent first: worth a warning. */
  forfeit: number;
}

/** What the next renewal will do if the balance stays at `balance` until then. */
export function forecastRenewal(
  pool: RenewalPool & RenewalSettings,
  balance: number,
  now: Date,
): RenewalForecast {
  return { at: nextRenewal(pool, now), ...renewalSplit(balance, pool) };
}
