import "server-only";

import { z } from "zod";
import {
  accountsOfCampaigns,
  changeCampaignStatus,
  deleteUnpublishedDraft,
  findCampaign,
  findLiveVersion,
  leadIdsOfCampaign,
  renameCampaign,
} from "@/db/queries/campaigns";
import { createCampaign, createDraftCampaign, enrollLeads } from "@/db/queries/launch";
import { conflict, notFound } from "./http/errors";
import type { Caller } from "./http/guard";

// Renaming, duplicating, archiving and deleting campaigns. Like every campaign operation, each
// looks the campaign up inside the caller's workspace first: another workspace's ids are "not
// found" and nothing of theirs changes. The server actions allow them to admins and owners.

const id = z.string().min(1).max(100);
const campaignName = z
  .string()
  .trim()
  .min(2, "Give the campaign a name of at least 2 characters.")
  .max(100, "A campaign name has at most 100 characters.");

async function requireCampaign(caller: Caller, campaignId: string) {
  const row = await findCampaign(caller.db, caller.workspace.workspaceId, campaignId);
  if (!row) throw notFound("Campaign");
  return row;
}

export const renameCampaignInput = z.object({ campaignId: id, name: campaignName });

export async function renameCampaignFor(
  caller: Caller,
  input: z.infer<typeof renameCampaignInput>,
) {
  const row = await requireCampaign(caller, input.campaignId);
  await renameCampaign(caller.db, caller.workspace.workspaceId, row.id, input.name, new Date());
  return { id: row.id, name: input.name };
}

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

export const campaignRefInput = z.object({ campaignId: id });

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

/** Back to the list, paused (or a draft if never published): nothing runs until resumed. */
export async function unarchiveCampaign(caller: Caller, input: z.infer<typeof campaignRefInput>) {
  const row = await requireCampaign(caller, input.campaignId);
  const to = row.liveVersionId ? ("paused" as const) : ("draft" as const);
  if (row.status !== "archived") throw conflict("This campaign is not archived.");
  const changed = await changeCampaignStatus(caller.db, caller.workspace.workspaceId, row.id, {
    from: ["archived"],
    to,
    at: new Date(),
  });
  if (!changed) throw conflict("This campaign is not archived.");
  return { id: row.id, status: to };
}

/** Deletes a draft that was never published; a published campaign can only be archived. */
export async function deleteDraft(caller: Caller, input: z.infer<typeof campaignRefInput>) {
  const row = await requireCampaign(caller, input.campaignId);
  const deleted = await deleteUnpublishedDraft(caller.db, caller.workspace.workspaceId, row.id);
  if (!deleted) {
    throw conflict(
      "Only a draft that was never published can be deleted: archive this campaign instead.",
    );
  }
  return { id: row.id, deleted: true as const };
}
