import "server-only";

import type { SenderAccountRow, UsageRow } from "@/db/queries/accounts";
import {
  ACTION_KINDS,
  type ActionKind,
  type CapsInForce,
  capsInForce,
  type PacingSettings,
  PacingSettingsSchema,
  warmupFactor,
} from "@/workflows/engine/pacing/index";

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

export function pacingOf(row: SenderAccountRow): PacingSettings | null {
  const parsed = PacingSettingsSchema.safeParse(row.pacing);
  return parsed.success ? parsed.data : null;
}

/** One account's counters turned into today's usage against the caps in force today. */
export function usageOf(
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

export function viewOf(
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
