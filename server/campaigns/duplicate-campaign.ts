import "server-only";

import { z } from "zod";
import { accountsOfCampaigns, findLiveVersion, leadIdsOfCampaign } from "@/db/queries/campaigns";
import { createCampaign, createDraftCampaign, enrollLeads } from "@/db/queries/launch";
import type { Caller } from "../http/guard";
import { campaignName, id, requireCampaign } from "./housekeeping-shared";

export const duplicateCampaignInput = z.object({
  campaignId: id,
  name: campaignName.optional(),
  /** Enroll the source's leads in the copy too (it stays a draft until launched). */
  withLeads: z.boolean().default(false),
});

export interface DuplicateResult {
  id: string;
  name: string;
  /** Leads enrolled in the copy, and those the usual rules skipped. */
  leads: { enrolled: number; skipped: number };
}

/**
 * A new campaign from another's workflow and accounts, never running. Without leads it is an
 * unpublished draft of the source's draft. With leads, the source's live version is published
 * into the copy so its leads can wait there, enrolled under the usual rules (blocklisted people
 * and leads another campaign is still contacting are skipped), until someone launches it.
 */
export async function duplicateCampaign(
  caller: Caller,
  input: z.infer<typeof duplicateCampaignInput>,
): Promise<DuplicateResult> {
  const { db, workspace } = caller;
  const w = workspace.workspaceId;
  const row = await requireCampaign(caller, input.campaignId);
  const name = input.name ?? `Copy of ${row.name}`.slice(0, 100);
  const accountIds = (await accountsOfCampaigns(db, w, [row.id])).get(row.id)?.map((a) => a.id);
  const live = row.liveVersionId ? await findLiveVersion(db, w, row.liveVersionId) : null;
  if (input.withLeads && live && accountIds && accountIds.length > 0) {
    const { campaignId } = await createCampaign(db, w, {
      name,
      graph: live.graph,
      accountIds,
      stopOnReply: row.stopOnReply,
      status: "draft",
    });
    const leadIds = await leadIdsOfCampaign(db, w, row.id);
    const enrolled =
      leadIds.length === 0
        ? { enrolled: 0 }
        : await enrollLeads(db, w, campaignId, leadIds, { now: new Date() });
    return {
      id: campaignId,
      name,
      leads: { enrolled: enrolled.enrolled, skipped: leadIds.length - enrolled.enrolled },
    };
  }
  const { campaignId } = await createDraftCampaign(db, w, {
    name,
    graph: row.draftGraph,
    draftHash: row.draftHash,
    accountIds: accountIds ?? [],
  });
  return { id: campaignId, name, leads: { enrolled: 0, skipped: 0 } };
}
