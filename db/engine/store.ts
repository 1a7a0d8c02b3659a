import "server-only";

import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { parseBudgets } from "@/workflows/credits/budgets";
import { nextRenewal, renewalSplit } from "@/workflows/credits/renewal";
import { storedPacing } from "@/workflows/engine/pacing/settings";
import {
  type EngineStore,
  type EnrollmentContext,
  eventsKey,
  NOT_DELIVERED_RECONCILED,
  type StepState,
  type StoredAction,
  type StoredEvent,
} from "@/workflows/engine/ports";
import { SAFETY_WINDOWS, type SafetyCounts } from "@/workflows/engine/safety";
import { type Graph, graphSchema } from "@/workflows/graph/index";
import type { ProfileSnapshot } from "@/workflows/providers/types";
import { type Database, queryRows } from "../client";
import {
  action,
  campaign,
  creditLedger,
  creditPool,
  enrollment,
  inboundEvent,
  lead,
  senderAccount,
  workflowVersion,
} from "../schema/index";
import { flushOps } from "./flush";
import { handOverLeads } from "./handover";
import { createInvitationStore, pendingInvitationCounts } from "./invitations";
import { queuedRow, queueHeadsSql } from "./queue";

// Published versions never change: parse each once.
const graphCache = new Map<string, Graph>();

function parsedGraph(versionId: string, json: unknown): Graph {
  let graph = graphCache.get(versionId);
  if (!graph) {
    graph = graphSchema.parse(json) as Graph;
    graphCache.set(versionId, graph);
  }
  return graph;
}

type ActionRow = typeof action.$inferSelect;

function toStoredAction(row: ActionRow): StoredAction {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    nodeId: row.nodeId,
    kind: row.kind as StoredAction["kind"],
    hasText: row.hasText,
    status: row.status as StoredAction["status"],
    reason: row.reason,
    credits: row.credits,
    chatId: row.chatId,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    withdrawnAt: row.withdrawal === "withdrawn" ? row.withdrawalAt : null,
  };
}

/** Refunds whose posting delay has passed: each enters the ledger once, at its due time. */
async function postDueRefunds(db: Database, now: Date) {
  await queryRows(
    db,
    sql`with due as (
          select r.action_id, r.pool_id, r.workspace_id, r.due_at
            from credit_refund r
           where r.posted_at is null and r.due_at <= ${now.toISOString()}
             for update skip locked
        ), posted as (
          update credit_refund r set posted_at = due.due_at
            from due where r.action_id = due.action_id
        ), back as (
          update credit_pool p set balance = p.balance + owed.n
            from (select pool_id, count(*)::int as n from due group by pool_id) owed
           where p.id = owed.pool_id
        ), entry as (
          insert into credit_ledger (workspace_id, pool_id, at, type, amount, campaign_id,
            node_id, branch, enrollment_id, lead_id, variant, action_id, note)
          select due.workspace_id, due.pool_id, due.due_at, 'refund', 1, a.campaign_id,
                 a.node_id, a.branch, a.enrollment_id, a.lead_id, a.variant, a.id,
                 'reply in the InMail thread'
            from due join action a on a.id = due.action_id
        )
        select count(*)::int as n from due`,
  );
}

/**
 * Renewals due by `now`: each grants min(allowance, cap − balance) at its own instant and
 * records the rest as forfeited; a pool several renewals behind catches up one at a time.
 */
