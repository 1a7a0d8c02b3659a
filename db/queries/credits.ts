import "server-only";

import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { BALANCE_SIGN, USED_SIGN } from "@/workflows/credits/ledger";
import { type Database, queryRows } from "../client";
import { creditPool, senderAccount } from "../schema/index";

// Reads behind the budget panel and the Credits page. Every query filters on the workspace.

const signCase = (table: Readonly<Record<string, number>>, type: SQL) =>
  sql`(case ${type} ${sql.join(
    Object.entries(table).map(([name, sign]) => sql.raw(`when '${name}' then ${sign}`)),
    sql` `,
  )} else 0 end)`;

/**
 * A ledger row's effect on its pool's balance, as SQL, from the ledger's one table of signs
 * (workflows/credits/ledger.ts). `alias` is the credit_ledger row's alias in the query.
 */
export const balanceDeltaSql = (alias: string) =>
  sql`(${signCase(BALANCE_SIGN, sql.raw(`${alias}.type`))} * ${sql.raw(`${alias}.amount`)})`;

/** A ledger row's effect on the credits its campaign used: 0 for one tied to no action. */
export const creditsUsedSql = (alias: string) =>
  sql`(case when ${sql.raw(`${alias}.action_id`)} is null then 0
            else ${signCase(USED_SIGN, sql.raw(`${alias}.type`))} * ${sql.raw(`${alias}.amount`)} end)`;

export type CreditPoolRow = typeof creditPool.$inferSelect;

export async function poolsOfWorkspace(db: Database, workspaceId: string) {
  return db
    .select()
    .from(creditPool)
    .where(eq(creditPool.workspaceId, workspaceId))
    .orderBy(asc(creditPool.createdAt), asc(creditPool.id));
}

export async function accountsOfPools(db: Database, workspaceId: string, poolIds: string[]) {
  if (poolIds.length === 0) return [];
  return db
    .select({
      id: senderAccount.id,
      name: senderAccount.name,
      poolId: senderAccount.creditPoolId,
      pacing: senderAccount.pacing,
    })
    .from(senderAccount)
    .where(
      and(eq(senderAccount.workspaceId, workspaceId), inArray(senderAccount.creditPoolId, poolIds)),
    );
}

/**
 * The balance at the end of each day that has ledger entries (UTC days), oldest first: from
 * pool_day_balance, which the ledger's triggers keep (one row per day, not a sum over the whole
 * ledger).
 */
export async function dailyBalances(db: Database, workspaceId: string, poolId: string) {
  const rows = await queryRows<{ day: string; delta: number }>(
    db,
    sql`select to_char(day, 'YYYY-MM-DD') as day, delta from pool_day_balance
         where workspace_id = ${workspaceId} and pool_id = ${poolId}
         order by day`,
  );
  let balance = 0;
  return rows.map((row) => {
    balance += row.delta;
    return { day: row.day, balance };
  });
}

/** Refunds owed and not yet posted, per pool. */
export async function pendingRefundsOfPools(db: Database, workspaceId: string) {
  return queryRows<{ pool_id: string; n: number }>(
    db,
    sql`select pool_id, count(*)::int as n from credit_refund
         where workspace_id = ${workspaceId} and posted_at is null group by pool_id`,
  );
}

/** Attempts at the campaign's InMail steps: actions, and refusals recorded only as history. */
export async function inmailAttemptsOfCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
  inmailNodeIds: string[],
) {
  if (inmailNodeIds.length === 0) return [];
  const nodes = sql.join(
    inmailNodeIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return queryRows<{
    node_id: string;
    branch: string;
    lead_id: string;
    kind: string;
    outcome: string;
    reason: string | null;
    credits: number;
  }>(
    db,
    sql`select a.node_id, a.branch, a.lead_id, a.kind, a.status as outcome, a.reason, a.credits
          from action a
         where a.workspace_id = ${workspaceId} and a.campaign_id = ${campaignId}
           and a.node_id in (${nodes}) and a.kind in ('inmail', 'message')
        union all
        select s.node_id, s.branch, e.lead_id, 'inmail', 'not_sent',
               substr(s.note, length('not sent: ') + 1), 0
          from enrollment_step s join enrollment e on e.id = s.enrollment_id
         where s.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}
           and s.node_id in (${nodes}) and s.note like 'not sent: %'
           and not exists (select 1 from action a
                            where a.enrollment_id = s.enrollment_id and a.node_id = s.node_id
                              and a.created_at = s.at)`,
  );
}

export async function ledgerOfCampaign(db: Database, workspaceId: string, campaignId: string) {
  return queryRows<{ type: string; amount: number; node_id: string | null; branch: string | null }>(
    db,
    sql`select type, amount, node_id, branch from credit_ledger
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId}`,
  );
}

export async function pendingRefundsOfCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
) {
  return queryRows<{ node_id: string; branch: string }>(
    db,
    sql`select a.node_id, a.branch from credit_refund r join action a on a.id = r.action_id
         where r.workspace_id = ${workspaceId} and r.posted_at is null
           and a.campaign_id = ${campaignId}`,
  );
}

/** Leads who replied to one of the campaign's InMails (in its chat when both sides know it). */
export async function inmailRepliesOfCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
) {
  return queryRows<{ node_id: string; branch: string; lead_id: string }>(
    db,
    sql`select a.node_id, a.branch, a.lead_id from action a
         where a.workspace_id = ${workspaceId} and a.campaign_id = ${campaignId}
           and a.kind = 'inmail' and a.status = 'sent'
           and exists (select 1 from inbound_event ev
                        where ev.lead_id = a.lead_id and ev.account_id = a.account_id
                          and ev.type = 'replied' and ev.occurred_at > a.sent_at
                          and (a.chat_id is null or ev.chat_id is null or ev.chat_id = a.chat_id))`,
  );
}

/** Active enrollments per current step, and how many leads finished without an InMail. */
export async function flightOfCampaign(db: Database, workspaceId: string, campaignId: string) {
  const active = await queryRows<{ node_id: string; n: number }>(
    db,
    sql`select node_id, count(*)::int as n from enrollment
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and state = 'active'
         group by node_id`,
  );
  const [finished] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from enrollment e
         where e.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}
           and e.state <> 'active'`,
  );
  return { active, finished: finished?.n ?? 0 };
}

/** Paid InMails the campaign sent since `since`, and when its first paid InMail went out. */
export async function paidInmailPace(
  db: Database,
  workspaceId: string,
  campaignId: string,
  since: Date,
): Promise<{ paid: number; first: Date | null }> {
  const [row] = await queryRows<{ n: number; first: string | Date | null }>(
    db,
    sql`select count(*) filter (where sent_at >= ${since.toISOString()})::int as n,
               min(sent_at) as first
          from action
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
           and kind = 'inmail' and status = 'sent' and credits > 0`,
  );
  return { paid: row?.n ?? 0, first: row?.first ? new Date(row.first) : null };
}
