import "server-only";

import type { z } from "zod";
import { changeCampaignStatus, findCampaign } from "@/db/queries/campaigns";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { type campaignIdInput, describeCampaignStatus } from "./campaign-shared";

/** Resumes a paused campaign, or launches a draft: leads due meanwhile go on at once. */
export async function resumeCampaign(caller: Caller, input: z.infer<typeof campaignIdInput>) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "running") return { id: row.id, status: "running" as const };
  if (!row.liveVersionId) throw conflict("Publish the campaign's workflow before launching it.");
  const resumed = await changeCampaignStatus(db, workspace.workspaceId, row.id, {
    from: ["paused", "draft"],
    to: "running",
    at: new Date(),
  });
  if (!resumed) {
    throw conflict(`This campaign is ${describeCampaignStatus(row.status)}: it cannot run again.`);
  }
  return { id: row.id, status: "running" as const };
}
