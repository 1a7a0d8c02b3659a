// The facts behind "why does this lead wait": the steps, the seats, their pools, today's usage
// and the queues for the enrollments asked about, gathered in one statement for a whole list
// (or inside the statement of the page that lists them).
import "server-only";

import { and, eq, type Placeholder, type SQL, sql } from "drizzle-orm";
import { capsInForce, localDate, storedPacing } from "../../workflows/engine/pacing/index";
import {
  INVITATION_STEP_KINDS,
  QUEUE_COUNT_LIMIT,
  SENDING_STEP_KINDS,
  type WaitingReason,
  waitingReason,
  waitingStepOf,
} from "../../workflows/engine/waiting-reason";
import { isActionKind } from "../../workflows/nodes/catalog";
import { type Database, json, queryRows } from "../client";
import { pendingUpToCeilingSql } from "../engine/invitations";
import { enrollment } from "../schema/index";

/** An active enrollment as the pages already read it. */
export interface WaitingEnrollment {
  id: string;
  accountId: string;
  versionId: string;
  nodeId: string;
  nextRunAt: Date;
  queueKey: string;
}

/** What one active enrollment's reason is read from, as waitingFactsSql gives it. */
export interface EnrollmentWaitingFacts {
  id: string;
  accountId: string;
  /** Epoch milliseconds. */
  nextRunAt: number;
  /** The step's kind in the enrollment's graph ("" when the graph has no such step). */
  kind: string;
  /** Sends ahead of it on its seat (up to QUEUE_COUNT_LIMIT); null when its step needs none. */
  ahead: number | null;
  /** Usage of the step's action on its seat, by local date, around today. */
  used: Record<string, number> | null;
  /** Its campaign is paused: past its timers, that is why it waits. */
  campaignPaused: boolean;
}

/** What a seat contributes to its leads' reasons, as waitingFactsSql gives it. */
export interface SeatWaitingFacts {
  id: string;
  name: string;
  status: string;
  coolingUntil: number | null;
  nextFreeAt: number | null;
  pacing: unknown;
  poolBalance: number | null;
  poolRenewal: number | null;
  /** Pending invitations up to the ceiling; null when none of its leads is at an invitation. */
  pending: number | null;
}

/**
 * A constant list of step kinds as SQL literals, so the statement plans no list parameter (the
 * catalog's kinds are lower-case words: anything else is refused at load).
 */
function kindList(kinds: readonly string[]): SQL {
  for (const kind of kinds) {
    if (!/^[a-z_]+$/.test(kind)) throw new Error(`Unexpected step kind: ${kind}`);
  }
  return sql.raw(`(${kinds.map((kind) => `'${kind}'`).join(", ")})`);
}
const SENDING = kindList(SENDING_STEP_KINDS);
/** A literal, so a prepared statement's generic plan knows the range it reads. */
const QUEUE_HEAD = sql.raw(String(Math.trunc(QUEUE_COUNT_LIMIT)));
const INVITATIONS = kindList(INVITATION_STEP_KINDS);

const epochMs = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The local dates "today" can be anywhere on Earth at `now` (zones run from UTC−12 to UTC+14):
 * the usage of a seat's today is among the counters of these dates.
 */
/**
 * The instant waitingFactsSql works the reasons out at: the instant and the UTC dates around it
 * (a seat's local day is one of them), as values or as placeholders of a statement built once.
 */
export interface WaitingInstant {
  at: string | Placeholder;
  dates: ReadonlyArray<string | Placeholder>;
}

export const waitingInstantOf = (now: Date): WaitingInstant => ({
  at: now.toISOString(),
  dates: datesAround(now),
});

/** The UTC dates around an instant that a seat's local day can be: the day before, of, after. */
const DAY_SHIFTS = [-1, 0, 1];

/** Placeholders for a WaitingInstant, filled by waitingInstantValues. */
export const WAITING_INSTANT_PLACEHOLDERS: WaitingInstant = {
  at: sql.placeholder("waitingAt"),
  dates: DAY_SHIFTS.map((_, i) => sql.placeholder(`waitingDate${i}`)),
};

export function waitingInstantValues(now: Date): Record<string, string> {
  const values: Record<string, string> = { waitingAt: now.toISOString() };
  for (const [i, date] of datesAround(now).entries()) values[`waitingDate${i}`] = date;
  return values;
}

