import "server-only";

import {
  accountsOfCampaigns,
  type EnrollmentCounts,
  emptyEnrollmentCounts,
  enrollmentCountsOfCampaigns,
  lastActivityOfCampaigns,
  listCampaignRows,
} from "@/db/queries/campaigns";
import type { Caller } from "../http/guard";

export interface CampaignSummary {
  id: string;
  name: string;
  status: string;
  /** Whether a version was ever published: only then can it take leads or run. */
  published: boolean;
  createdAt: Date;
  accounts: Array<{ id: string; name: string; status: string }>;
  counts: EnrollmentCounts;
  lastActivityAt: Date | null;
}

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
