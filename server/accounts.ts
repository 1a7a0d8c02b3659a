import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  findSenderAccount,
  listSenderAccounts,
  type SenderAccountRow,
  setSenderAccountStatus,
  usageOfAccounts,
} from "@/db/queries/accounts";
import { createSenderAccount } from "@/db/queries/launch";
import {
  ACTION_KINDS,
  type ActionKind,
  type CapsInForce,
  capsInForce,
  LocalDateSchema,
  localDate,
  PacingSettingsSchema,
  rollingWindowDates,
  TimeZoneSchema,
  warmupFactor,
} from "@/workflows/engine/pacing/index";
import { minutesSinceMidnight } from "@/workflows/engine/pacing/settings";
import { conflict, invalidInput, notFound } from "./errors";
import type { Caller } from "./guard";

// Sender account operations shared by the route handlers and the server actions. Ids from the
// client are looked up inside caller.workspace, so another workspace's ids answer "not found".

/** Statuses a person may pause from; the engine's own verdicts (restricted…) stay as they are. */
const PAUSABLE_STATUSES = ["active", "cooling_down"];
const CLOCK_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const workingHoursInput = z
  .object({
    days: z
      .array(z.int().min(1).max(7))
      .min(1, "Pick at least one working day.")
      .refine((days) => new Set(days).size === days.length, "Each weekday at most once."),
    start: z.string().regex(CLOCK_TIME, "Give the start as HH:MM, for example 09:00."),
    end: z.string().regex(CLOCK_TIME, "Give the end as HH:MM, for example 18:00."),
  })
  // The engine starts each day up to 30 minutes late on purpose; a shorter day would leave it
  // no room, so an hour is the least we accept.
  .refine((hours) => minutesSinceMidnight(hours.end) - minutesSinceMidnight(hours.start) >= 60, {
    message: "Working hours must end at least an hour after they start.",
    path: ["end"],
  });

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
  status: string;
  statusReason: string | null;
  coolingUntil: Date | null;
  timeZone: string;
  workingHours: { days: number[]; start: string; end: string };
  warmupStartDate: string | null;
  createdAt: Date;
  usage: AccountUsage | null;
}

function pacingOf(row: SenderAccountRow) {
  const parsed = PacingSettingsSchema.safeParse(row.pacing);
  return parsed.success ? parsed.data : null;
}

/** The workspace's sender accounts with today's usage against the caps in force. */
export async function listAccounts(
  caller: Caller,
  now: Date = new Date(),
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
    datesByAccount.set(row.id, rollingWindowDates(today));
  }
  const usageRows = await usageOfAccounts(db, workspace.workspaceId, datesByAccount);
  const accounts = rows.map((row): SenderAccountView => {
    const pacing = pacingOf(row);
    const today = todayOf.get(row.id);
    let usage: AccountUsage | null = null;
    if (pacing && today) {
      const used = {
        ...(Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<
          ActionKind,
          number
        >),
        total: 0,
        connect_7d: 0,
      };
      for (const counter of usageRows) {
        if (counter.accountId !== row.id) continue;
        if (counter.kind === "connect") used.connect_7d += counter.used;
        if (counter.localDate !== today) continue;
        if (counter.kind === "total") used.total = counter.used;
        else if ((ACTION_KINDS as readonly string[]).includes(counter.kind)) {
          used[counter.kind as ActionKind] = counter.used;
        }
      }
      usage = {
        localDate: today,
        used,
        caps: capsInForce(pacing, today),
        warmupFactor: warmupFactor(today, pacing.warmup),
      };
    }
    return {
      id: row.id,
      name: row.name,
      provider: row.provider,
      providerAccountId: row.providerAccountId,
      status: row.status,
      statusReason: row.statusReason,
      coolingUntil: row.coolingUntil,
      timeZone: pacing?.timeZone ?? "",
      workingHours: pacing?.workingHours ?? { days: [], start: "", end: "" },
      warmupStartDate: pacing?.warmup.startDate ?? null,
      createdAt: row.createdAt,
      usage,
    };
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
  const paused = await setSenderAccountStatus(db, workspace.workspaceId, account.id, {
    from: PAUSABLE_STATUSES,
    to: "paused",
    reason: `Paused by ${caller.user.name}`,
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
