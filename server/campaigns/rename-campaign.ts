import "server-only";

import { z } from "zod";
import { renameCampaign } from "@/db/queries/campaigns";
import type { Caller } from "../http/guard";
import { campaignName, id, requireCampaign } from "./housekeeping-shared";

export const renameCampaignInput = z.object({ campaignId: id, name: campaignName });

export async function renameCampaignFor(
  caller: Caller,
  input: z.infer<typeof renameCampaignInput>,
) {
  const row = await requireCampaign(caller, input.campaignId);
  await renameCampaign(caller.db, caller.workspace.workspaceId, row.id, input.name, new Date());
  return { id: row.id, name: input.name };
}