async function applyDueRenewals(db: Database, now: Date) {
  const due = await queryRows<{ id: string }>(
    db,
    sql`select id from credit_pool
         where next_renewal_at is null or next_renewal_at <= ${now.toISOString()}
         limit 100`,
  );
  for (const { id } of due) {
    await db.transaction(async (tx) => {
      for (;;) {
        const [pool] = await queryRows<{
          workspace_id: string;
          allowance: number;
          cap: number;
          renewal_day: number;
          balance: number;
          next_renewal_at: string | Date | null;
        }>(
          tx,
          sql`select workspace_id, allowance, cap, renewal_day, balance, next_renewal_at
                from credit_pool where id = ${id} for update`,
        );
        if (!pool) return;
        const anchor = { renewalAnchorDay: pool.renewal_day, timeZone: "UTC" };
        if (pool.next_renewal_at === null) {
          // A pool created before renewals were scheduled: its next one is the coming anchor.
          await tx
            .update(creditPool)
            .set({ nextRenewalAt: nextRenewal(anchor, now) })
            .where(eq(creditPool.id, id));
          return;
        }
        const at = new Date(pool.next_renewal_at);
        if (at.getTime() > now.getTime()) return;
        const { grant, forfeit } = renewalSplit(pool.balance, {
          allowancePerMonth: pool.allowance,
          cap: pool.cap,
        });
        const entries = [
          { type: "grant", amount: grant, note: "monthly renewal" },
          { type: "forfeit", amount: forfeit, note: `over the cap of ${pool.cap}` },
        ].filter((e) => e.amount > 0);
        if (entries.length > 0) {
          await tx.insert(creditLedger).values(
            entries.map((e) => ({
              workspaceId: pool.workspace_id,
              poolId: id,
              at,
              type: e.type,
              amount: e.amount,
              note: e.note,
            })),
          );
        }
        await tx
          .update(creditPool)
          .set({ balance: pool.balance + grant, nextRenewalAt: nextRenewal(anchor, at) })
          .where(eq(creditPool.id, id));
      }
    });
  }
}

/**
 * The claim: due rows of running campaigns on usable accounts, outside a held step, leased to
 * `owner` in one statement (`FOR UPDATE SKIP LOCKED`, so workers never claim the same row).
 * Answers each row's id and step. The benchmark's bare loops claim with this statement too.
 */
export function claimDueStatement({
  now,
  owner,
  leaseMs,
  limit,
}: Parameters<EngineStore["claimDue"]>[0]): SQL {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return sql`with heads as (${queueHeadsSql}), due as (
          select e.id from enrollment e
          join campaign c on c.id = e.campaign_id
          join sender_account a on a.id = e.account_id
          where e.state = 'active'
            and e.next_run_at <= ${now.toISOString()}
            and (e.lease_expires_at is null or e.lease_expires_at < ${now.toISOString()})
            and c.status = 'running'
            and (a.status = 'active'
                 or (a.status = 'cooling_down' and a.cooling_until <= ${now.toISOString()}))
            -- A held step's leads wait for a person (db/engine/alerts.ts).
            and not exists (select 1 from campaign_alert h
                             where h.campaign_id = e.campaign_id and h.node_id = e.node_id
                               and h.hold_step and h.resolved_at is null)
            -- A queued lead is claimed at the head of its seat's queue once the seat is free.
            and (not ${queuedRow(sql`e`)}
                 or (e.id in (select id from heads)
                     and (a.next_free_at is null or a.next_free_at <= ${now.toISOString()})))
          order by e.next_run_at, e.queue_key
          limit ${limit}
          for update of e skip locked
        )
        update enrollment e
           set lease_owner = ${owner}, lease_expires_at = ${leaseUntil.toISOString()},
               attempts = e.attempts + 1
          from due where e.id = due.id
        returning e.id, e.node_id`;
}