function datesAround(now: Date): string[] {
  return DAY_SHIFTS.map((shift) =>
    new Date(now.getTime() + shift * 86_400_000).toISOString().slice(0, 10),
  );
}

/**
 * Common table expressions (to follow `with`) that gather the facts behind the reasons of the
 * active enrollments `active` lists (columns id, account_id, version_id, node_id, next_run_at,
 * queue_key): `waiting_enrollment` (one row an enrollment, EnrollmentWaitingFacts' columns) and
 * `waiting_seat` (one `facts` JSON a seat of the workspace, SeatWaitingFacts). Each step's kind,
 * and whether its campaign is paused, is read once per version and step from the pinned graph;
 * the place in the seat's queue only for due leads at a sending step, and a seat's pending
 * invitations (counted up to its ceiling) only when one of its leads is at an invitation: the
 * steps whose reason can say so.
 *
 * Queue places are counted up to QUEUE_COUNT_LIMIT from one range of enrollment_seat_queue_idx
 * per seat, not per lead: the seat's first QUEUE_COUNT_LIMIT rows before its last lead asked
 * about hold every row that can count for any of its leads (a lead with that many rows before
 * it has all of them before it), so each lead's place is the number of those rows before it,
 * numbered in one pass over the seat's head and its leads.
 */
export function waitingFactsSql(
  workspaceId: string | Placeholder,
  active: SQL,
  now: Date | WaitingInstant,
): SQL {
  const { at, dates } = now instanceof Date ? waitingInstantOf(now) : now;
  return sql`waiting_active as materialized (${active}),
    waiting_kind as materialized (
      select s.version_id, s.node_id,
             jsonb_path_query_first(v.graph, '$.nodes[*] ? (@.id == $id).kind',
                                    jsonb_build_object('id', s.node_id)) #>> '{}' as kind,
             c.status = 'paused' as paused
        from (select distinct version_id, node_id from waiting_active) s
        join workflow_version v on v.id = s.version_id and v.workspace_id = ${workspaceId}
        join campaign c on c.id = v.campaign_id),
    waiting_queued as materialized (
      select a.id, a.account_id, a.next_run_at, a.queue_key
        from waiting_active a
        join waiting_kind k on k.version_id = a.version_id and k.node_id = a.node_id
       where k.kind in ${SENDING} and a.next_run_at <= ${at}::timestamptz),
    waiting_queue_head as materialized (
      select last.account_id, o.next_run_at, o.queue_key, o.id
        from (select distinct on (q.account_id) q.account_id, q.next_run_at, q.queue_key, q.id
                from waiting_queued q
               order by q.account_id, q.next_run_at desc, q.queue_key desc, q.id desc) last
        cross join lateral (
          select o.next_run_at, o.queue_key, o.id from enrollment o
           where o.account_id = last.account_id and o.state = 'active'
             and (o.next_run_at, o.queue_key, o.id) < (last.next_run_at, last.queue_key, last.id)
           order by o.next_run_at, o.queue_key, o.id
           limit ${QUEUE_HEAD}) o),
    waiting_place as materialized (
      select placed.id, placed.ahead from (
        -- A lead sorts before the head's row for itself, so it never counts itself.
        select x.id, x.lead,
               (count(*) filter (where not x.lead) over (
                  partition by x.account_id
                  order by x.next_run_at, x.queue_key, x.id, x.lead desc
                  rows unbounded preceding))::int as ahead
          from (select h.account_id, h.next_run_at, h.queue_key, h.id, false as lead
                  from waiting_queue_head h
                union all
                select q.account_id, q.next_run_at, q.queue_key, q.id, true
                  from waiting_queued q) x) placed
       where placed.lead),
    waiting_enrollment as materialized (
      select a.id, a.account_id as "accountId", ${epochMs(sql`a.next_run_at`)} as "nextRunAt",
             coalesce(k.kind, '') as kind, coalesce(k.paused, false) as "campaignPaused",
             case when k.kind in ${SENDING} and a.next_run_at <= ${at}::timestamptz
               then coalesce(wp.ahead, 0) end as ahead,
             (select json_object_agg(u.local_date, u.used) from usage_counter u
               where u.account_id = a.account_id and u.kind = k.kind
                 and u.local_date in (${sql.join(
                   dates.map((date) => sql`${date}::date`),
                   sql`, `,
                 )})) as used
        from waiting_active a
        left join waiting_kind k on k.version_id = a.version_id and k.node_id = a.node_id
        left join waiting_place wp on wp.id = a.id),
    waiting_seat as materialized (
      select json_build_object(
               'id', sa.id, 'name', sa.name, 'status', sa.status,
               'coolingUntil', ${epochMs(sql`sa.cooling_until`)},
               'nextFreeAt', ${epochMs(sql`sa.next_free_at`)}, 'pacing', sa.pacing,
               'poolBalance', cp.balance, 'poolRenewal', ${epochMs(sql`cp.next_renewal_at`)},
               'pending', case when exists (
                   select 1 from waiting_enrollment w
                    where w."accountId" = sa.id and w.kind in ${INVITATIONS})
                 then ${pendingUpToCeilingSql} end) as facts
        from sender_account sa
        left join credit_pool cp on cp.id = sa.credit_pool_id
       where sa.workspace_id = ${workspaceId}
         and sa.id in (select account_id from waiting_active))`;
}

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

