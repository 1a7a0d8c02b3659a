import "server-only";

import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";

/**
 * Shard every compaction folds the connections' shards into. Backend pids are positive, so no
 * trigger ever writes it: only compaction does, one at a time (an advisory lock).
 */
export const COMPACTED_SHARD = 0;
/** Advisory lock key of the compaction ("campaign_counter" folded to 32 bits). */
const COMPACTION_LOCK = 0x0c0a7e11;

export interface CompactionResult {
  /** Shard rows folded into the compacted shard. */
  folded: number;
  /** Compacted rows left at zero and removed. */
  removed: number;
  /** False when another process was compacting: this call did nothing. */
  ran: boolean;
}

/**
 * Folds the dashboard counters' per-connection shards into one row per figure. Every
 * connection that ever moved a lead leaves its own rows (campaign_counter's shard is the
 * backend pid), so without this a long-lived install reads ever more rows per figure.
 *
 * Never waits for the engine: rows a transaction is still writing are skipped (SKIP LOCKED)
 * and folded next time, so the engine never queues behind compaction and no lock cycle can
 * form with it. The sums are unchanged: each row's value moves within one transaction.
 */
export async function compactCampaignCounters(
  db: Database,
  options: { batch?: number } = {},
): Promise<CompactionResult> {
  const batch = Math.max(1, Math.min(options.batch ?? 20_000, 100_000));
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${COMPACTION_LOCK}) as locked`,
    );
    if (!lock?.locked) return { folded: 0, removed: 0, ran: false };
    const [moved] = await queryRows<{ folded: string }>(
      tx,
      sql`with picked as (
            select campaign_id, metric, key, shard
              from campaign_counter
             where shard <> ${COMPACTED_SHARD}
             limit ${batch}
               for update skip locked
          ), moved as (
            delete from campaign_counter c
             using picked p
             where c.campaign_id = p.campaign_id and c.metric = p.metric
               and c.key = p.key and c.shard = p.shard
            returning c.workspace_id, c.campaign_id, c.metric, c.key, c.n
          ), folded as (
            insert into campaign_counter as c (workspace_id, campaign_id, metric, key, shard, n)
            select workspace_id, campaign_id, metric, key, ${COMPACTED_SHARD}, sum(n)
              from moved
             group by workspace_id, campaign_id, metric, key
            on conflict (campaign_id, metric, key, shard) do update set n = c.n + excluded.n
            returning 1
          )
          select (select count(*) from moved)::text as folded, (select count(*) from folded) as _`,
    );
    const removed = await queryRows<{ one: number }>(
      tx,
      sql`delete from campaign_counter
           where shard = ${COMPACTED_SHARD} and n = 0
          returning 1 as one`,
    );
    return { folded: Number(moved?.folded ?? 0), removed: removed.length, ran: true };
  });
}

/**
 * Folds lead_counter's per-connection shards into shard 0, as compactCampaignCounters does for
 * the campaigns: rows a transaction is still writing are skipped and folded next time, and each
 * workspace's total is unchanged (the rows move within one statement). Answers the shard rows
 * folded.
 */
export async function compactLeadCounters(
  db: Database,
  options: { batch?: number } = {},
): Promise<number> {
  const batch = Math.max(1, Math.min(options.batch ?? 20_000, 100_000));
  const [moved] = await queryRows<{ folded: string }>(
    db,
    sql`with picked as (
          select workspace_id, shard from lead_counter
           where shard <> ${COMPACTED_SHARD}
           limit ${batch}
             for update skip locked
        ), moved as (
          delete from lead_counter c
           using picked p
           where c.workspace_id = p.workspace_id and c.shard = p.shard
          returning c.workspace_id, c.n
        ), folded as (
          -- In one order, so two compactions never wait on each other's rows in a cycle.
          insert into lead_counter as c (workspace_id, shard, n)
          select workspace_id, ${COMPACTED_SHARD}, sum(n) from moved
           group by workspace_id
           order by workspace_id
          on conflict (workspace_id, shard) do update set n = c.n + excluded.n
          returning 1
        )
        select (select count(*) from moved)::text as folded, (select count(*) from folded) as _`,
  );
  return Number(moved?.folded ?? 0);
}
