/**
 * The seats' pending invitations and their withdrawals in the database (the engine's
 * InvitationStore, workflows/engine/withdrawals.ts). A withdrawal lives on its invitation's
 * action row (`withdrawal`, `withdrawal_at`): one invitation has at most one withdrawal, so the
 * row is its unique key, and the if-accepted step reads it from the actions it already loads.
 */
import "server-only";

import { type SQL, sql } from "drizzle-orm";
import { InvitationHygieneSchema } from "@/workflows/engine/invitations";
import { storedPacing } from "@/workflows/engine/pacing/settings";
import {
  type InvitationStore,
  nextWithdrawalAt,
  type PendingInvitation,
  type WithdrawalSeat,
} from "@/workflows/engine/withdrawals";
import { type Database, inList, queryRows } from "../client";

/**
 * An action row (alias `a`) that is an invitation still pending on LinkedIn: neither withdrawn
 * nor accepted. `accepted_at` is set by the database whenever its lead has accepted an
 * invitation from the seat (db/migrations/0023_accepted_invitations.sql), so this is the
 * predicate of action_pending_invitation_idx and a seat's pending rows are read from it alone.
 */
export function pendingInvitationSql(a: SQL): SQL {
  return sql`${a}.kind = 'connect' and ${a}.status in ('intent', 'sent') and ${a}.withdrawal is null
    and ${a}.accepted_at is null`;
}

/**
 * How many invitations are pending on each of these seats (absent: none), counted up to the
 * seat's pending ceiling: every reader only compares the count with the ceiling (a connect is
 * refused at it, the safety score's factor bottoms out at it, the reason reads "(400/400)"),
 * so a seat's count reads at most its ceiling's worth of rows from
 * action_pending_invitation_idx, whatever its history holds.
 */
export async function pendingInvitationCounts(
  db: Pick<Database, "execute">,
  accountIds: readonly string[],
  /** Read for a person: only that workspace's rows. */
  workspaceId?: string,
): Promise<Map<string, number>> {
  if (accountIds.length === 0) return new Map();
  const rows = await queryRows<{ account_id: string; pending: number }>(
    db,
    sql`select sa.id as account_id, ${pendingUpToCeilingSql} as pending
          from sender_account sa
         where sa.id in ${inList(accountIds)}
           ${workspaceId ? sql`and sa.workspace_id = ${workspaceId}` : sql``}`,
  );
  return new Map(
    rows.filter((r) => Number(r.pending) > 0).map((r) => [r.account_id, Number(r.pending)]),
  );
}

const pendingCeilingSql = sql`coalesce((sa.pacing->'invitations'->>'pendingCeiling')::int, ${InvitationHygieneSchema.parse({}).pendingCeiling})`;

/**
 * The pending invitations of the seat `sa` (a sender_account row of the outer query), counted up
 * to its ceiling: pendingInvitationCounts' figure, as an expression to put in another statement.
 * Read in the index's order (oldest first), so the scan stops at the ceiling: unordered, the
 * planner gathers every pending row of the seat into a bitmap first (20,000 for a busy seat,
 * several times slower).
 */
export const pendingUpToCeilingSql = sql`(select count(*)::int from (
    select 1 from action a
     where a.account_id = sa.id and ${pendingInvitationSql(sql`a`)}
     order by a.sent_at
     limit ${pendingCeilingSql}) up_to_ceiling)`;

const withdrawAfterDaysSql = sql`coalesce((sa.pacing->'invitations'->>'withdrawAfterDays')::int, 21)`;
const withdrawPerDaySql = sql`coalesce((sa.pacing->'invitations'->>'withdrawPerDay')::int, ${InvitationHygieneSchema.parse({}).withdrawPerDay})`;

/**
 * The next instant a withdrawal can happen on any usable seat, after `now` (the instant the
 * engine last ran at): the in-memory store's nextWithdrawalAt over the same rows. Each seat that
 * withdraws is read with its oldest pending invitation (action_pending_invitation_idx) and its
 * latest withdrawals, up to a day's cap (action_withdrawal_idx); the working hours are the
 * engine's own code (engine/withdrawals.ts).
 */
