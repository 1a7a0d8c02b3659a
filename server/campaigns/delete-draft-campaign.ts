import "server-only";

import type { z } from "zod";
import { deleteUnpublishedDraft } from "@/db/queries/campaigns";
import { conflict } from "../http/errors";
import type { Caller } from "../http/guard";
import { type campaignRefInput, requireCampaign } from "./housekeeping-shared";

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
