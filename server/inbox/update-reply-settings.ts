import "server-only";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { campaign } from "@/db/schema/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

export const replySettingsInput = z.object({
  campaignId: z.string().min(1).max(100),
  /** An out-of-office reply stops the lead like any reply, instead of pausing it. */
  outOfOfficeAsReply: z.boolean(),
  /** How long an out-of-office reply without a return date pauses the lead. */
  outOfOfficePauseDays: z.number().int().min(1).max(90),
});

/** What a campaign does with out-of-office replies. */
export async function updateReplySettings(
  caller: Caller,
  input: z.infer<typeof replySettingsInput>,
) {
  const [row] = await caller.db
    .update(campaign)
    .set({
      outOfOfficeAsReply: input.outOfOfficeAsReply,
      outOfOfficePauseDays: input.outOfOfficePauseDays,
    })
    .where(
      and(
        eq(campaign.id, input.campaignId),
        eq(campaign.workspaceId, caller.workspace.workspaceId),
      ),
    )
    .returning({
      outOfOfficeAsReply: campaign.outOfOfficeAsReply,
      outOfOfficePauseDays: campaign.outOfOfficePauseDays,
    });
  if (!row) throw notFound("The campaign");
  return row;
}
