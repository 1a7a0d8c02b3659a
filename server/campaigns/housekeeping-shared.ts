import "server-only";

import { z } from "zod";
import { findCampaign } from "@/db/queries/campaigns";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

// Renaming, duplicating, archiving and deleting campaigns. Like every campaign operation, each
// looks the campaign up inside the caller's workspace first: another workspace's ids are "not
// found" and nothing of theirs changes. The server actions allow them to admins and owners.

export const id = z.string().min(1).max(100);

export const campaignName = z
  .string()
  .trim()
  .min(2, "Give the campaign a name of at least 2 characters.")
  .max(100, "A campaign name has at most 100 characters.");

export async function requireCampaign(caller: Caller, campaignId: string) {
  const row = await findCampaign(caller.db, caller.workspace.workspaceId, campaignId);
  if (!row) throw notFound("Campaign");
  return row;
}

export const campaignRefInput = z.object({ campaignId: id });