export async function nextWithdrawalWakeUp(
  db: Pick<Database, "execute">,
  now: Date,
): Promise<Date | null> {
  const rows = await queryRows<{
    provider_account_id: string;
    pacing: unknown;
    cooling_until: Date | string | null;
    oldest: Date | string | null;
    withdrawn: string[] | null;
  }>(
    db,
    sql`select sa.provider_account_id, sa.pacing, case when sa.status = 'cooling_down' then sa.cooling_until end as cooling_until,
               (select a.sent_at from action a
                 where a.account_id = sa.id and ${pendingInvitationSql(sql`a`)}
                   and a.status = 'sent' and a.sent_at is not null
                 order by a.sent_at limit 1) as oldest,
               (select json_agg(w.withdrawal_at) from (
                  select a.withdrawal_at from action a
                   where a.account_id = sa.id and a.withdrawal is not null
                   order by a.withdrawal_at desc
                   limit ${withdrawPerDaySql}) w) as withdrawn
          from sender_account sa
         where (sa.status = 'active' or (sa.status = 'cooling_down' and sa.cooling_until is not null))
           and ${withdrawAfterDaysSql} > 0 and ${withdrawPerDaySql} > 0`,
  );
  let next: Date | null = null;
  for (const row of rows) {
    if (row.oldest === null) continue;
    const at = nextWithdrawalAt(
      {
        providerAccountId: row.provider_account_id,
        pacing: storedPacing(row.pacing),
        oldestSentAt: new Date(row.oldest),
        usableFrom: row.cooling_until === null ? null : new Date(row.cooling_until),
        withdrawnAt: (row.withdrawn ?? []).map((at) => new Date(at)),
      },
      now,
    );
    if (at !== null && (next === null || at.getTime() < next.getTime())) next = at;
  }
  return next;
}

/** The earlier of `next` (the engine's other work) and the next withdrawal's wake-up. */
export async function earlierWithWithdrawals(
  db: Pick<Database, "execute">,
  now: Date,
  next: Date | null,
): Promise<Date | null> {
  const withdrawal = await nextWithdrawalWakeUp(db, now);
  if (withdrawal === null) return next;
  return next === null || withdrawal.getTime() < next.getTime() ? withdrawal : next;
}

interface PendingRow {
  id: string;
  enrollment_id: string;
  lead_id: string;
  reference: string | null;
  sent_at: Date | string;
}

const toPending = (row: PendingRow): PendingInvitation => ({
  actionId: row.id,
  enrollmentId: row.enrollment_id,
  leadId: row.lead_id,
  reference: row.reference,
  sentAt: new Date(row.sent_at),
});

