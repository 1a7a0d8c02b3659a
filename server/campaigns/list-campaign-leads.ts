import "server-only";

import { z } from "zod";
import { findCampaign, leadsOfCampaign } from "@/db/queries/campaigns";
import { waitingReasonsOf } from "@/db/queries/waiting";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { id } from "./campaign-shared";

export const listCampaignLeadsInput = z.object({
  campaignId: id,
  /** Part of a name, company or public identifier. */
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export async function listCampaignLeads(
  caller: Caller,
  input: z.infer<typeof listCampaignLeadsInput>,
) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const leads = await leadsOfCampaign(db, workspace.workspaceId, row.id, {
    limit: input.limit,
    search: input.search || undefined,
  });
  const waiting = await waitingReasonsOf(
    db,
    workspace.workspaceId,
    leads.filter((l) => l.state === "active").map((l) => ({ ...l, id: l.enrollmentId })),
    engineNow(),
  );
  return {
    leads: leads.map(({ accountId: _a, versionId: _v, queueKey: _q, ...l }) => ({
      ...l,
      /** Why an active lead waits, in words. */
      waiting: waiting.get(l.enrollmentId)?.text ?? null,
    })),
  };
}
