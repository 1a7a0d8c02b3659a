import "server-only";

import type { z } from "zod";
import {
  accountsOfCampaigns,
  type CampaignStatus,
  emptyEnrollmentCounts,
  enrollmentCountsOfCampaigns,
  enrollmentsPerNode,
  findCampaign,
  findLiveVersion,
  recentActionsOfCampaign,
} from "@/db/queries/campaigns";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import type { campaignIdInput } from "./campaign-shared";

export interface NodeCount {
  nodeId: string;
  kind: string | null;
  label: string;
  summary: string;
  /** Leads still in the campaign whose current step is this one. */
  waiting: number;
  /** Leads whose run ended here (finished, failed or removed). */
  ended: number;
}

const RECENT_ACTIONS = 50;

export async function describeCampaign(caller: Caller, input: z.infer<typeof campaignIdInput>) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const [live, accounts, counts, perNode, actions] = await Promise.all([
    row.liveVersionId ? findLiveVersion(db, workspace.workspaceId, row.liveVersionId) : null,
    accountsOfCampaigns(db, workspace.workspaceId, [row.id]),
    enrollmentCountsOfCampaigns(db, workspace.workspaceId, [row.id]),
    enrollmentsPerNode(db, workspace.workspaceId, row.id),
    recentActionsOfCampaign(db, workspace.workspaceId, row.id, RECENT_ACTIONS),
  ]);
  const graph = (live?.graph ?? row.draftGraph) as {
    nodes: Array<{ id: string; kind: string; config: unknown }>;
  };
  const nodes = new Map<string, NodeCount>();
  for (const node of graph.nodes) {
    const definition = findNodeDefinition(node.kind);
    nodes.set(node.id, {
      nodeId: node.id,
      kind: node.kind,
      label: definition?.label ?? node.kind,
      summary: definition?.summarize(node.config) ?? "A step of an unknown kind",
      waiting: 0,
      ended: 0,
    });
  }
  for (const count of perNode) {
    // Leads pinned to an older version may stand on a step the live graph no longer has.
    const node = nodes.get(count.nodeId) ?? {
      nodeId: count.nodeId,
      kind: null,
      label: "Earlier step",
      summary: "A step of an earlier version",
      waiting: 0,
      ended: 0,
    };
    if (count.state === "active") node.waiting += count.count;
    else node.ended += count.count;
    nodes.set(count.nodeId, node);
  }
  const summaryOf = (nodeId: string) =>
    nodes.get(nodeId)?.summary ?? "A step of an earlier version";
  return {
    id: row.id,
    name: row.name,
    status: row.status as CampaignStatus,
    stopOnReply: row.stopOnReply,
    outOfOfficeAsReply: row.outOfOfficeAsReply,
    outOfOfficePauseDays: row.outOfOfficePauseDays,
    weight: row.weight,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    liveVersion: live
      ? { id: live.id, version: live.version, publishedAt: live.publishedAt, graph: live.graph }
      : null,
    accounts: accounts.get(row.id) ?? [],
    counts: counts.get(row.id) ?? emptyEnrollmentCounts(),
    nodes: [...nodes.values()],
    recentActions: actions.map((a) => ({
      id: a.id,
      at: a.at,
      sentAt: a.sentAt,
      lead: {
        id: a.leadId,
        publicIdentifier: a.publicIdentifier,
        name: `${a.firstName} ${a.lastName}`.trim() || a.publicIdentifier,
      },
      nodeId: a.nodeId,
      node: summaryOf(a.nodeId),
      kind: a.kind,
      outcome: a.status,
      reason: a.reason ?? a.error,
      credits: a.credits,
    })),
  };
}

export type CampaignDetail = Awaited<ReturnType<typeof describeCampaign>>;
