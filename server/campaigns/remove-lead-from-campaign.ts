import "server-only";

import { z } from "zod";
import { findCampaign, findEnrollmentOfLead, removeEnrollment } from "@/db/queries/campaigns";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { id } from "./campaign-shared";

export const removeLeadInput = z.object({ campaignId: id, leadId: id });

export async function removeLeadFromCampaign(
  caller: Caller,
  input: z.infer<typeof removeLeadInput>,
) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const enrolled = await findEnrollmentOfLead(db, workspace.workspaceId, row.id, input.leadId);
  if (!enrolled) throw notFound("Lead");
  if (enrolled.state === "active") {
    await removeEnrollment(db, workspace.workspaceId, enrolled.id, {
      at: new Date(),
      note: `Removed from the campaign by ${caller.user.name}`,
    });
  }
  // Re-read: the engine may have finished the lead between the check and the update.
  const now = await findEnrollmentOfLead(db, workspace.workspaceId, row.id, input.leadId);
  if (now?.state !== "removed") {
    throw conflict(`This lead has already left the campaign (${now?.state ?? "gone"}).`);
  }
  return { campaignId: row.id, leadId: input.leadId, state: "removed" as const };
}
