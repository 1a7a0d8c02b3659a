import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Database } from "@/db/client";
import { createEngineStore } from "@/db/engine/store";
import {
  accountQueue,
  findSenderAccount,
  listSenderAccounts,
  type SenderAccountRow,
  setSenderAccountStatus,
  type UsageRow,
  usageOfAccounts,
} from "@/db/queries/accounts";
import { createSenderAccount } from "@/db/queries/launch";
import { waitingReasonsOf } from "@/db/queries/waiting";
import { recordOutboxEvents } from "@/db/webhooks/outbox";
import {
  ACTION_KINDS,
  type ActionKind,
  addLocalDays,
  type CapsInForce,
  capsInForce,
  isoWeekday,
  isWithinWorkingHours,
  type LocalDate,
  LocalDateSchema,
  localDate,
  nextWorkingInstant,
  type PacingSettings,
  PacingSettingsSchema,
  rollingWindowDates,
  TimeZoneSchema,
  warmupFactor,
} from "@/workflows/engine/pacing/index";
import { formatAccountTime } from "@/workflows/engine/pacing/local-time";
import { WorkingHoursInputSchema } from "@/workflows/engine/pacing/settings";
import { type SafetyScore, safetyPauseReason } from "@/workflows/engine/safety";
import { scoreAccountSafety } from "@/workflows/engine/worker";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { conflict, invalidInput, notFound } from "./http/errors";
import type { Caller } from "./http/guard";
import { engineNow } from "./runtime/boot";

// Sender account operations shared by the route handlers and the server actions. Ids from the
// client are looked up inside caller.workspace, so another workspace's ids answer "not found".

/** Statuses a person may pause from; the engine's own verdicts (restricted…) stay as they are. */
const PAUSABLE_STATUSES = ["active", "cooling_down"];
/** The engine's own working-hours rules (workflows/engine/pacing/settings.ts). */
export const workingHoursInput = WorkingHoursInputSchema;

