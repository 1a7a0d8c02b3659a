import "server-only";

import { type SQL, sql } from "drizzle-orm";

/** A row queued for its seat's next slot (workflows/engine/priority.ts), by its step state. */
export const queuedRow = (e: SQL) =>
  sql`(${e}.step_state->>'queueTag' is not null and (${e}.step_state->>'seq')::int = ${e}.step_seq)`;

/**
 * The head of each seat's queue among leads of running campaigns outside a held step: by
 * priority, fair-share tag, then queue key. Only a head is ever claimed from a queue.
 */
export const queueHeadsSql = sql`select distinct on (q.account_id) q.id, q.account_id
    from enrollment q join campaign qc on qc.id = q.campaign_id
   where q.state = 'active' and qc.status = 'running' and ${queuedRow(sql`q`)}
     and not exists (select 1 from campaign_alert qh
                      where qh.campaign_id = q.campaign_id and qh.node_id = q.node_id
                        and qh.hold_step and qh.resolved_at is null)
   order by q.account_id, (q.step_state->>'queuePriority')::int,
            (q.step_state->>'queueTag')::float8, q.queue_key`;
