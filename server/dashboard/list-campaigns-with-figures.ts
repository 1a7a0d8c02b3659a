import "server-only";

import { addEnrollmentCount, emptyEnrollmentCounts } from "@/db/queries/campaigns";
import { campaignListRows } from "@/db/queries/dashboard";
import type { CampaignListItem } from "@/views/dashboard";
import type { Caller } from "../http/guard";
import { figuresOf } from "./campaign-figures";
import { ratio } from "./dashboard-shared";

/**
 * The workspace's campaigns with their status, senders, counts, rates, credits, activity: one
 * statement (campaignListRows), the counters read as the campaign list and dashboard read them.
 */
export async function listCampaignsWithFigures(
  caller: Caller,
  options: { archived?: boolean } = {},
): Promise<{ campaigns: CampaignListItem[] }> {
  const { db, workspace } = caller;
  const rows = await campaignListRows(db, workspace.workspaceId, options);
  return {
    campaigns: rows.map(({ counters, ...c }) => {
      const counts = emptyEnrollmentCounts();
      let creditsUsed = 0;
      for (const row of counters) {
        if (row.metric === "at") addEnrollmentCount(counts, row);
        else if (row.metric === "credits") creditsUsed += row.n;
      }
      const { invited, accepted, texted, replied } = figuresOf(counters).funnel;
      return {
        ...c,
        counts,
        figures: {
          invited,
          accepted,
          texted,
          replied,
          acceptanceRate: ratio(accepted, invited),
          replyRate: ratio(replied, texted),
          creditsUsed,
        },
      };
    }),
  };
}
