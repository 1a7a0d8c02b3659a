import "server-only";

import {
  accountsOfCampaigns,
  emptyEnrollmentCounts,
  enrollmentCountsOfCampaigns,
  lastActivityOfCampaigns,
  listCampaignRows,
} from "@/db/queries/campaigns";
import type { CampaignSummary } from "@/views/campaigns";
import type { Caller } from "../http/guard";

export async function listCampaigns(
  caller: Caller,
  options: { archived?: boolean } = {},
): Promise<{ campaigns: CampaignSummary[] }> {
  const { db, workspace } = caller;
  const rows = await listCampaignRows(db, workspace.workspaceId, options);
  const ids = rows.map((row) => row.id);
  const [accounts, counts, lastActivity] = await Promise.all([
    accountsOfCampaigns(db, workspace.workspaceId, ids),
    enrollmentCountsOfCampaigns(db, workspace.workspaceId, ids),
    lastActivityOfCampaigns(db, workspace.workspaceId, ids),
  ]);
  return {
    campaigns: rows.map((row) => ({
      id: row.id,
      name: row.name,
      status: row.status,
      published: row.liveVersionId !== null,
      createdAt: row.createdAt,
      accounts: accounts.get(row.id) ?? [],
      counts: counts.get(row.id) ?? emptyEnrollmentCounts(),
      lastActivityAt: lastActivity.get(row.id) ?? null,
    })),
  };
}
