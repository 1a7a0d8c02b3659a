/**
 * Caps in force for an account on a local date: the configured caps scaled by warm-up, and the
 * check a reservation makes against the usage counters.
 */
import { byActionKind } from "../../nodes/catalog";
import { addLocalDays, daysBetweenLocalDates } from "./local-time";
import type { ActionKind, CapSettings, LocalDate, PacingSettings, Warmup } from "./settings";

/**
 * Fraction of each cap allowed on `localDate`: week 1 (days 0–6 since the start) takes the first
 * ramp value, and so on; the last value holds after. Before the start date the account is
 * treated as in week 1; without a start date there is no warm-up.
 */
export function warmupFactor(localDate: LocalDate, warmup: Warmup): number {
  if (warmup.startDate === null) return 1;
  const days = Math.max(0, daysBetweenLocalDates(warmup.startDate, localDate));
  const week = Math.floor(days / 7);
  return warmup.ramp[Math.min(week, warmup.ramp.length - 1)] ?? 1;
}

/**
 * A cap scaled by warm-up: rounded up, at least 1. A cap of 0 means the user switched the action
 * off, so it stays 0. The epsilon keeps float noise (25 × 0.6 = 15.000000000000002) from
 * rounding up a whole action.
 */
export function scaleCap(cap: number, factor: number): number {
  if (cap === 0) return 0;
  return Math.max(1, Math.ceil(cap * factor - 1e-9));
}

/** The account's caps on `localDate`, in the shape of its settings. */
export function effectiveCaps(localDate: LocalDate, settings: PacingSettings): CapSettings {
  const factor = warmupFactor(localDate, settings.warmup);
  const { perDay, totalPerDay, connectPer7Days } = settings.caps;
  return {
    perDay: byActionKind((kind) => scaleCap(perDay[kind], factor)),
    totalPerDay: scaleCap(totalPerDay, factor),
    connectPer7Days: scaleCap(connectPer7Days, factor),
  };
}

/** Limits a reservation checks: per action kind and total for the day, and rolling 7-day connects. */
export type CapsInForce = Record<ActionKind, number> & { total: number; connect_7d: number };

export function capsInForce(settings: PacingSettings, localDate: LocalDate): CapsInForce {
  // Settings are parsed once and never changed in place: a day's caps are worked out once.
  let byDate = capsCache.get(settings);
  if (!byDate) {
    byDate = new Map();
    capsCache.set(settings, byDate);
  }
  let caps = byDate.get(localDate);
  if (!caps) {
    const effective = effectiveCaps(localDate, settings);
    caps = {
      ...effective.perDay,
      total: effective.totalPerDay,
      connect_7d: effective.connectPer7Days,
    };
    if (byDate.size > 1000) byDate.clear();
    byDate.set(localDate, caps);
  }
  return { ...caps };
}
const capsCache = new WeakMap<PacingSettings, Map<LocalDate, CapsInForce>>();

/**
 * The local dates the rolling connection cap counts, oldest first: today and the 7 before.
 * The 7 × 24 hours before any send touch up to 8 local dates, so counting all 8 keeps every
 * 7-day window under the cap, whether LinkedIn counts calendar days or hours.
 */
export function rollingWindowDates(localDate: LocalDate): readonly LocalDate[] {
  let dates = windows.get(localDate);
  if (!dates) {
    dates = Object.freeze(Array.from({ length: 8 }, (_, i) => addLocalDays(localDate, i - 7)));
    if (windows.size > 1000) windows.clear();
    windows.set(localDate, dates);
  }
  return dates;
}
const windows = new Map<LocalDate, readonly LocalDate[]>();

/** What the account has used: today's counters, and connects summed over the rolling window. */
export interface CapUsage {
  byKind: Partial<Record<ActionKind, number>>;
  total: number;
  connect7d: number;
}

export type CapName = "kind" | "total" | "connect_7d";

export type CapDecision =
  | { allowed: true }
  | { allowed: false; cap: CapName; kind: ActionKind; limit: number; used: number };

/** Whether one more `kind` action fits; names the first cap that is full. */
export function capCheck(usage: CapUsage, kind: ActionKind, caps: CapsInForce): CapDecision {
  const usedOfKind = usage.byKind[kind] ?? 0;
  if (usedOfKind >= caps[kind]) {
    return { allowed: false, cap: "kind", kind, limit: caps[kind], used: usedOfKind };
  }
  if (usage.total >= caps.total) {
    return { allowed: false, cap: "total", kind, limit: caps.total, used: usage.total };
  }
  if (kind === "connect" && usage.connect7d >= caps.connect_7d) {
    return {
      allowed: false,
      cap: "connect_7d",
      kind,
      limit: caps.connect_7d,
      used: usage.connect7d,
    };
  }
  return { allowed: true };
}

/** Sum of daily counters over the rolling window; dates absent from `usedByDate` count 0. */
export function rollingConnectUsage(
  localDate: LocalDate,
  usedByDate: Readonly<Record<LocalDate, number>>,
): number {
  return rollingWindowDates(localDate).reduce((sum, date) => sum + (usedByDate[date] ?? 0), 0);
}