/** The reasons, by enrollment id, from the facts waitingFactsSql gathered. */
export function waitingReasonsFromFacts(
  enrollments: readonly EnrollmentWaitingFacts[],
  seats: readonly SeatWaitingFacts[],
  now: Date,
): Map<string, WaitingReason> {
  const reasons = new Map<string, WaitingReason>();
  const seatById = new Map(seats.map((seat) => [seat.id, seat]));
  for (const e of enrollments) {
    const seat = seatById.get(e.accountId);
    if (!seat) continue;
    const pacing = storedPacing(seat.pacing);
    const kind = e.kind;
    const step = waitingStepOf(kind);
    const today = localDate(now, pacing.timeZone);
    reasons.set(
      e.id,
      waitingReason({
        now,
        step,
        nextRunAt: new Date(e.nextRunAt),
        seat: {
          name: seat.name,
          status: seat.status,
          coolingUntil: dateOrNull(seat.coolingUntil),
          nextFreeAt: dateOrNull(seat.nextFreeAt),
          hours: pacing,
          cap: isActionKind(kind)
            ? { used: e.used?.[today] ?? 0, limit: capsInForce(pacing, today)[kind] }
            : null,
          queuedAhead: e.ahead ?? 0,
          pendingInvitations:
            step.kind === "send" && step.isInvitation
              ? { pending: seat.pending ?? 0, ceiling: pacing.invitations.pendingCeiling }
              : null,
        },
        pool:
          seat.poolBalance === null
            ? null
            : { balance: seat.poolBalance, nextRenewalAt: dateOrNull(seat.poolRenewal) },
        budgetReached: false,
        campaignPaused: e.campaignPaused,
      }),
    );
  }
  return reasons;
}

/** Why each of these active enrollments waits, by enrollment id: one statement. */
export async function waitingReasonsOf(
  db: Database,
  workspaceId: string,
  enrollments: readonly WaitingEnrollment[],
  now: Date,
): Promise<Map<string, WaitingReason>> {
  if (enrollments.length === 0) return new Map();
  const given = enrollments.map((e) => ({
    id: e.id,
    account_id: e.accountId,
    version_id: e.versionId,
    node_id: e.nodeId,
    next_run_at: e.nextRunAt.toISOString(),
    queue_key: e.queueKey,
  }));
  const [row] = await queryRows<{
    enrollments: EnrollmentWaitingFacts[] | null;
    seats: SeatWaitingFacts[] | null;
  }>(
    db,
    sql`with ${waitingFactsSql(
      workspaceId,
      sql`select * from jsonb_to_recordset(${json(given)})
            as r(id text, account_id text, version_id text, node_id text,
                 next_run_at timestamptz, queue_key text)`,
      now,
    )}
        select (select json_agg(w) from waiting_enrollment w) as enrollments,
               (select json_agg(s.facts) from waiting_seat s) as seats`,
  );
  return waitingReasonsFromFacts(row?.enrollments ?? [], row?.seats ?? [], now);
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
