import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
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
import { type Graph, graphSchema } from "@/workflows/graph/index";
import type { ProfileSnapshot } from "@/workflows/providers/types";
import { type Database, queryRows } from "../client";
import {
  action,
  campaign,
  creditLedger,
  creditPool,
  enrollment,
  enrollmentStep,
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
          campaign: row.campaign,
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
        }),
      );
    },

    async transition(enrollmentId, owner, change: Transition) {
      return db.transaction(async (tx) => {
        const stillActive = change.state === "active";
        const updated = await tx
          .update(enrollment)
          .set({
            nodeId: change.nodeId,
            stepSeq: change.stepSeq,
            branch: change.branch,
            stepState: change.stepState,
            state: change.state,
            nextRunAt: change.nextRunAt,
            outcome: change.outcome ?? null,
            reason: change.reason ?? null,
            updatedAt: change.nextRunAt,
            // A finished lead holds no lease; a moving one keeps it while this worker goes on.
            ...(stillActive ? {} : { leaseOwner: null, leaseExpiresAt: null }),
          })
          .where(and(eq(enrollment.id, enrollmentId), eq(enrollment.leaseOwner, owner)))
          .returning({ workspaceId: enrollment.workspaceId });
        const workspaceId = updated[0]?.workspaceId;
        if (!workspaceId) return false;
        if (change.history.length > 0) {
          await tx.insert(enrollmentStep).values(
            change.history.map((entry) => ({
              workspaceId,
              enrollmentId,
              at: entry.at,
              nodeId: entry.nodeId,
              exit: entry.exit,
              toNodeId: entry.toNodeId,
              branch: entry.branch,
              note: entry.note ?? null,
            })),
          );
        }
        return true;
      });
    },

    async reschedule(enrollmentId, owner, nextRunAt, stepState) {
      const updated = await db
        .update(enrollment)
        .set({ nextRunAt, stepState, leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(enrollment.id, enrollmentId), eq(enrollment.leaseOwner, owner)))
        .returning({ id: enrollment.id });
      return updated.length > 0;
    },

    async actionsOf(enrollmentId) {
      const rows = await db
        .select()
        .from(action)
        .where(eq(action.enrollmentId, enrollmentId))
        .orderBy(asc(action.createdAt), asc(action.idempotencyKey));
      return rows.map(toStoredAction);
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
      return db.transaction(async (tx) => {
        // A worker whose lease was taken over must not send: the new holder will.
        const [held] = await queryRows<{ id: string }>(
          tx,
          sql`select id from enrollment
               where id = ${context.enrollment.id} and lease_owner = ${request.owner}
               for update`,
        );
        if (!held) return { type: "lease_lost" };
        // The account row is the lock that serialises every send of the account, across
        // campaigns and workers: caps and next-free are read and moved under it.
        const [account] = await queryRows<{
          status: string;
          cooling_until: string | Date | null;
          next_free_at: string | Date | null;
          credit_pool_id: string | null;
        }>(
          tx,
          sql`select status, cooling_until, next_free_at, credit_pool_id
                from sender_account where id = ${context.account.id} for update`,
        );
        if (!account) return { type: "account_unavailable", status: "missing" };
        const coolingOver =
          account.status === "cooling_down" &&
          account.cooling_until !== null &&
          new Date(account.cooling_until).getTime() <= now.getTime();
        if (account.status !== "active" && !coolingOver) {
          return { type: "account_unavailable", status: account.status };
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
          const planned = request.plan(
            account.next_free_at ? new Date(account.next_free_at) : null,
          );
          nextFreeAt = planned.nextFreeAt;
          if (planned.sendAt.getTime() > now.getTime() + SEND_NOW_MARGIN_MS) {
            await tx
              .update(senderAccount)
              .set({ nextFreeAt: planned.nextFreeAt })
              .where(eq(senderAccount.id, context.account.id));
            return { type: "later", at: planned.sendAt };
          }
        }

        const window = rollingWindowDates(request.localDate);
        const counters = await tx
          .select()
          .from(usageCounter)
          .where(
            and(
              eq(usageCounter.accountId, context.account.id),
              inArray(usageCounter.localDate, window),
            ),
          );
        // Places promised to leads turned away earlier count as taken, except this lead's own.
        const holdsBooking = request.bookedDate === request.localDate;
        const byKind: Record<string, number> = {};
        let total = 0;
        let connect7d = 0;
        for (const counter of counters) {
          if (counter.kind === "connect") connect7d += counter.used;
          if (counter.localDate !== request.localDate) continue;
          const taken = counter.used + Math.max(counter.booked - (holdsBooking ? 1 : 0), 0);
          if (counter.kind === "total") total = taken;
          else byKind[counter.kind] = taken;
        }
        if (request.bookedDate)
          await releaseBooking(tx, context.account.id, request.bookedDate, request.kind);
        const decision = capCheck({ byKind, total, connect7d }, request.kind, request.caps);
        if (!decision.allowed) {
          const booking = await bookPlace(tx, context.account.id, request);
          return {
            type: "cap_reached",
            cap: decision.cap,
            limit: decision.limit,
            retryAt: booking.retryAt,
            bookedDate: booking.bookedDate,
          };
        }

        const poolId = account.credit_pool_id;
        const actionId = randomUUID();
        if (request.credits > 0 && poolId) {
          const taken = await tx
            .update(creditPool)
            .set({ balance: sql`${creditPool.balance} - ${request.credits}` })
            .where(and(eq(creditPool.id, poolId), sql`${creditPool.balance} >= ${request.credits}`))
            .returning({ balance: creditPool.balance });
          if (taken.length === 0) return { type: "no_credit" };
          await tx.insert(creditLedger).values({
            workspaceId: context.enrollment.workspaceId,
            poolId,
            at: now,
            type: "spend",
            amount: request.credits,
            campaignId: context.campaign.id,
            nodeId: request.nodeId,
            branch: request.branch,
            enrollmentId: context.enrollment.id,
            leadId: context.lead.id,
            variant: request.variant,
            actionId,
          });
        }

        for (const kind of [request.kind, "total"]) {
          await tx
            .insert(usageCounter)
            .values({
              accountId: context.account.id,
              localDate: request.localDate,
              kind,
              used: 1,
            })
            .onConflictDoUpdate({
              target: [usageCounter.accountId, usageCounter.localDate, usageCounter.kind],
              set: { used: sql`${usageCounter.used} + 1` },
            });
        }

        const [row] = await tx
          .insert(action)
          .values({
            id: actionId,
            workspaceId: context.enrollment.workspaceId,
            idempotencyKey: request.idempotencyKey,
            enrollmentId: context.enrollment.id,
            campaignId: context.campaign.id,
            leadId: context.lead.id,
            accountId: context.account.id,
            nodeId: request.nodeId,
            kind: request.kind,
            hasText: request.hasText,
            branch: request.branch,
            variant: request.variant,
            status: "intent",
            credits: poolId ? request.credits : 0,
            localDate: request.localDate,
            createdAt: now,
          })
          .returning();
        if (nextFreeAt || coolingOver) {
          await tx
            .update(senderAccount)
            .set({
              ...(nextFreeAt ? { nextFreeAt } : {}),
              ...(coolingOver ? { status: "active", coolingUntil: null, statusReason: null } : {}),
            })
            .where(eq(senderAccount.id, context.account.id));
        }
        if (!row) throw new Error("the action row was not written");
        return { type: "reserved", action: toStoredAction(row) };
      });
    },

    async completeAction(actionId, context, completion: ActionCompletion) {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(action)
          .set({
            status: completion.status,
            reason: completion.reason ?? null,
            reference: completion.reference ?? null,
            chatId: completion.chatId ?? null,
            error: completion.error ?? null,
            sentAt: completion.status === "sent" ? completion.at : null,
            credits: completion.creditsUsed,
          })
          .where(and(eq(action.id, actionId), eq(action.status, "intent")))
          .returning();
        // Already completed by an earlier run: nothing more to do.
        if (!row) return;
        const reserved = await tx
          .select({ credits: creditLedger.amount, poolId: creditLedger.poolId })
          .from(creditLedger)
          .where(and(eq(creditLedger.actionId, actionId), eq(creditLedger.type, "spend")));
        const spend = reserved[0];
        if (spend && spend.credits > completion.creditsUsed) {
          const giveBack = spend.credits - completion.creditsUsed;
          await tx
            .update(creditPool)
            .set({ balance: sql`${creditPool.balance} + ${giveBack}` })
            .where(eq(creditPool.id, spend.poolId));
          await tx.insert(creditLedger).values({
            workspaceId: context.enrollment.workspaceId,
            poolId: spend.poolId,
            at: completion.at,
            type: "adjustment",
            amount: giveBack,
            campaignId: row.campaignId,
            nodeId: row.nodeId,
            branch: row.branch,
            enrollmentId: row.enrollmentId,
            leadId: row.leadId,
            variant: row.variant,
            actionId,
            note:
              completion.status === "sent" ? "free InMail (open profile)" : "reservation released",
          });
        }
        if (completion.releaseSlot) {
          await tx
            .update(usageCounter)
            .set({ used: sql`greatest(${usageCounter.used} - 1, 0)` })
            .where(
              and(
                eq(usageCounter.accountId, row.accountId),
                eq(usageCounter.localDate, row.localDate),
                inArray(usageCounter.kind, [row.kind, "total"]),
              ),
            );
        }
      });
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
        .where(eq(senderAccount.id, accountId));
    },
  };
}
