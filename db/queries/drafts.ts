import "server-only";

import { and, asc, desc, eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { campaign, enrollment, lead, workflowVersion } from "../schema/index";

// What the campaign editor reads and writes: the draft graph (saved with a compare-and-swap on
// its content hash), the published versions, and a few leads to preview texts with. Every
// query takes the workspace and filters on it.

export interface DraftRow {
  id: string;
  name: string;
  status: string;
  draftGraph: unknown;
  draftHash: string;
  liveVersionId: string | null;
  updatedAt: Date;
}

export async function findDraft(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<DraftRow | null> {
  const [row] = await db
    .select({
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      draftGraph: campaign.draftGraph,
      draftHash: campaign.draftHash,
      liveVersionId: campaign.liveVersionId,
      updatedAt: campaign.updatedAt,
    })
    .from(campaign)
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)))
    .limit(1);
  return row ?? null;
}

/**
 * Replaces the draft only if it is still the one the editor started from (`baseHash`): false
 * when another tab or person saved in between, and nothing is written.
 */
export async function swapDraft(
  db: Database,
  workspaceId: string,
  campaignId: string,
  change: { baseHash: string; graph: unknown; hash: string; at: Date },
): Promise<boolean> {
  const updated = await db
    .update(campaign)
    .set({ draftGraph: change.graph, draftHash: change.hash, updatedAt: change.at })
    .where(
      and(
        eq(campaign.workspaceId, workspaceId),
        eq(campaign.id, campaignId),
        eq(campaign.draftHash, change.baseHash),
      ),
    )
    .returning({ id: campaign.id });
  return updated.length > 0;
}

export interface VersionRow {
  id: string;
  version: number;
  graph: unknown;
  hash: string;
  publishedAt: Date;
}

export async function findVersion(
  db: Database,
  workspaceId: string,
  versionId: string,
): Promise<VersionRow | null> {
  const [row] = await db
    .select({
      id: workflowVersion.id,
      version: workflowVersion.version,
      graph: workflowVersion.graph,
      hash: workflowVersion.hash,
      publishedAt: workflowVersion.publishedAt,
    })
    .from(workflowVersion)
    .where(and(eq(workflowVersion.workspaceId, workspaceId), eq(workflowVersion.id, versionId)))
    .limit(1);
  return row ?? null;
}

export interface SampleLeadRow {
  publicIdentifier: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  custom: unknown;
}

/** A few leads to preview texts with: the campaign's own first, else any of the workspace. */
export async function sampleLeads(
  db: Database,
  workspaceId: string,
  campaignId: string,
  limit: number,
): Promise<SampleLeadRow[]> {
  const columns = {
    publicIdentifier: lead.publicIdentifier,
    firstName: lead.firstName,
    lastName: lead.lastName,
    company: lead.company,
    title: lead.title,
    custom: lead.custom,
  };
  const own = await db
    .select(columns)
    .from(enrollment)
    .innerJoin(lead, and(eq(lead.id, enrollment.leadId), eq(lead.workspaceId, workspaceId)))
    .where(and(eq(enrollment.workspaceId, workspaceId), eq(enrollment.campaignId, campaignId)))
    .orderBy(desc(enrollment.enrolledAt), asc(lead.publicIdentifier))
    .limit(limit);
  if (own.length > 0) return own;
  return db
    .select(columns)
    .from(lead)
    .where(eq(lead.workspaceId, workspaceId))
    .orderBy(desc(lead.createdAt), asc(lead.publicIdentifier))
    .limit(limit);
}

/** The custom field names the workspace's leads carry, for the editor's variable picker. */
export async function customFieldNames(
  db: Database,
  workspaceId: string,
  limit = 50,
): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select distinct jsonb_object_keys(custom) as name
          from lead
         where workspace_id = ${workspaceId} and jsonb_typeof(custom) = 'object'
         order by name
         limit ${limit}`,
  );
  return rows.map((row) => row.name);
}
