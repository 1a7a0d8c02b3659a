import "server-only";

import type { z } from "zod";
import type { Database } from "@/db/client";
import { createEngineStore } from "@/db/engine/store";
import { accountQueue, findSenderAccount, usageOfAccounts } from "@/db/queries/accounts";
import { waitingReasonsOf } from "@/db/queries/waiting";
import type { AccountDetail, AccountSafety, WarmupDay } from "@/views/accounts";
import {
  addLocalDays,
  capsInForce,
  isoWeekday,
  isWithinWorkingHours,
  type LocalDate,
  localDate,
  nextWorkingInstant,
  type PacingSettings,
  rollingWindowDates,
  warmupFactor,
} from "@/workflows/engine/pacing/index";
import { safetyPauseReason } from "@/workflows/engine/safety";
import { scoreAccountSafety } from "@/workflows/engine/worker";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import type { accountIdInput } from "./account-shared";
import { pacingOf, usageOf, viewOf } from "./account-view";
import { describeAccountState } from "./describe-account-state";

/** The warm-up chart's span: the five weeks of the default ramp. */
export const WARMUP_CHART_DAYS = 35;

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
