import "server-only";

import { z } from "zod";
import { findCampaign } from "@/db/queries/campaigns";
import { enrollLeads } from "@/db/queries/launch";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { id, leadSelectionInput, selectedLeadIds } from "./lead-selection";

/** The campaign, when it can take new leads; a clear refusal otherwise. */
async function campaignTakingLeads(caller: Caller, campaignId: string) {
  const row = await findCampaign(caller.db, caller.workspace.workspaceId, campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "finished")
    throw conflict("This campaign has finished: it takes no new leads.");
  if (row.status === "archived")
    throw conflict("This campaign is archived: it takes no new leads.");
  if (!row.liveVersionId) throw conflict("Publish the campaign's workflow before adding leads.");
  return row;
}

export const addSelectedToCampaignInput = z.object({
  selection: leadSelectionInput,
  campaignId: id,
  /** Enroll leads even while another campaign of the workspace is contacting them. */
  allowInOtherCampaigns: z.boolean().default(false),
});

export async function addSelectedToCampaign(
  caller: Caller,
  input: z.infer<typeof addSelectedToCampaignInput>,
) {
  const target = await campaignTakingLeads(caller, input.campaignId);
  const leadIds = await selectedLeadIds(caller, input.selection);
  const result = await enrollLeads(caller.db, caller.workspace.workspaceId, target.id, leadIds, {
    now: new Date(),
    allowInOtherCampaigns: input.allowInOtherCampaigns,
  });
  return {
    campaignName: target.name,
    selected: leadIds.length,
    enrolled: result.enrolled,
    skipped: {
      alreadyInCampaign: result.skippedAlreadyEnrolled,
      inOtherCampaign: result.skippedInOtherCampaign,
      blocklisted: result.skippedBlocked,
    },
  };
}
