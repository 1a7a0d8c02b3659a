import "server-only";

import { z } from "zod";
import { findCampaign } from "@/db/queries/campaigns";
import { removeLeadsFromCampaign } from "@/db/queries/leads";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { id, leadSelectionInput, selectedLeadIds } from "./lead-selection";

export const removeSelectedFromCampaignInput = z.object({
  selection: leadSelectionInput,
  campaignId: id,
});

/** Takes the selected leads out of one campaign; those it had already finished stay as they are. */
export async function removeSelectedFromCampaign(
  caller: Caller,
  input: z.infer<typeof removeSelectedFromCampaignInput>,
) {
  const row = await findCampaign(caller.db, caller.workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const leadIds = await selectedLeadIds(caller, input.selection);
  const removed = await removeLeadsFromCampaign(
    caller.db,
    caller.workspace.workspaceId,
    row.id,
    leadIds,
    { at: new Date(), note: `Removed from the campaign by ${caller.user.name}` },
  );
  return { campaignName: row.name, selected: leadIds.length, removed };
}
