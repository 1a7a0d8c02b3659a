import "server-only";

import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { outboxCtes } from "../webhooks/outbox";

/** A pool without its own threshold is low below this share of its monthly allowance. */
export const LOW_CREDIT_SHARE = 0.1;
/** The pool's low mark in SQL: its own threshold in credits, or the share of its allowance. */
const lowMark = sql.raw(`coalesce(low_threshold, allowance * ${LOW_CREDIT_SHARE})`);
/** A forfeit is announced this long before the renewal that causes it. */
export const FORFEIT_NOTICE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Announces credit pools running low and forfeits coming at the next renewal: `credits.low`
 * once per run below the low mark (a pool back above it may be announced again), and
 * `credits.forfeit_upcoming` once per renewal. Each announcement is a conditional update of the
 * pool in the statement that writes the event, so workers checking at once announce it once.
 */
export async function checkCreditAlerts(db: Database, now: Date) {
  const at = now.toISOString();
  const noticeFrom = new Date(now.getTime() + FORFEIT_NOTICE_MS).toISOString();
  return db.transaction(async (tx) => {
    // A pool back above the low mark ends its run.
    await tx.execute(
      sql`update credit_pool set low_since = null
           where low_since is not null and balance >= ${lowMark}`,
    );
    const [low] = await queryRows<{ n: number }>(
      tx,
      sql`with marked as (
            update credit_pool set low_since = ${at}::timestamptz
             where low_since is null and balance < ${lowMark}
            returning id, workspace_id, name, balance, allowance, ${lowMark} as low_mark
          ), ${outboxCtes(
            sql`select workspace_id, 'credits.low'::text as type,
                       jsonb_build_object('poolId', id, 'poolName', name, 'balance', balance,
                         'allowance', allowance, 'threshold', low_mark) as payload,
                       ${at}::timestamptz as occurred_at
                  from marked`,
          )}
          select (select count(*)::int from marked) as n`,
    );
    const [forfeit] = await queryRows<{ n: number }>(
      tx,
      sql`with marked as (
            update credit_pool set forfeit_warned_for = next_renewal_at
             where next_renewal_at is not null
               and next_renewal_at > ${at}::timestamptz
               and next_renewal_at <= ${noticeFrom}::timestamptz
               and balance + allowance > cap
               and forfeit_warned_for is distinct from next_renewal_at
            returning id, workspace_id, name, balance, allowance, cap, next_renewal_at
          ), ${outboxCtes(
            sql`select workspace_id, 'credits.forfeit_upcoming'::text as type,
                       jsonb_build_object('poolId', id, 'poolName', name, 'balance', balance,
                         'allowance', allowance, 'cap', cap,
                         'forfeit', balance + allowance - cap,
                         'renewalAt', next_renewal_at) as payload,
                       ${at}::timestamptz as occurred_at
                  from marked`,
          )}
          select (select count(*)::int from marked) as n`,
    );
    return { low: low?.n ?? 0, forfeit: forfeit?.n ?? 0 };
  });
}
