import "server-only";

import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import { customFieldNames } from "@/db/queries/leads";
import type { Caller } from "../http/guard";
import { stepSummary } from "./lead-shared";

/**
 * What the list's filters offer: the steps of a campaign's published workflow (when one is
 * chosen), in the graph's order, and the imported columns the workspace's leads carry.
 */
export async function leadFilterChoices(caller: Caller, campaignId: string | undefined) {
  const { db, workspace } = caller;
  const row = campaignId ? await findCampaign(db, workspace.workspaceId, campaignId) : null;
  const version = row?.liveVersionId
    ? await findLiveVersion(db, workspace.workspaceId, row.liveVersionId)
    : null;
  const graph = version?.graph as
    | { nodes?: Array<{ id: string; kind: string; config: unknown }> }
    | undefined;
  const steps = (graph?.nodes ?? [])
    .filter((node) => node.kind !== "start")
    .map((node) => ({ id: node.id, label: stepSummary(graph, node.id) }));
  return { steps, fields: await customFieldNames(db, workspace.workspaceId) };
}