/** The engine's storage on drizzle: the same SQL on PGlite and PostgreSQL. */
export function createEngineStore(db: Database): EngineStore {
  return {
    async claimDue({ now, owner, leaseMs, limit }) {
      const claimed = await queryRows<{ id: string }>(
        db,
        claimDueStatement({ now, owner, leaseMs, limit }),
      );
      if (claimed.length === 0) return [];
      const rows = await db
        .select({
          enrollment,
          campaign: {
            id: campaign.id,
            seed: campaign.seed,
            stopOnReply: campaign.stopOnReply,
            budgets: campaign.budgets,
            weight: campaign.weight,
          },
          version: { id: workflowVersion.id, graph: workflowVersion.graph },
          lead,
          account: {
            id: senderAccount.id,
            provider: senderAccount.provider,
            providerAccountId: senderAccount.providerAccountId,
            pacing: senderAccount.pacing,
            creditPoolId: senderAccount.creditPoolId,
          },
        })
        .from(enrollment)
        .innerJoin(campaign, eq(campaign.id, enrollment.campaignId))
        .innerJoin(workflowVersion, eq(workflowVersion.id, enrollment.versionId))
        .innerJoin(lead, eq(lead.id, enrollment.leadId))
        .innerJoin(senderAccount, eq(senderAccount.id, enrollment.accountId))
        .where(
          inArray(
            enrollment.id,
            claimed.map((c) => c.id),
          ),
        )
        // Ties broken by the lead's identity, so the same seed always gives the same schedule.
        .orderBy(asc(enrollment.nextRunAt), asc(enrollment.queueKey));
      const actionRows = await db
        .select()
        .from(action)
        .where(
          inArray(
            action.enrollmentId,
            claimed.map((c) => c.id),
          ),
        )
        .orderBy(asc(action.createdAt), asc(action.idempotencyKey));
      const eventRows = await db
        .select({
          accountId: inboundEvent.accountId,
          leadId: inboundEvent.leadId,
          type: inboundEvent.type,
          occurredAt: inboundEvent.occurredAt,
          chatId: inboundEvent.chatId,
        })
        .from(inboundEvent)
        .where(
          and(
            inArray(
              inboundEvent.leadId,
              rows.map((r) => r.lead.id),
            ),
            inArray(inboundEvent.type, ["accepted", "replied"]),
          ),
        )
        .orderBy(asc(inboundEvent.occurredAt), asc(inboundEvent.id));
      const eventsByPair = new Map<string, StoredEvent[]>();
      for (const row of eventRows) {
        if (!row.accountId || !row.leadId) continue;
        const key = eventsKey(row.accountId, row.leadId);
        const list = eventsByPair.get(key) ?? [];
        list.push({
          type: row.type as StoredEvent["type"],
          occurredAt: row.occurredAt,
          chatId: row.chatId,
        });
        eventsByPair.set(key, list);
      }
      // The seats' withdrawn invitations to these leads, in any campaign (LinkedIn's three
      // weeks before the seat may invite the person again).
      const withdrawnRows = await db
        .select({
          accountId: action.accountId,
          leadId: action.leadId,
          withdrawalAt: action.withdrawalAt,
        })
        .from(action)
        .where(
          and(
            inArray(
              action.leadId,
              rows.map((r) => r.lead.id),
            ),
            eq(action.kind, "connect"),
            eq(action.withdrawal, "withdrawn"),
          ),
        );
      const withdrawnByPair = new Map<string, Date[]>();
      for (const row of withdrawnRows) {
        if (!row.leadId || !row.withdrawalAt) continue;
        const key = eventsKey(row.accountId, row.leadId);
        withdrawnByPair.set(key, [...(withdrawnByPair.get(key) ?? []), row.withdrawalAt]);
      }
      const actionsByEnrollment = new Map<string, StoredAction[]>();
      for (const row of actionRows) {
        const list = actionsByEnrollment.get(row.enrollmentId) ?? [];
        list.push(toStoredAction(row));
        actionsByEnrollment.set(row.enrollmentId, list);
      }
      return rows.map(
        (row): EnrollmentContext => ({
          enrollment: {
            id: row.enrollment.id,
            workspaceId: row.enrollment.workspaceId,
            campaignId: row.enrollment.campaignId,
            leadId: row.enrollment.leadId,
            accountId: row.enrollment.accountId,
            nodeId: row.enrollment.nodeId,
            stepSeq: row.enrollment.stepSeq,
            branch: row.enrollment.branch,
            stepState: (row.enrollment.stepState as StepState | null) ?? null,
            enrolledAt: row.enrollment.enrolledAt,
          },
          campaign: { ...row.campaign, budgets: parseBudgets(row.campaign.budgets) },
          graph: parsedGraph(row.version.id, row.version.graph),
          lead: {
            id: row.lead.id,
            publicIdentifier: row.lead.publicIdentifier,
            providerId: row.lead.providerId,
            firstName: row.lead.firstName,
            lastName: row.lead.lastName,
            company: row.lead.company,
            title: row.lead.title,
            custom: (row.lead.custom as Record<string, string>) ?? {},
            profile: (row.lead.profile as ProfileSnapshot | null) ?? null,
          },
          account: {
            ...row.account,
            pacing: storedPacing(row.account.pacing),
          },
          actions: actionsByEnrollment.get(row.enrollment.id) ?? [],
          events: eventsByPair.get(eventsKey(row.account.id, row.lead.id)) ?? [],
          withdrawnInvitations: withdrawnByPair.get(eventsKey(row.account.id, row.lead.id)) ?? [],
        }),
      );
    },

    flush: (request) => flushOps(db, request),

    invitations: createInvitationStore(db),
    handOverLeads: (now) => handOverLeads(db, now),

    async applyDueCredits(now) {
      await postDueRefunds(db, now);
      await applyDueRenewals(db, now);
    },

    async safetyCounts(accountId, now, dates): Promise<SafetyCounts> {
      const hours = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
      const days = (d: number) => hours(d * 24);
      const [counts] = await queryRows<{
        settled: number;
        accepted: number;
        pending: number;
        attempts: number;
        failures: number;
      }>(
        db,
        sql`select
              count(*) filter (where kind = 'connect' and status = 'sent'
                and sent_at >= ${days(SAFETY_WINDOWS.acceptanceDays)}
                and sent_at <= ${hours(SAFETY_WINDOWS.settleHours)})::int as settled,
              count(*) filter (where kind = 'connect' and status = 'sent'
                and sent_at >= ${days(SAFETY_WINDOWS.acceptanceDays)}
                and sent_at <= ${hours(SAFETY_WINDOWS.settleHours)} and accepted)::int as accepted,
              count(*) filter (where kind = 'connect' and status = 'sent'
                and sent_at >= ${days(SAFETY_WINDOWS.pendingDays)} and not accepted
                and withdrawal is null)::int as pending,
              count(*) filter (where created_at >= ${days(SAFETY_WINDOWS.errorDays)}
                and status in ('sent', 'not_sent', 'failed')
                and reason is distinct from ${NOT_DELIVERED_RECONCILED})::int as attempts,
              count(*) filter (where created_at >= ${days(SAFETY_WINDOWS.errorDays)}
                and status = 'failed'
                and reason is distinct from ${NOT_DELIVERED_RECONCILED})::int as failures
            from (
              select a.kind, a.status, a.reason, a.sent_at, a.created_at, a.withdrawal,
                     exists (select 1 from inbound_event ev
                              where ev.lead_id = a.lead_id and ev.account_id = a.account_id
                                and ev.type = 'accepted') as accepted
                from action a
               where a.account_id = ${accountId}
                 and a.created_at >= ${days(SAFETY_WINDOWS.pendingDays)}
                 and a.created_at <= ${now.toISOString()}
            ) recent`,
      );
      const usage =
        dates.length === 0
          ? []
          : await queryRows<{ local_date: string; total: number; connect: number }>(
              db,
              sql`select local_date::text as local_date,
                         coalesce(sum(used) filter (where kind = 'total'), 0)::int as total,
                         coalesce(sum(used) filter (where kind = 'connect'), 0)::int as connect
                    from usage_counter
                   where account_id = ${accountId}
                     and local_date in (${sql.join(
                       dates.map((d) => sql`${d}::date`),
                       sql`, `,
                     )})
                   group by local_date`,
            );
      return {
        settledInvitations: counts?.settled ?? 0,
        acceptedInvitations: counts?.accepted ?? 0,
        pendingInvitations: counts?.pending ?? 0,
        attempts: counts?.attempts ?? 0,
        failures: counts?.failures ?? 0,
        pendingNow: (await pendingInvitationCounts(db, [accountId])).get(accountId) ?? 0,
        usage: usage.map((u) => ({ localDate: u.local_date, total: u.total, connect: u.connect })),
      };
    },
  };
}
