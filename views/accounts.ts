// Sender accounts (LinkedIn seats) as the accounts list and an account's page show them.

import type {
  ActionKind,
  CapsInForce,
  LocalDate,
  PacingSettings,
} from "@/workflows/engine/pacing/index";
import type { SafetyScore } from "@/workflows/engine/safety";

export interface AccountUsage {
  /** Today in the account's time zone: the date its daily caps count on. */
  localDate: string;
  used: Record<ActionKind, number> & { total: number; connect_7d: number };
  caps: CapsInForce;
  /** 1 once warm-up is over. */
  warmupFactor: number;
}

export interface SenderAccountView {
  id: string;
  name: string;
  provider: string;
  providerAccountId: string;
  /** The seat's LinkedIn plan: how its InMails are sent (real seats). */
  linkedinPlan: string;
  status: string;
  statusReason: string | null;
  coolingUntil: Date | null;
  /** The account's next planned send: sends are spaced from here on. */
  nextFreeAt: Date | null;
  timeZone: string;
  workingHours: { days: number[]; start: string; end: string };
  warmupStartDate: string | null;
  createdAt: Date;
  usage: AccountUsage | null;
}

export interface AccountState {
  status: string;
  /** The status in words: "Cooling down until Tue 3 Mar, 14:05 (Europe/Paris)". */
  headline: string;
  /** Why, and what happens next. */
  detail: string;
}

export interface WarmupDay {
  date: LocalDate;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Whether the account sends at all that day. */
  working: boolean;
  /** Share of the configured caps allowed that day. */
  factor: number;
  caps: CapsInForce;
}

export interface AccountSafety extends SafetyScore {
  /** The account pauses itself below this score (0: never). */
  pauseBelow: number;
  /** What the engine would write as the pause reason now, or null when the score is fine. */
  pauseReason: string | null;
}

export interface NextDueStep {
  enrollmentId: string;
  campaignId: string;
  campaignName: string;
  leadId: string;
  leadName: string;
  /** The step the lead stands on, in words. */
  step: string;
  /** When the engine takes the lead up next (a send, or a wait's end). */
  nextRunAt: Date;
  /**
   * Why it has not moved yet, in words, from the same facts as the lead's page (the seat's
   * next send slot, its hours, caps and status): "due now" only when nothing holds it.
   */
  waiting: string | null;
}

export interface AccountSchedule {
  /** The account's next planned send: sends are spaced from here on; null before the first. */
  nextFreeAt: Date | null;
  /** Whether "now" falls inside its working hours (the daily late start aside). */
  withinWorkingHours: boolean;
  /** When its working hours open next, when they are closed now. */
  opensAt: Date | null;
  /** Its leads in progress in running campaigns. */
  waiting: number;
  /** The one of them the engine takes up first. */
  nextDue: NextDueStep | null;
}

export interface AccountDetail {
  account: SenderAccountView;
  /** The stored pacing settings, or null when they cannot be read. */
  settings: PacingSettings | null;
  state: AccountState;
  schedule: AccountSchedule;
  /** Caps in force on each day of the next five weeks, warm-up included. */
  warmup: WarmupDay[];
  safety: AccountSafety | null;
  /** The instant the figures are computed for (the engine's clock). */
  now: Date;
}
