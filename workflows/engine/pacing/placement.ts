/**
 * Where a send goes: a slot on the account's timeline (next-free time and gaps) and a place
 * under the caps of that slot's local day, decided together. A slot is only handed out on a
 * day whose caps have room for it, and the lead holds a place on that same day until it sends;
 * a lead whose slot would fall on a full day takes no slot at all, books a place on the first
 * coming day with room, and plans its slot when that day comes. So the timeline never runs
 * ahead of what the caps allow, and no day's cap is held by a lead sleeping until another day.
 */
import {
  type CapName,
  type CapsInForce,
  type CapUsage,
  capCheck,
  rollingWindowDates,
} from "./caps";
import { localDate } from "./local-time";
import { ACTION_KINDS, type ActionKind, type LocalDate } from "./settings";

/** A coming working day: its date, its first instant (late start included) and its caps. */
export interface PlacementDay {
  localDate: LocalDate;
  startsAt: Date;
  caps: CapsInForce;
}

export interface PlacementInput {
  kind: ActionKind;
  now: Date;
  timeZone: string;
  /** Today's local date and caps. */
  today: LocalDate;
  todayCaps: CapsInForce;
  /** The lead woke at the slot it was given earlier: it sends now, the timeline as it is. */
  heldSlot: boolean;
  /** A slot from the account's next-free time: when to send and where next-free moves to. */
  plan: () => { sendAt: Date; nextFreeAt: Date };
  /** Caps of a coming local date (warm-up moves them from day to day). */
  capsOn: (date: LocalDate) => CapsInForce;
  /**
   * What is taken of a kind (or of all, "total") on a local date: sends made plus places
   * promised to other leads (this lead's own place left out).
   */
  taken: (date: LocalDate, kind: ActionKind | "total") => number;
  /** The account's working days after the local date of `from`, in order. */
  nextDays: (from: Date) => PlacementDay[];
  /** How far apart leads booked on the same day wake. */
  spacingMs: number;
  /** A slot within this of now is sent now rather than slept on. */
  sendNowMarginMs: number;
}

export type Placement =
  /** Send now: the slot's place is today's; next-free moves (null: it stays). */
  | { type: "now"; localDate: LocalDate; nextFreeAt: Date | null }
  /** Sleep until `sendAt`, holding a place on `localDate`; next-free moves. */
  | { type: "later"; sendAt: Date; localDate: LocalDate; nextFreeAt: Date }
  /**
   * The slot's day is full: no slot taken; a place booked on `bookedDate` (null when every
   * day in sight is full), wake at `retryAt`.
   */
  | {
      type: "full";
      cap: CapName;
      limit: number;
      retryAt: Date;
      bookedDate: LocalDate | null;
    };

export function placeSend(input: PlacementInput): Placement {
  const { kind, now } = input;
  const slot = input.heldSlot
    ? { sendAt: now, nextFreeAt: null, localDate: input.today }
    : (() => {
        const planned = input.plan();
        return { ...planned, localDate: localDate(planned.sendAt, input.timeZone) };
      })();
  const caps = slot.localDate === input.today ? input.todayCaps : input.capsOn(slot.localDate);
  const decision = capCheck(usageOn(input, slot.localDate), kind, caps);
  if (!decision.allowed) {
    const place = firstDayWithRoom(input, input.nextDays(slot.sendAt));
    return { type: "full", cap: decision.cap, limit: decision.limit, ...place };
  }
  if (slot.nextFreeAt !== null && slot.sendAt.getTime() > now.getTime() + input.sendNowMarginMs) {
    return {
      type: "later",
      sendAt: slot.sendAt,
      localDate: slot.localDate,
      nextFreeAt: slot.nextFreeAt,
    };
  }
  return { type: "now", localDate: slot.localDate, nextFreeAt: slot.nextFreeAt };
}

/** Taken on a date, in the shape the cap check reads; connections over the rolling window. */
function usageOn(input: PlacementInput, date: LocalDate): CapUsage {
  const byKind: Partial<Record<ActionKind, number>> = {};
  for (const kind of ACTION_KINDS) byKind[kind] = input.taken(date, kind);
  let connect7d = 0;
  for (const day of rollingWindowDates(date)) connect7d += input.taken(day, "connect");
  return { byKind, total: input.taken(date, "total"), connect7d };
}

/**
 * The first day whose caps have room for one more `kind` (counting places already promised),
 * and when to wake: that day's start plus a gap per lead booked before, so they do not all
 * wake at once.
 */
function firstDayWithRoom(
  input: PlacementInput,
  days: PlacementDay[],
): { retryAt: Date; bookedDate: LocalDate | null } {
  const { kind } = input;
  for (const day of days) {
    const kindTaken = input.taken(day.localDate, kind);
    if (kindTaken >= day.caps[kind] || input.taken(day.localDate, "total") >= day.caps.total) {
      continue;
    }
    return {
      retryAt: new Date(day.startsAt.getTime() + kindTaken * input.spacingMs),
      bookedDate: day.localDate,
    };
  }
  const last = days.at(-1);
  // Every day in sight is full: look again at the last one's start.
  return {
    retryAt: last ? last.startsAt : new Date(input.now.getTime() + 24 * 3_600_000),
    bookedDate: null,
  };
}
