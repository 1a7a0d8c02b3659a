// The facts behind "why does this lead wait": the seats, their pools and today's usage for the
// enrollments asked about, gathered in a few queries for a whole list at once.
import "server-only";

import { and, eq, inArray, or, sql } from "drizzle-orm";
import { capsInForce, localDate, PacingSettingsSchema } from "../../workflows/engine/pacing/index";
import {
  QUEUE_COUNT_LIMIT,
  type WaitingFacts,
  type WaitingReason,
  waitingReason,
  waitingStepOf,
} from "../../workflows/engine/waiting-reason";
import { isActionKind } from "../../workflows/nodes/catalog";
import { type Database, inList, queryRows } from "../client";
import { pendingInvitationCounts } from "../engine/invitations";
import {
  creditPool,
  enrollment,
  senderAccount,
  usageCounter,
  workflowVersion,
} from "../schema/index";

/** An active enrollment as the pages already read it. */
export interface WaitingEnrollment {
  id: string;
  accountId: string;
  versionId: string;
  nodeId: string;
  nextRunAt: Date;
  queueKey: string;
}

function nodeKind(graph: unknown, nodeId: string): string {
  const nodes = (graph as { nodes?: Array<{ id: string; kind: string }> } | null)?.nodes;
  return nodes?.find((node) => node.id === nodeId)?.kind ?? "";
}

/** Why each of these active enrollments waits, by enrollment id. */
export async function waitingReasonsOf(
  db: Database,
  workspaceId: string,
  enrollments: readonly WaitingEnrollment[],
  now: Date,
): Promise<Map<string, WaitingReason>> {
  const reasons = new Map<string, WaitingReason>();
  if (enrollments.length === 0) return reasons;
  const accountIds = [...new Set(enrollments.map((e) => e.accountId))];
  const versionIds = [...new Set(enrollments.map((e) => e.versionId))];
  // Sends ahead in the engine's own order (due time, then queue key), for the leads already due.
  const due = enrollments.filter((e) => e.nextRunAt.getTime() <= now.getTime());
  // The seats, the graphs and the queue read at once: none needs another's answer.
  const [seats, versions, counts, pending] = await Promise.all([
    db
      .select({
        id: senderAccount.id,
        name: senderAccount.name,
        status: senderAccount.status,
        coolingUntil: senderAccount.coolingUntil,
        nextFreeAt: senderAccount.nextFreeAt,
        pacing: senderAccount.pacing,
        poolBalance: creditPool.balance,
        poolRenewal: creditPool.nextRenewalAt,
      })
      .from(senderAccount)
      .leftJoin(creditPool, eq(creditPool.id, senderAccount.creditPoolId))
      .where(
        and(eq(senderAccount.workspaceId, workspaceId), inArray(senderAccount.id, accountIds)),
      ),
    db
      .select({ id: workflowVersion.id, graph: workflowVersion.graph })
      .from(workflowVersion)
      .where(
        and(eq(workflowVersion.workspaceId, workspaceId), inArray(workflowVersion.id, versionIds)),
      ),
    due.length === 0
      ? []
      : // Each due lead's place in its seat's queue: the sends before it in the engine's order,
        // read from the seat's queue index (enrollment_seat_queue_idx) and counted up to
        // QUEUE_COUNT_LIMIT, so a lead deep in a 1,000-lead launch costs one bounded range.
        queryRows<{ id: string; ahead: number }>(
          db,
          sql`select mine.id,
                     (select count(*)::int from (
                        select 1 from ${enrollment} o
                         where o.account_id = mine.account_id and o.state = 'active'
                           and (o.next_run_at, o.queue_key, o.id)
                             < (mine.next_run_at, mine.queue_key, mine.id)
                         limit ${QUEUE_COUNT_LIMIT}) ahead_of_it) as ahead
                from ${enrollment} mine
               where mine.workspace_id = ${workspaceId}
                 and mine.id in ${inList(due.map((e) => e.id))}`,
        ),
    // Invitations pending on each seat (up to its ceiling), for those at an invitation step.
    pendingInvitationCounts(db, accountIds, workspaceId),
  ]);
  const ahead = new Map(counts.map((row) => [row.id, Number(row.ahead)]));
  const graphOf = new Map(versions.map((v) => [v.id, v.graph]));
  const seatById = new Map(
    seats.map((seat) => [seat.id, { ...seat, pacing: PacingSettingsSchema.parse(seat.pacing) }]),
  );

  const todays = [...seatById.values()].map((seat) => ({
    accountId: seat.id,
    date: localDate(now, seat.pacing.timeZone),
  }));
  const usage = await db
    .select({ accountId: usageCounter.accountId, kind: usageCounter.kind, used: usageCounter.used })
    .from(usageCounter)
    .where(
      or(
        ...todays.map((today) =>
          and(eq(usageCounter.accountId, today.accountId), eq(usageCounter.localDate, today.date)),
        ),
      ),
    );
  const usedKey = (accountId: string, kind: string) => `${accountId}|${kind}`;
  const used = new Map(usage.map((row) => [usedKey(row.accountId, row.kind), row.used]));

  for (const e of enrollments) {
    const seat = seatById.get(e.accountId);
    if (!seat) continue;
    const kind = nodeKind(graphOf.get(e.versionId), e.nodeId);
    const step = waitingStepOf(kind);
    const caps = capsInForce(seat.pacing, localDate(now, seat.pacing.timeZone));
    const facts: WaitingFacts = {
      now,
      step,
      nextRunAt: e.nextRunAt,
      seat: {
        name: seat.name,
        status: seat.status,
        coolingUntil: seat.coolingUntil,
        nextFreeAt: seat.nextFreeAt,
        hours: seat.pacing,
        cap: isActionKind(kind)
          ? { used: used.get(usedKey(seat.id, kind)) ?? 0, limit: caps[kind] }
          : null,
        queuedAhead: ahead.get(e.id) ?? 0,
        pendingInvitations:
          step.kind === "send" && step.isInvitation
            ? {
                pending: pending.get(seat.id) ?? 0,
                ceiling: seat.pacing.invitations.pendingCeiling,
              }
            : null,
      },
      pool:
        seat.poolBalance === null
          ? null
          : { balance: seat.poolBalance, nextRenewalAt: seat.poolRenewal },
      budgetReached: false,
    };
    reasons.set(e.id, waitingReason(facts));
  }
  return reasons;
}

/**
 * A campaign's enrollments still in progress (at one step, when given), soonest due first, at
 * most `limit` of them: what "why it waits" is worked out for when the leads list filters by it.
 */
export async function activeEnrollmentsOf(
  db: Database,
  workspaceId: string,
  campaignId: string,
  stepId: string | undefined,
  limit: number,
): Promise<Array<WaitingEnrollment & { leadId: string }>> {
  return db
    .select({
      id: enrollment.id,
      leadId: enrollment.leadId,
      accountId: enrollment.accountId,
      versionId: enrollment.versionId,
      nodeId: enrollment.nodeId,
      nextRunAt: enrollment.nextRunAt,
      queueKey: enrollment.queueKey,
    })
    .from(enrollment)
    .where(
      and(
        eq(enrollment.workspaceId, workspaceId),
        eq(enrollment.campaignId, campaignId),
        eq(enrollment.state, "active"),
        stepId ? eq(enrollment.nodeId, stepId) : undefined,
      ),
    )
    .orderBy(enrollment.nextRunAt, enrollment.queueKey)
    .limit(limit);
}
