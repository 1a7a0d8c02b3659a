import "server-only";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { campaign } from "@/db/schema/index";
import { WEIGHT_MAX, WEIGHT_MIN } from "@/workflows/engine/priority";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

export const campaignWeightInput = z.object({
  campaignId: z.string().min(1).max(100),
  /** The campaign's share of a busy seat against other campaigns' sends of the same priority. */
  weight: z.number().int().min(WEIGHT_MIN).max(WEIGHT_MAX),
});

/** Sets the campaign's weight on the seats it shares; it applies to sends queued from now on. */
export async function updateCampaignWeight(
  caller: Caller,
  input: z.infer<typeof campaignWeightInput>,
) {
  const [row] = await caller.db
    .update(campaign)
    .set({ weight: input.weight })
    .where(
      and(
        eq(campaign.id, input.campaignId),
        eq(campaign.workspaceId, caller.workspace.workspaceId),
      ),
    )
    .returning({ weight: campaign.weight });
  if (!row) throw notFound("The campaign");
  return row;
}
