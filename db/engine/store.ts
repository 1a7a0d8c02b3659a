import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { budgetExceeded, parseBudgets } from "@/workflows/credits/budgets";
import { nextRenewal, renewalSplit } from "@/workflows/credits/renewal";
import { capCheck, rollingWindowDates } from "@/workflows/engine/pacing/caps";
import { type PacingSettings, PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import type {
  ActionCompletion,
  EngineStore,
  EnrollmentContext,
  ReserveRequest,
  ReserveResult,
  StepState,
  StoredAction,
  StoredEvent,
  Transition,
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
  usageCounter,
  workflowVersion,
} from "../schema";

/**
 * A lead woken for its planned slot sends when it wakes within this much of it; later than
 * that (the account was paused, the worker was down) the slot is stale and a new one is planned,
 * so a late wake never sends outside working hours.
 */
const SLOT_TOLERANCE_MS = 60_000;
/** A send planned within this margin of now is made now rather than slept on. */
const SEND_NOW_MARGIN_MS = 1000;

// Published versions never change, and pacing JSON rarely does: parse each once.
const graphCache = new Map<string, Graph>();
const pacingCache = new Map<string, PacingSettings>();

function parsedGraph(versionId: string, json: unknown): Graph {
  let graph = graphCache.get(versionId);
  if (!graph) {
    graph = graphSchema.parse(json) as Graph;
    graphCache.set(versionId, graph);
  }
  return graph;
}

function parsedPacing(json: unknown): PacingSettings {
  const key = JSON.stringify(json);
  let pacing = pacingCache.get(key);
  if (!pacing) {
    pacing = PacingSettingsSchema.parse(json);
    if (pacingCache.size > 1000) pacingCache.clear();
    pacingCache.set(key, pacing);
  }
  return pacing;
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
  };
}

/** A ledger row's net effect on what a campaign used: spent, minus what came back. */
const NET_CREDITS = sql.raw(
  "case l.type when 'spend' then l.amount when 'refund' then -l.amount when 'adjustment' then -l.amount else 0 end",
);

interface RawActionRow {
  id: string;
  idempotency_key: string;
  node_id: string;
  kind: string;
  has_text: boolean;
  status: string;
  reason: string | null;
  credits: number;
  chat_id: string | null;
  created_at: string | Date;
  sent_at: string | Date | null;
}

function fromRawAction(row: RawActionRow): StoredAction {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    nodeId: row.node_id,
    kind: row.kind as StoredAction["kind"],
    hasText: row.has_text,
    status: row.status as StoredAction["status"],
    reason: row.reason,
    credits: row.credits,
    chatId: row.chat_id,
    createdAt: new Date(row.created_at),
    sentAt: row.sent_at === null ? null : new Date(row.sent_at),
  };
}

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

async function releaseBooking(tx: Transaction, accountId: string, date: string, kind: string) {
  await tx
    .update(usageCounter)
    .set({ booked: sql`greatest(${usageCounter.booked} - 1, 0)` })
    .where(
      and(
        eq(usageCounter.accountId, accountId),
        eq(usageCounter.localDate, date),
        inArray(usageCounter.kind, [kind, "total"]),
      ),
    );
}

/**
 * Books the lead a place on the first coming working day whose cap has room (counting places
 * already promised), and says when to wake: that day's start, plus a gap per lead booked
 * before it so they do not all wake at once.
 */
