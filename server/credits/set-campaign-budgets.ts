import "server-only";

import type { z } from "zod";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import { setCampaignBudgets } from "@/db/queries/pools";
import { budgetKey, CampaignBudgetsSchema } from "@/workflows/credits/budgets";
import { type AnyGraph, branchMap } from "@/workflows/graph/index";
import { HttpError, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { id } from "./pool-shared";

export const campaignBudgetsInput = CampaignBudgetsSchema.extend({ campaignId: id });

/** The budget keys of a campaign: one per branch reaching one of its InMail steps. */
export function budgetKeysOf(graph: AnyGraph): Set<string> {
  const map = branchMap(graph);
  const keys = new Set<string>();
  for (const node of graph.nodes) {
    if (node.kind !== "inmail") continue;
    for (const path of map.byNode.get(node.id) ?? []) keys.add(budgetKey(node.id, path.key));
  }
  return keys;
}

/**
 * Sets the campaign's InMail budgets: one for the whole campaign and one per branch row of the
 * budget panel. The engine reads them before each paid InMail; when one is used up the lead
 * takes the InMail's "not sent" exit with the reason `budget_reached`.
 */
export async function setBudgets(caller: Caller, input: z.infer<typeof campaignBudgetsInput>) {
  const { db, workspace } = caller;
  const campaign = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!campaign) throw notFound("Campaign");
  const live = campaign.liveVersionId
    ? await findLiveVersion(db, workspace.workspaceId, campaign.liveVersionId)
    : null;
  const keys = budgetKeysOf((live?.graph ?? campaign.draftGraph) as AnyGraph);
  const unknown = Object.keys(input.branches).filter((key) => !keys.has(key));
  if (unknown.length > 0) {
    const message = "No branch of this campaign reaches an InMail step with this key.";
    throw new HttpError(
      400,
      "invalid_input",
      `branches: ${message}`,
      Object.fromEntries(unknown.map((key) => [`branches.${key}`, [message]])),
    );
  }
  const budgets = { campaign: input.campaign, branches: input.branches };
  await setCampaignBudgets(db, workspace.workspaceId, campaign.id, budgets);
  return budgets;
}