export const createSandboxAccountInput = z.object({
  name: z.string().trim().min(2, "Give the account a name of at least 2 characters.").max(80),
  timeZone: z.string().trim().pipe(TimeZoneSchema),
  workingHours: workingHoursInput.default({ days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" }),
  /** First day of warm-up; absent or null: the account is treated as fully warmed up. */
  warmupStartDate: LocalDateSchema.nullish(),
});
export type CreateSandboxAccountInput = z.input<typeof createSandboxAccountInput>;

export const accountIdInput = z.object({ accountId: z.string().min(1).max(100) });

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

function pacingOf(row: SenderAccountRow): PacingSettings | null {
  const parsed = PacingSettingsSchema.safeParse(row.pacing);
  return parsed.success ? parsed.data : null;
}

/** One account's counters turned into today's usage against the caps in force today. */
function usageOf(
  accountId: string,
  pacing: PacingSettings,
  today: string,
  usageRows: readonly UsageRow[],
): AccountUsage {
  const used = {
    ...(Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>),
    total: 0,
    connect_7d: 0,
  };
  for (const counter of usageRows) {
    if (counter.accountId !== accountId) continue;
    if (counter.kind === "connect") used.connect_7d += counter.used;
    if (counter.localDate !== today) continue;
    if (counter.kind === "total") used.total = counter.used;
    else if ((ACTION_KINDS as readonly string[]).includes(counter.kind)) {
      used[counter.kind as ActionKind] = counter.used;
    }
  }
  return {
    localDate: today,
    used,
    caps: capsInForce(pacing, today),
    warmupFactor: warmupFactor(today, pacing.warmup),
  };
}

function viewOf(
  row: SenderAccountRow,
  pacing: PacingSettings | null,
  usage: AccountUsage | null,
): SenderAccountView {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    providerAccountId: row.providerAccountId,
    linkedinPlan: row.linkedinPlan,
    status: row.status,
    statusReason: row.statusReason,
    coolingUntil: row.coolingUntil,
    nextFreeAt: row.nextFreeAt,
    timeZone: pacing?.timeZone ?? "",
    workingHours: pacing?.workingHours ?? { days: [], start: "", end: "" },
    warmupStartDate: pacing?.warmup.startDate ?? null,
    createdAt: row.createdAt,
    usage,
  };
}

/** The workspace's sender accounts with today's usage against the caps in force. */
export async function listAccounts(
  caller: Caller,
  now: Date = engineNow(),
): Promise<{ accounts: SenderAccountView[] }> {
  const { db, workspace } = caller;
  const rows = await listSenderAccounts(db, workspace.workspaceId);
  const todayOf = new Map<string, string>();
  const datesByAccount = new Map<string, string[]>();
  for (const row of rows) {
    const pacing = pacingOf(row);
    if (!pacing) continue;
    const today = localDate(now, pacing.timeZone);
    todayOf.set(row.id, today);
    datesByAccount.set(row.id, [...rollingWindowDates(today)]);
  }
  const usageRows = await usageOfAccounts(db, workspace.workspaceId, datesByAccount);
  const accounts = rows.map((row) => {
    const pacing = pacingOf(row);
    const today = todayOf.get(row.id);
    return viewOf(row, pacing, pacing && today ? usageOf(row.id, pacing, today, usageRows) : null);
  });
  return { accounts };
}

/** Adds a sandbox seat: a simulated LinkedIn account that the engine can send from at once. */
export async function createSandboxAccount(
  caller: Caller,
  input: z.infer<typeof createSandboxAccountInput>,
) {
  const pacing = PacingSettingsSchema.safeParse({
    timeZone: input.timeZone,
    workingHours: input.workingHours,
    warmup: { startDate: input.warmupStartDate ?? null },
  });
  if (!pacing.success) throw invalidInput(pacing.error);
  const id = await createSenderAccount(caller.db, caller.workspace.workspaceId, {
    name: input.name,
    provider: "sandbox",
    // The sandbox world keys everything it remembers by this id: a fresh one per account.
    providerAccountId: `sandbox-${randomUUID()}`,
    pacing: pacing.data,
  });
  return { id, name: input.name, status: "active" };
}

export async function pauseAccount(caller: Caller, input: z.infer<typeof accountIdInput>) {
  const { db, workspace } = caller;
  const account = await findSenderAccount(db, workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  if (account.status === "paused") return { id: account.id, status: "paused" };
  const reason = `Paused by ${caller.user.name}`;
  // The pause and its webhook event commit together.
  const paused = await db.transaction(async (tx) => {
    const changed = await setSenderAccountStatus(tx, workspace.workspaceId, account.id, {
      from: PAUSABLE_STATUSES,
      to: "paused",
      reason,
      at: engineNow(),
    });
    if (changed) {
      await recordOutboxEvents(tx, [
        {
          workspaceId: workspace.workspaceId,
          type: "account.paused",
          payload: { accountId: account.id, accountName: account.name, status: "paused", reason },
          occurredAt: new Date(),
        },
      ]);
    }
    return changed;
  });
  if (!paused) {
    throw conflict(`This account is ${describeStatus(account.status)}: it cannot be paused now.`);
  }
  return { id: account.id, status: "paused" };
}

export async function resumeAccount(caller: Caller, input: z.infer<typeof accountIdInput>) {
  const { db, workspace } = caller;
  const account = await findSenderAccount(db, workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  if (account.status === "active") return { id: account.id, status: "active" };
  // Only a pause is lifted here: a restriction or a lost connection needs fixing on LinkedIn's
  // side first, and a cool-down ends by itself.
  const resumed = await setSenderAccountStatus(db, workspace.workspaceId, account.id, {
    from: ["paused"],
    to: "active",
    reason: null,
  });
  if (!resumed) {
    throw conflict(`This account is ${describeStatus(account.status)}: it cannot be resumed here.`);
  }
  return { id: account.id, status: "active" };
}

export function describeStatus(status: string): string {
  switch (status) {
    case "cooling_down":
      return "cooling down";
    case "needs_reconnect":
      return "disconnected and needs reconnecting";
    default:
      return status.replaceAll("_", " ");
  }
}

export interface AccountState {
  status: string;
  /** The status in words: "Cooling down until Tue 3 Mar, 14:05 (Europe/Paris)". */
  headline: string;
  /** Why, and what happens next. */
  detail: string;
}

/** The account's status as a sentence its owner can act on. */
export function describeAccountState(
  account: Pick<SenderAccountRow, "status" | "statusReason" | "coolingUntil" | "provider">,
  timeZone: string,
  now: Date,
): AccountState {
  const reason = account.statusReason?.trim() || null;
  const because = (fallback: string) => (reason ? `${reason}.` : fallback);
  switch (account.status) {
    case "active":
      return {
        status: "active",
        headline: "Active",
        detail: "Sends inside its working hours, within the caps in force today.",
      };
    case "cooling_down": {
      const until = account.coolingUntil;
      if (until && until.getTime() > now.getTime()) {
        return {
          status: "cooling_down",
          headline: `Cooling down until ${formatAccountTime(until, timeZone)}`,
          detail: `${because("LinkedIn signalled a limit.")} Nothing is sent until then; it resumes by itself.`,
        };
      }
      return {
        status: "cooling_down",
        headline: until
          ? `Cooling down ended ${formatAccountTime(until, timeZone)}`
          : "Cooling down",
        detail: `${because("LinkedIn signalled a limit.")} It resumes with its next send.`,
      };
    }
    case "paused":
      return {
        status: "paused",
        // A person's pause already reads "Paused by …"; the engine's reasons do not.
        headline: !reason ? "Paused" : /^paused\b/i.test(reason) ? reason : `Paused: ${reason}`,
        detail: "Nothing is sent from it until someone resumes it; its leads keep their place.",
      };
    case "restricted":
      return {
        status: "restricted",
        headline: "Restricted by LinkedIn",
        detail: `${because("LinkedIn restricted the account.")} Nothing is sent from it. Lift the restriction on LinkedIn first; Outflow does not resume it for you.`,
      };
    case "needs_reconnect":
      return {
        status: "needs_reconnect",
        headline: "Needs reconnecting",
        detail: `${because("The connection to LinkedIn was lost.")} ${
          account.provider === "unipile"
            ? "Reconnect it under Real LinkedIn accounts on the accounts page;"
            : "Reconnect it;"
        } its campaigns wait until then.`,
      };
    default:
      return {
        status: account.status,
        headline: describeStatus(account.status),
        detail: reason ?? "",
      };
  }
}

/** The warm-up chart's span: the five weeks of the default ramp. */
export const WARMUP_CHART_DAYS = 35;

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

/** The caps in force on each of the `days` local dates from `today`, warm-up included. */
export function warmupSchedule(
  settings: PacingSettings,
  today: LocalDate,
  days: number = WARMUP_CHART_DAYS,
): WarmupDay[] {
  return Array.from({ length: days }, (_, offset) => {
    const date = addLocalDays(today, offset);
    const weekday = isoWeekday(date);
    return {
      date,
      weekday,
      working: settings.workingHours.days.includes(weekday),
      factor: warmupFactor(date, settings.warmup),
      caps: capsInForce(settings, date),
    };
  });
}

export interface AccountSafety extends SafetyScore {
  /** The account pauses itself below this score (0: never). */
  pauseBelow: number;
  /** What the engine would write as the pause reason now, or null when the score is fine. */
  pauseReason: string | null;
}

/**
 * The safety score as the engine computes it before sending (see checkAccountSafety in
 * workflows/engine/worker.ts), read from the same counts, without acting on it.
 */
export async function accountSafety(
  db: Database,
  accountId: string,
  pacing: PacingSettings,
  now: Date,
): Promise<AccountSafety> {
  const score = await scoreAccountSafety(createEngineStore(db), accountId, pacing, now);
  return {
    ...score,
    pauseBelow: pacing.safety.pauseBelow,
    pauseReason: safetyPauseReason(score, pacing.safety),
  };
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

function stepOf(graph: unknown, nodeId: string): string {
  const nodes = (graph as { nodes?: Array<{ id: string; kind: string; config: unknown }> })?.nodes;
  const node = nodes?.find((candidate) => candidate.id === nodeId);
  if (!node) return "A step of an earlier version";
  return findNodeDefinition(node.kind)?.summarize(node.config) ?? node.kind;
}

/** One account with its settings, status in words, schedule, warm-up and safety score. */
export async function describeAccount(
  caller: Caller,
  input: z.infer<typeof accountIdInput>,
  now: Date = engineNow(),
): Promise<AccountDetail> {
  const { db, workspace } = caller;
  const row = await findSenderAccount(db, workspace.workspaceId, input.accountId);
  if (!row) throw notFound("Sender account");
  const pacing = pacingOf(row);
  const today = pacing ? localDate(now, pacing.timeZone) : null;
  const [usageRows, queue, safety] = await Promise.all([
    today
      ? usageOfAccounts(db, workspace.workspaceId, new Map([[row.id, rollingWindowDates(today)]]))
      : Promise.resolve([]),
    accountQueue(db, workspace.workspaceId, row.id),
    pacing ? accountSafety(db, row.id, pacing, now) : Promise.resolve(null),
  ]);
  const within = pacing ? isWithinWorkingHours(now, pacing) : false;
  const first = queue.first;
  const reasons = first
    ? await waitingReasonsOf(db, workspace.workspaceId, [{ ...first, id: first.enrollmentId }], now)
    : null;
  return {
    account: viewOf(
      row,
      pacing,
      pacing && today ? usageOf(row.id, pacing, today, usageRows) : null,
    ),
    settings: pacing,
    state: describeAccountState(row, pacing?.timeZone ?? "UTC", now),
    schedule: {
      nextFreeAt: row.nextFreeAt,
      withinWorkingHours: within,
      opensAt: pacing && !within ? nextWorkingInstant(now, pacing) : null,
      waiting: queue.waiting,
      nextDue: first
        ? {
            enrollmentId: first.enrollmentId,
            campaignId: first.campaignId,
            campaignName: first.campaignName,
            leadId: first.leadId,
            leadName: `${first.firstName} ${first.lastName}`.trim() || first.publicIdentifier,
            step: stepOf(first.graph, first.nodeId),
            nextRunAt: first.nextRunAt,
            waiting: reasons?.get(first.enrollmentId)?.text ?? null,
          }
        : null,
    },
    warmup: pacing && today ? warmupSchedule(pacing, today) : [],
    safety,
    now,
  };
}
