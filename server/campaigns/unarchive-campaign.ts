import "server-only";

import type { z } from "zod";
import { changeCampaignStatus } from "@/db/queries/campaigns";
import { conflict } from "../http/errors";
import type { Caller } from "../http/guard";
import { type campaignRefInput, requireCampaign } from "./housekeeping-shared";

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
