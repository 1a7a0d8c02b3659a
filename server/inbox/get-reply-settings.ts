import "server-only";

import { and, eq } from "drizzle-orm";
import { campaign } from "@/db/schema/index";
import type { Caller } from "../http/guard";

/** The campaign's out-of-office settings, or null for another workspace's campaign. */
export async function replySettingsOf(caller: Caller, campaignId: string) {
  const [row] = await caller.db
    .select({
      outOfOfficeAsReply: campaign.outOfOfficeAsReply,
      outOfOfficePauseDays: campaign.outOfOfficePauseDays,
    })
    .from(campaign)
    .where(
      and(eq(campaign.id, campaignId), eq(campaign.workspaceId, caller.workspace.workspaceId)),
    );
  return row ?? null;
}