export function createInvitationStore(db: Database): InvitationStore {
  return {
    async seatsToTidy(now, staleBefore) {
      const rows = await queryRows<{ id: string; provider_account_id: string; pacing: unknown }>(
        db,
        sql`select sa.id, sa.provider_account_id, sa.pacing
              from sender_account sa
             where (sa.status = 'active'
                    or (sa.status = 'cooling_down' and sa.cooling_until <= ${now.toISOString()}))
               and (exists (select 1 from action a
                             where a.account_id = sa.id and ${withdrawAfterDaysSql} > 0
                               and a.status = 'sent'
                               and a.sent_at <= ${now.toISOString()}::timestamptz
                                                - make_interval(days => ${withdrawAfterDaysSql})
                               and ${pendingInvitationSql(sql`a`)})
                    or exists (select 1 from action a
                                where a.account_id = sa.id and a.withdrawal = 'intent'
                                  and a.withdrawal_at < ${staleBefore.toISOString()}))
             order by sa.id`,
      );
      return rows.map(
        (r): WithdrawalSeat => ({
          id: r.id,
          providerAccountId: r.provider_account_id,
          pacing: storedPacing(r.pacing),
        }),
      );
    },

    // Each invitation read is checked against the acceptances themselves too, and marked if
    // one is found: an acceptance and an invitation to its lead committed at the same moment,
    // each unseen by the other's trigger, leave `accepted_at` unset. LinkedIn is never asked to
    // withdraw such an invitation, and it leaves the pending set here.
    async pendingInvitations(accountId, sentBy, limit) {
      const rows = await queryRows<PendingRow & { accepted_at: Date | string | null }>(
        db,
        sql`with due as (
              select a.id, a.enrollment_id, a.lead_id, a.reference, a.sent_at,
                     (select min(ev.occurred_at) from inbound_event ev
                       where ev.lead_id = a.lead_id and ev.account_id = a.account_id
                         and ev.type = 'accepted') as accepted_at
                from action a
               where a.account_id = ${accountId} and a.status = 'sent'
                 and a.sent_at <= ${sentBy.toISOString()}
                 and ${pendingInvitationSql(sql`a`)}
               order by a.sent_at, a.lead_id
               limit ${limit}),
            marked as (
              update action set accepted_at = due.accepted_at
                from due where action.id = due.id and due.accepted_at is not null)
            select * from due order by sent_at, lead_id`,
      );
      return rows.filter((row) => row.accepted_at === null).map(toPending);
    },

    async withdrawalsSince(accountId, since) {
      const rows = await queryRows<{ withdrawal_at: Date | string }>(
        db,
        sql`select withdrawal_at from action
             where account_id = ${accountId} and withdrawal is not null
               and withdrawal_at >= ${since.toISOString()}`,
      );
      return rows.map((r) => new Date(r.withdrawal_at));
    },

    async unfinishedWithdrawals(accountId, staleBefore) {
      const rows = await queryRows<PendingRow>(
        db,
        sql`select id, enrollment_id, lead_id, reference, sent_at from action
             where account_id = ${accountId} and withdrawal = 'intent'
               and withdrawal_at < ${staleBefore.toISOString()}
             order by withdrawal_at, id`,
      );
      return rows.map(toPending);
    },

    async beginWithdrawals({ accountId, actionIds, at, dayStart, perDay }) {
      if (actionIds.length === 0) return [];
      return db.transaction(async (tx) => {
        // The seat's row is the lock: two workers cannot both take the day's last withdrawal.
        await queryRows(tx, sql`select id from sender_account where id = ${accountId} for update`);
        const [done] = await queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from action
               where account_id = ${accountId} and withdrawal is not null
                 and withdrawal_at >= ${dayStart.toISOString()}`,
        );
        const room = Math.max(0, perDay - Number(done?.n ?? 0));
        if (room === 0) return [];
        const wanted = new Set(actionIds.slice(0, room));
        const rows = await queryRows<{ id: string }>(
          tx,
          sql`update action set withdrawal = 'intent', withdrawal_at = ${at.toISOString()}
               where id in ${inList(wanted)}
                 and account_id = ${accountId} and withdrawal is null and status = 'sent'
             returning id`,
        );
        const begun = new Set(rows.map((r) => r.id));
        return actionIds.filter((id) => begun.has(id));
      });
    },

    async finishWithdrawal(actionId, result, at) {
      if (result === "undo") {
        await queryRows(
          db,
          sql`update action set withdrawal = null, withdrawal_at = null
               where id = ${actionId} and withdrawal = 'intent'`,
        );
        return;
      }
      await db.transaction(async (tx) => {
        const rows = await queryRows<{ enrollment_id: string }>(
          tx,
          sql`update action set withdrawal = ${result}
               where id = ${actionId} and withdrawal = 'intent'
           returning enrollment_id`,
        );
        const enrollmentId = rows[0]?.enrollment_id;
        if (result !== "withdrawn" || !enrollmentId) return;
        // The lead waiting on this invitation looks again now (an if-accepted step exits).
        await queryRows(
          tx,
          sql`update enrollment set next_run_at = ${at.toISOString()}
               where id = ${enrollmentId} and state = 'active'
                 and next_run_at > ${at.toISOString()}
                 and (lease_expires_at is null or lease_expires_at < ${at.toISOString()})`,
        );
      });
    },
  };
}
