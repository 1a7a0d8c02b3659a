import "server-only";

import type { SenderAccountRow, UsageRow } from "@/db/queries/accounts";
import type { AccountUsage, SenderAccountView } from "@/views/accounts";
import {
  ACTION_KINDS,
  type ActionKind,
  capsInForce,
  type PacingSettings,
  PacingSettingsSchema,
  warmupFactor,
} from "@/workflows/engine/pacing/index";

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
