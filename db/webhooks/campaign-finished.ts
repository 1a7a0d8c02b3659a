import "server-only";

import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { outboxCtes } from "./outbox";

/** The advisory lock class of a campaign's finishing leads (the second key: the campaign's hash). */
const CAMPAIGN_FINISH_LOCK = 7_317;

/**
 * Whether a campaign's last lead leaves is seen by a statement in its snapshot: two
 * transactions taking a campaign's last two leads out at once (two workers' flushes, a flush and
 * a removal by hand) would each see the other's lead still active, and neither would say the
 * campaign finished. Each takes this lock for the campaigns of the enrollments `enrollmentIds`
 * selects (in campaign order, held to the commit) before its change, so the second one's
 * statements start after the first committed and see its lead gone.
 */
export async function lockFinishingCampaigns(
  tx: Pick<Database, "execute">,
  enrollmentIds: SQL,
): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(${CAMPAIGN_FINISH_LOCK}, hashtext(c.campaign_id))
          from (select distinct e.campaign_id from enrollment e
                 where e.id in (${enrollmentIds})
                 order by e.campaign_id) c`,
  );
}

/**
 * Records `campaign.finished` for the campaigns `campaignIds` selects that have no lead in
 * progress left: after a change that just took leads in progress out of them (a flush finishing
 * them, a removal by hand, the blocklist), under lockFinishingCampaigns, so each one had one
 * before and has none now. The one place the event is written.
 */
export async function recordFinishedCampaigns(
  tx: Pick<Database, "execute">,
  campaignIds: SQL,
): Promise<void> {
  await tx.execute(
    sql`with ${outboxCtes(
      sql`select c.workspace_id, 'campaign.finished' as type,
                 jsonb_build_object('campaignId', c.id, 'name', c.name) as payload,
                 now() as occurred_at
            from campaign c
           where c.id in (${campaignIds})
             and not exists (select 1 from enrollment e
                              where e.campaign_id = c.id and e.state = 'active')`,
    )} select 1`,
  );
}
