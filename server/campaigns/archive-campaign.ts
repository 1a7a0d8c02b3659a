import "server-only";

import type { z } from "zod";
import { changeCampaignStatus } from "@/db/queries/campaigns";
import type { Caller } from "../http/guard";
import { type campaignRefInput, requireCampaign } from "./housekeeping-shared";

/** Stops the campaign and hides it from the default list; its history stays. */
export async function archiveCampaign(caller: Caller, input: z.infer<typeof campaignRefInput>) {
  const row = await requireCampaign(caller, input.campaignId);
  if (row.status !== "archived") {
    await changeCampaignStatus(caller.db, caller.workspace.workspaceId, row.id, {
      from: ["draft", "running", "paused", "finished"],
      to: "archived",
      at: new Date(),
    });
  }
  return { id: row.id, status: "archived" as const };
}
