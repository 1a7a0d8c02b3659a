import "server-only";

import { z } from "zod";
import { openCampaignAlerts } from "@/db/engine/alerts";
import type { Caller } from "../http/guard";

export const campaignAlertsInput = z.object({ campaignId: z.string().min(1).max(100) });

/** The campaign's open alerts: held steps with what LinkedIn answered and the leads waiting. */
export async function listCampaignAlerts(
  caller: Caller,
  input: z.infer<typeof campaignAlertsInput>,
) {
  return openCampaignAlerts(caller.db, caller.workspace.workspaceId, input.campaignId);
}