async function bookPlace(
  tx: Transaction,
  accountId: string,
  request: ReserveRequest,
): Promise<{ retryAt: Date; bookedDate: string | null }> {
  const days = request.nextDays();
  const first = days[0];
  if (!first)
    return { retryAt: new Date(request.now.getTime() + 24 * 3_600_000), bookedDate: null };
  const counters = await tx
    .select()
    .from(usageCounter)
    .where(
      and(
        eq(usageCounter.accountId, accountId),
        inArray(
          usageCounter.localDate,
          days.map((d) => d.localDate),
        ),
        inArray(usageCounter.kind, [request.kind, "total"]),
      ),
    );
  const taken = (date: string, kind: string) => {
    const row = counters.find((c) => c.localDate === date && c.kind === kind);
    return row ? row.used + row.booked : 0;
  };
  for (const day of days) {
    const kindTaken = taken(day.localDate, request.kind);
    if (kindTaken >= day.caps[request.kind] || taken(day.localDate, "total") >= day.caps.total) {
      continue;
    }
    for (const kind of [request.kind, "total"]) {
      await tx
        .insert(usageCounter)
        .values({ accountId, localDate: day.localDate, kind, used: 0, booked: 1 })
        .onConflictDoUpdate({
          target: [usageCounter.accountId, usageCounter.localDate, usageCounter.kind],
          set: { booked: sql`${usageCounter.booked} + 1` },
        });
    }
    return {
      retryAt: new Date(day.startsAt.getTime() + kindTaken * request.spacingMs),
      bookedDate: day.localDate,
    };
  }
  // Every day in the horizon is full: try again at its end.
  return { retryAt: days.at(-1)!.startsAt, bookedDate: null };
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

/** The engine's storage on drizzle: the same SQL on PGlite and PostgreSQL. */
export function createEngineStore(db: Database): EngineStore {
  return {
    async claimDue({ now, owner, leaseMs, limit }) {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const claimed = await queryRows<{ id: string }>(
        db,
        sql`with due as (
              select e.id from enrollment e
              join campaign c on c.id = e.campaign_id
              join sender_account a on a.id = e.account_id
              where e.state = 'active'
                and e.next_run_at <= ${now.toISOString()}
                and (e.lease_expires_at is null or e.lease_expires_at < ${now.toISOString()})
                and c.status = 'running'
                and (a.status = 'active'
                     or (a.status = 'cooling_down' and a.cooling_until <= ${now.toISOString()}))
              order by e.next_run_at, e.queue_key
              limit ${limit}
              for update of e skip locked
            )
            update enrollment e
               set lease_owner = ${owner}, lease_expires_at = ${leaseUntil.toISOString()},
                   attempts = e.attempts + 1
              from due where e.id = due.id
            returning e.id`,
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
            pacing: parsedPacing(row.account.pacing),
          },
          actions: actionsByEnrollment.get(row.enrollment.id) ?? [],
        }),
      );
    },

    async transition(enrollmentId, owner, change: Transition) {
      // One statement: the move and its history lines commit together, or not at all when
      // the lease was lost. A finished lead holds no lease; a moving one keeps it.
      const finished = change.state !== "active";
      const at = change.nextRunAt.toISOString();
      const history = JSON.stringify(
        change.history.map((entry) => ({
          at: entry.at.toISOString(),
          node_id: entry.nodeId,
          exit: entry.exit,
          to_node_id: entry.toNodeId,
          branch: entry.branch,
          note: entry.note ?? null,
        })),
      );
      const [moved] = await queryRows<{ n: number }>(
        db,
        sql`with old as (
              select account_id, step_state->>'bookedDate' as booked_date,
                     step_state->>'bookedKind' as booked_kind
                from enrollment
               where id = ${enrollmentId} and lease_owner = ${owner}
                 for update
            ), unbook as (
              -- A lead leaving a step (stopped by a reply, removed, moved on) gives back the
              -- place a full cap promised it there.
              update usage_counter u set booked = greatest(u.booked - 1, 0)
                from old
               where old.booked_date is not null
                 and u.account_id = old.account_id
                 and u.local_date = old.booked_date::date
                 and u.kind in (coalesce(old.booked_kind, ''), 'total')
            ), moved as (
              update enrollment
                 set node_id = ${change.nodeId}, step_seq = ${change.stepSeq},
                     branch = ${change.branch},
                     step_state = ${change.stepState === null ? null : JSON.stringify(change.stepState)}::jsonb,
                     state = ${change.state}, next_run_at = ${at}, updated_at = ${at},
                     outcome = ${change.outcome ?? null}, reason = ${change.reason ?? null},
                     lease_owner = case when ${finished}::boolean then null else lease_owner end,
                     lease_expires_at = case when ${finished}::boolean then null else lease_expires_at end
               where id = ${enrollmentId} and lease_owner = ${owner}
              returning workspace_id
            ), lines as (
              insert into enrollment_step
                (workspace_id, enrollment_id, at, node_id, exit, to_node_id, branch, note)
              select moved.workspace_id, ${enrollmentId}, h.at, h.node_id, h.exit, h.to_node_id,
                     h.branch, h.note
                from moved, jsonb_to_recordset(${history}::jsonb)
                  as h(at timestamptz, node_id text, exit text, to_node_id text, branch text, note text)
            )
            select count(*)::int as n from moved`,
      );
      return moved?.n === 1;
    },

    async reschedule(enrollmentId, owner, nextRunAt, stepState) {
      const updated = await db
        .update(enrollment)
        .set({ nextRunAt, stepState, leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(enrollment.id, enrollmentId), eq(enrollment.leaseOwner, owner)))
        .returning({ id: enrollment.id });
      return updated.length > 0;
    },

    async eventsFor(accountId, leadId): Promise<StoredEvent[]> {
      const rows = await db
        .select({
          type: inboundEvent.type,
          occurredAt: inboundEvent.occurredAt,
          chatId: inboundEvent.chatId,
        })
        .from(inboundEvent)
        .where(
          and(
            eq(inboundEvent.accountId, accountId),
            eq(inboundEvent.leadId, leadId),
            inArray(inboundEvent.type, ["accepted", "replied"]),
          ),
        )
        .orderBy(asc(inboundEvent.occurredAt));
      return rows as StoredEvent[];
    },

    async reserveSend(request: ReserveRequest): Promise<ReserveResult> {
      const { context, now } = request;
      const accountId = context.account.id;
      const window = rollingWindowDates(request.localDate);
      return db.transaction(async (tx) => {
        // The account row is the lock that serialises every send of the account, across
        // campaigns and workers: caps and next-free are read and moved under it. The
        // enrollment's lease is checked in the same statement: a worker whose lease was taken
        // over must not send (the new holder will). The counters come along.
        const [locked] = await queryRows<{
          status: string;
          cooling_until: string | Date | null;
          next_free_at: string | Date | null;
          credit_pool_id: string | null;
          counters: Array<{ local_date: string; kind: string; used: number; booked: number }>;
        }>(
          tx,
          sql`select a.status, a.cooling_until, a.next_free_at, a.credit_pool_id,
                     (select coalesce(json_agg(json_build_object(
                               'local_date', u.local_date::text, 'kind', u.kind,
                               'used', u.used, 'booked', u.booked)), '[]'::json)
                        from usage_counter u
                       where u.account_id = a.id
                         and u.local_date in (${sql.join(
                           window.map((d) => sql`${d}::date`),
                           sql`, `,
                         )})) as counters
                from enrollment e, sender_account a
               where e.id = ${context.enrollment.id} and e.lease_owner = ${request.owner}
                 and a.id = ${accountId}
                 for update of e, a`,
        );
        if (!locked) return { type: "lease_lost" };
        const coolingOver =
          locked.status === "cooling_down" &&
          locked.cooling_until !== null &&
          new Date(locked.cooling_until).getTime() <= now.getTime();
        if (locked.status !== "active" && !coolingOver) {
          return { type: "account_unavailable", status: locked.status };
        }

        // A lead that already holds a planned slot and wakes on time sends now: its slot was
        // taken from the account's timeline when it was planned. Otherwise plan one: a slot
        // in the future is taken now (next-free moves on) and the lead sleeps until then, so
        // each waiting lead wakes once, at its own time.
        const holdsSlot =
          request.plannedSendAt !== null &&
          Math.abs(request.plannedSendAt.getTime() - now.getTime()) <= SLOT_TOLERANCE_MS;
        let nextFreeAt: Date | null = null;
        if (!holdsSlot) {
          const planned = request.plan(locked.next_free_at ? new Date(locked.next_free_at) : null);
          nextFreeAt = planned.nextFreeAt;
          if (planned.sendAt.getTime() > now.getTime() + SEND_NOW_MARGIN_MS) {
            await tx
              .update(senderAccount)
              .set({ nextFreeAt: planned.nextFreeAt })
              .where(eq(senderAccount.id, accountId));
            return { type: "later", at: planned.sendAt };
          }
        }

        // Places promised to leads turned away earlier count as taken, except this lead's own.
        const holdsBooking = request.bookedDate === request.localDate;
        const byKind: Record<string, number> = {};
        let total = 0;
        let connect7d = 0;
        for (const counter of locked.counters) {
          if (counter.kind === "connect") connect7d += counter.used;
          if (counter.local_date !== request.localDate) continue;
          const taken = counter.used + Math.max(counter.booked - (holdsBooking ? 1 : 0), 0);
          if (counter.kind === "total") total = taken;
          else byKind[counter.kind] = taken;
        }
        if (request.bookedDate)
          await releaseBooking(tx, accountId, request.bookedDate, request.kind);
        const decision = capCheck({ byKind, total, connect7d }, request.kind, request.caps);
        if (!decision.allowed) {
          const booking = await bookPlace(tx, accountId, request);
          return {
            type: "cap_reached",
            cap: decision.cap,
            limit: decision.limit,
            retryAt: booking.retryAt,
            bookedDate: booking.bookedDate,
          };
        }

        const poolId = locked.credit_pool_id;
        const credits = poolId ? request.credits : 0;
        if (credits > 0 && request.budget) {
          // The campaign row serialises the campaign's InMails across accounts and workers,
          // so two sends cannot both take the last credit of a budget.
          const [used] = await queryRows<{ campaign: number; branch: number }>(
            tx,
            sql`with locked as (select id from campaign where id = ${context.campaign.id} for update)
                select coalesce(sum(${NET_CREDITS}), 0)::int as campaign,
                       coalesce(sum(${NET_CREDITS}) filter (
                         where l.node_id = ${request.nodeId} and l.branch = ${request.branch}), 0)::int as branch
                  from credit_ledger l, locked
                 where l.campaign_id = locked.id and l.action_id is not null`,
          );
          const over = budgetExceeded(
            request.budget,
            { campaign: used?.campaign ?? 0, branch: used?.branch ?? 0 },
            credits,
          );
          if (over) return { type: "budget_reached", scope: over };
        }

        // One statement takes the credit (when the send costs one), and only if it could:
        // writes the spend, the cap slot, the intent and the account's next-free time.
        const actionId = randomUUID();
        const workspaceId = context.enrollment.workspaceId;
        const nowIso = now.toISOString();
        const [row] = await queryRows<RawActionRow>(
          tx,
          sql`with take as (
                update credit_pool set balance = balance - ${credits}::int
                 where ${credits}::int > 0 and id = ${poolId} and balance >= ${credits}::int
                returning id
              ), ok as (
                select 1 as ok where ${credits}::int = 0 or exists (select 1 from take)
              ), spend as (
                insert into credit_ledger (workspace_id, pool_id, at, type, amount, campaign_id,
                  node_id, branch, enrollment_id, lead_id, variant, action_id)
                select ${workspaceId}, take.id, ${nowIso}, 'spend', ${credits}::int,
                       ${context.campaign.id}, ${request.nodeId}, ${request.branch},
                       ${context.enrollment.id}, ${context.lead.id}, ${request.variant}, ${actionId}
                  from take
              ), slot as (
                insert into usage_counter (account_id, local_date, kind, used)
                select ${accountId}, ${request.localDate}::date, k.kind, 1
                  from ok, (values (${request.kind}::text), ('total')) as k(kind)
                on conflict (account_id, local_date, kind)
                do update set used = usage_counter.used + 1
              ), account as (
                update sender_account
                   set next_free_at = coalesce(${nextFreeAt?.toISOString() ?? null}::timestamptz, next_free_at),
                       status = case when ${coolingOver}::boolean then 'active' else status end,
                       cooling_until = case when ${coolingOver}::boolean then null else cooling_until end,
                       status_reason = case when ${coolingOver}::boolean then null else status_reason end
                 where id = ${accountId} and exists (select 1 from ok)
              )
              insert into action (id, workspace_id, idempotency_key, enrollment_id, campaign_id,
                lead_id, account_id, node_id, kind, has_text, branch, variant, status, credits,
                local_date, created_at)
              select ${actionId}, ${workspaceId}, ${request.idempotencyKey},
                     ${context.enrollment.id}, ${context.campaign.id}, ${context.lead.id},
                     ${accountId}, ${request.nodeId}, ${request.kind}, ${request.hasText}::boolean,
                     ${request.branch}, ${request.variant}, 'intent', ${credits}::int,
                     ${request.localDate}::date, ${nowIso}
                from ok
              returning id, idempotency_key, node_id, kind, has_text, status, reason, credits,
                        chat_id, created_at, sent_at`,
        );
        if (!row) return { type: "no_credit" };
        return { type: "reserved", action: fromRawAction(row) };
      });
    },

    async completeAction(actionId, context, completion: ActionCompletion) {
      // One statement: mark the action (only if still an intent: an earlier run may have done
      // it), give back the part of the credit not used, and the cap slot when the action did
      // not reach LinkedIn.
      const at = completion.at.toISOString();
      const used = completion.creditsUsed;
      await queryRows(
        db,
        sql`with old as (
              select id, credits, account_id, local_date, kind, campaign_id, node_id, branch,
                     enrollment_id, lead_id, variant
                from action where id = ${actionId} and status = 'intent'
                 for update
            ), done as (
              update action a
                 set status = ${completion.status}, reason = ${completion.reason ?? null},
                     reference = ${completion.reference ?? null},
                     chat_id = ${completion.chatId ?? null}, error = ${completion.error ?? null},
                     sent_at = ${completion.status === "sent" ? at : null}::timestamptz,
                     credits = ${used}::int
                from old where a.id = old.id
            ), unused as (
              select l.pool_id, l.amount - ${used}::int as amount
                from old join credit_ledger l on l.action_id = old.id and l.type = 'spend'
               where old.credits > ${used}::int and l.amount > ${used}::int
            ), give_back as (
              update credit_pool p set balance = p.balance + unused.amount
                from unused where p.id = unused.pool_id
            ), entry as (
              insert into credit_ledger (workspace_id, pool_id, at, type, amount, campaign_id,
                node_id, branch, enrollment_id, lead_id, variant, action_id, note)
              select ${context.enrollment.workspaceId}, unused.pool_id, ${at}, 'adjustment',
                     unused.amount, old.campaign_id, old.node_id, old.branch, old.enrollment_id,
                     old.lead_id, old.variant, old.id,
                     ${completion.status === "sent" ? "free InMail (open profile)" : "reservation released"}
                from unused, old
            ), slot as (
              update usage_counter u set used = greatest(u.used - 1, 0)
                from old
               where ${completion.releaseSlot}::boolean
                 and u.account_id = old.account_id and u.local_date = old.local_date
                 and u.kind in (old.kind, 'total')
            )
            select count(*)::int as n from old`,
      );
    },

    async updateLeadProfile(leadId, profile) {
      await db
        .update(lead)
        .set({ profile, providerId: profile.providerId })
        .where(eq(lead.id, leadId));
    },

    async coolDownAccount(accountId, until, reason) {
      await db
        .update(senderAccount)
        .set({ status: "cooling_down", coolingUntil: until, statusReason: reason })
        .where(
          and(
            eq(senderAccount.id, accountId),
            inArray(senderAccount.status, ["active", "cooling_down"]),
          ),
        );
    },

    async pauseAccount(accountId, status, reason) {
      await db
        .update(senderAccount)
        .set({ status, statusReason: reason, coolingUntil: null })
        .where(
          and(
            eq(senderAccount.id, accountId),
            status === "paused"
              ? inArray(senderAccount.status, ["active", "cooling_down"])
              : undefined,
          ),
        );
    },

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
                and sent_at >= ${days(SAFETY_WINDOWS.pendingDays)} and not accepted)::int as pending,
              count(*) filter (where created_at >= ${days(SAFETY_WINDOWS.errorDays)}
                and status in ('sent', 'not_sent', 'failed'))::int as attempts,
              count(*) filter (where created_at >= ${days(SAFETY_WINDOWS.errorDays)}
                and status = 'failed')::int as failures
            from (
              select a.kind, a.status, a.sent_at, a.created_at,
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
        usage: usage.map((u) => ({ localDate: u.local_date, total: u.total, connect: u.connect })),
      };
    },
  };
}
