import "server-only";

import type { z } from "zod";
import { changeCampaignStatus, findCampaign } from "@/db/queries/campaigns";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { type campaignIdInput, describeCampaignStatus } from "./campaign-shared";

export async function pauseCampaign(caller: Caller, input: z.infer<typeof campaignIdInput>) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "paused") return { id: row.id, status: "paused" as const };
  const paused = await changeCampaignStatus(db, workspace.workspaceId, row.id, {
    from: ["running"],
    to: "paused",
    at: new Date(),
  });
  if (!paused) {
    throw conflict(
      `This campaign is ${describeCampaignStatus(row.status)}: only a running one can be paused.`,
    );
  }
  return { id: row.id, status: "paused" as const };
}
