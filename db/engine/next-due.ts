/**
 * The next instant the engine has work after `now`, for the accelerated demo clock: it runs up
 * to that instant and waits there for the engine (workflows/engine/worker.ts runDueKeepingUp).
 */
import "server-only";

import { sql } from "drizzle-orm";
import { type Database, queryRows } from "@/db/client";
import { earlierWithWithdrawals } from "./invitations";

/**
 * The earliest of: a waiting lead the engine would claim (running campaign, working seat, its
 * step not held), a cooling-down seat with leads coming back to work, a sandbox acceptance or
 * reply to deliver, an invitation a seat can withdraw (nextWithdrawalWakeUp: inside its working
 * hours, under its day's cap). Work the engine would not claim does not hold the clock. Index
 * probes on the due and event indexes; across workspaces, as the claim is.
 */
export async function nextDueAfter(db: Database, now: Date): Promise<Date | null> {
  const at = now.toISOString();
  const rows = await queryRows<{ next: string | Date | null }>(
    db,
    sql`
    select least(
      (select e.next_run_at from enrollment e
         join campaign c on c.id = e.campaign_id
         join sender_account a on a.id = e.account_id
        where e.state = 'active' and e.next_run_at > ${at}
          and c.status = 'running' and a.status in ('active', 'cooling_down')
          and not exists (select 1 from campaign_alert h
                           where h.campaign_id = e.campaign_id and h.node_id = e.node_id
                             and h.hold_step and h.resolved_at is null)
        order by e.next_run_at limit 1),
      (select min(a.cooling_until) from sender_account a
        where a.status = 'cooling_down' and a.cooling_until > ${at}),
      (select min(s.occurred_at) from sandbox_event s
        where s.delivered_at is null and s.occurred_at > ${at})
    ) as next`,
  );
  return earlierWithWithdrawals(db, now, rows[0]?.next ? new Date(rows[0].next) : null);
}
