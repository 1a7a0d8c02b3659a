import "server-only";

import { and, asc, desc, eq, ilike, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { releaseBookedPlaces } from "../engine/bookings";
import {
  action,
  campaign,
  campaignAccount,
  enrollment,
  enrollmentStep,
  lead,
  senderAccount,
  workflowVersion,
} from "../schema/index";
import { lockFinishingCampaigns, recordFinishedCampaigns } from "../webhooks/campaign-finished";
import { campaignCounters } from "./dashboard";

// What the campaign pages and the campaign API read and change. Every query takes the
// workspace and filters on it, so another workspace's ids simply find nothing.

export type CampaignRow = typeof campaign.$inferSelect;
export type CampaignStatus = "draft" | "running" | "paused" | "finished" | "archived";

/** An enrollment's states, as the engine writes them. */
export const ENROLLMENT_STATES = ["active", "done", "failed", "removed"] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];
export type EnrollmentCounts = Record<EnrollmentState, number> & { enrolled: number };

/** Joins the parts of a counter's key. */
const SEP = "\u001f";

export function emptyEnrollmentCounts(): EnrollmentCounts {
  return { enrolled: 0, active: 0, done: 0, failed: 0, removed: 0 };
}

export async function findCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<CampaignRow | null> {
  const [row] = await db
    .select()
    .from(campaign)
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)))
    .limit(1);
  return row ?? null;
}

/** Whether the workspace has this campaign: its key alone, never the row (a graph can be large). */
export async function campaignExists(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: campaign.id })
    .from(campaign)
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)))
    .limit(1);
  return row !== undefined;
}

/** The workspace's campaigns, newest first; archived ones only when asked for (and then only those). */
export async function listCampaignRows(
  db: Database,
  workspaceId: string,
  options: { archived?: boolean } = {},
): Promise<CampaignRow[]> {
  return db
    .select()
    .from(campaign)
    .where(
      and(
        eq(campaign.workspaceId, workspaceId),
        options.archived ? eq(campaign.status, "archived") : ne(campaign.status, "archived"),
      ),
    )
    .orderBy(desc(campaign.createdAt), asc(campaign.id));
}

/** Renames a campaign; false when it is not in this workspace. */
export async function renameCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
  name: string,
  at: Date,
): Promise<boolean> {
  const updated = await db
    .update(campaign)
    .set({ name, updatedAt: at })
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)))
    .returning({ id: campaign.id });
  return updated.length > 0;
}

/**
 * Deletes a campaign that was never published (its versions, accounts and enrollments go with
 * it by cascade; it has none of the last). False when it is published, or not in this workspace.
 */
export async function deleteUnpublishedDraft(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<boolean> {
  const deleted = await db
    .delete(campaign)
    .where(
      and(
        eq(campaign.workspaceId, workspaceId),
        eq(campaign.id, campaignId),
        eq(campaign.status, "draft"),
        isNull(campaign.liveVersionId),
      ),
    )
    .returning({ id: campaign.id });
  return deleted.length > 0;
}

/** The ids of every lead ever enrolled in the campaign, oldest enrollment first. */
export async function leadIdsOfCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<string[]> {
  const rows = await db
    .select({ leadId: enrollment.leadId })
    .from(enrollment)
    .where(and(eq(enrollment.workspaceId, workspaceId), eq(enrollment.campaignId, campaignId)))
    .orderBy(asc(enrollment.enrolledAt), asc(enrollment.id));
  return rows.map((row) => row.leadId);
}

export interface CampaignAccountRef {
  id: string;
  name: string;
  status: string;
}

/** The sender accounts of each campaign, by campaign id. */
export async function accountsOfCampaigns(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
): Promise<Map<string, CampaignAccountRef[]>> {
  const byCampaign = new Map<string, CampaignAccountRef[]>();
  if (campaignIds.length === 0) return byCampaign;
  const rows = await db
    .select({
      campaignId: campaignAccount.campaignId,
      id: senderAccount.id,
      name: senderAccount.name,
      status: senderAccount.status,
    })
    .from(campaignAccount)
    .innerJoin(senderAccount, eq(senderAccount.id, campaignAccount.accountId))
    .where(
      and(
        eq(campaignAccount.workspaceId, workspaceId),
        eq(senderAccount.workspaceId, workspaceId),
        inArray(campaignAccount.campaignId, campaignIds),
      ),
    )
    .orderBy(asc(senderAccount.name), asc(senderAccount.id));
  for (const { campaignId, ...account } of rows) {
    byCampaign.set(campaignId, [...(byCampaign.get(campaignId) ?? []), account]);
  }
  return byCampaign;
}

/** Enrollments per state, by campaign id. */
export async function enrollmentCountsOfCampaigns(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
): Promise<Map<string, EnrollmentCounts>> {
  const byCampaign = new Map<string, EnrollmentCounts>();
  for (const row of await campaignCounters(db, workspaceId, campaignIds, ["at"])) {
    const counts = byCampaign.get(row.campaignId) ?? emptyEnrollmentCounts();
    addEnrollmentCount(counts, row);
    byCampaign.set(row.campaignId, counts);
  }
  return byCampaign;
}

/** Adds one `at` counter (node␟state → enrollments) to a campaign's counts per state. */
export function addEnrollmentCount(counts: EnrollmentCounts, row: { key: string; n: number }) {
  const state = row.key.split(SEP)[1] ?? "";
  counts.enrolled += row.n;
  if ((ENROLLMENT_STATES as readonly string[]).includes(state)) {
    counts[state as EnrollmentState] += row.n;
  }
}

/** The time of each campaign's latest action (attempted or done), by campaign id. */
export async function lastActivityOfCampaigns(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
): Promise<Map<string, Date>> {
  if (campaignIds.length === 0) return new Map();
  // Per campaign, its newest action through the (campaign_id, created_at) index: one index
  // probe each, not a pass over every action of every campaign.
  const rows = await queryRows<{ id: string; at: string | Date | null }>(
    db,
    sql`select c.id,
               (select a.created_at from action a
                 where a.campaign_id = c.id and a.workspace_id = ${workspaceId}
                 order by a.created_at desc limit 1) as at
          from campaign c
         where c.workspace_id = ${workspaceId}
           and c.id in (${sql.join(
             campaignIds.map((id) => sql`${id}`),
             sql`, `,
           )})`,
  );
  return new Map(rows.flatMap((row) => (row.at ? [[row.id, new Date(row.at)] as const] : [])));
}

export async function findLiveVersion(db: Database, workspaceId: string, versionId: string) {
  const [row] = await db
    .select({
      id: workflowVersion.id,
      version: workflowVersion.version,
      graph: workflowVersion.graph,
      publishedAt: workflowVersion.publishedAt,
    })
    .from(workflowVersion)
    .where(and(eq(workflowVersion.workspaceId, workspaceId), eq(workflowVersion.id, versionId)))
    .limit(1);
  return row ?? null;
}

export interface NodeStateCount {
  nodeId: string;
  state: string;
  count: number;
}

/** How many of the campaign's enrollments stand at each node, per state (from its counters). */
export async function enrollmentsPerNode(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<NodeStateCount[]> {
  return (await campaignCounters(db, workspaceId, [campaignId], ["at"])).map((row) => {
    const [nodeId = "", state = ""] = row.key.split(SEP);
    return { nodeId, state, count: row.n };
  });
}

export async function recentActionsOfCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
  limit: number,
) {
  return db
    .select({
      id: action.id,
      at: action.createdAt,
      sentAt: action.sentAt,
      leadId: action.leadId,
      publicIdentifier: lead.publicIdentifier,
      firstName: lead.firstName,
      lastName: lead.lastName,
      nodeId: action.nodeId,
      kind: action.kind,
      status: action.status,
      reason: action.reason,
      error: action.error,
      credits: action.credits,
    })
    .from(action)
    .innerJoin(lead, and(eq(lead.id, action.leadId), eq(lead.workspaceId, workspaceId)))
    .where(and(eq(action.workspaceId, workspaceId), eq(action.campaignId, campaignId)))
    .orderBy(desc(action.createdAt), desc(action.id))
    .limit(limit);
}

/** The campaign's leads with where each one stands, newest enrollments first. */
export async function leadsOfCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
  options: { limit: number; search?: string },
) {
  // The search is a plain substring: LIKE's wildcards in it are matched literally.
  const pattern = options.search ? `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return db
    .select({
      leadId: lead.id,
      publicIdentifier: lead.publicIdentifier,
      firstName: lead.firstName,
      lastName: lead.lastName,
      company: lead.company,
      title: lead.title,
      enrollmentId: enrollment.id,
      accountId: enrollment.accountId,
      versionId: enrollment.versionId,
      queueKey: enrollment.queueKey,
      nodeId: enrollment.nodeId,
      state: enrollment.state,
      outcome: enrollment.outcome,
      nextRunAt: enrollment.nextRunAt,
      enrolledAt: enrollment.enrolledAt,
    })
    .from(enrollment)
    .innerJoin(lead, and(eq(lead.id, enrollment.leadId), eq(lead.workspaceId, workspaceId)))
    .where(
      and(
        eq(enrollment.workspaceId, workspaceId),
        eq(enrollment.campaignId, campaignId),
        pattern
          ? or(
              ilike(lead.publicIdentifier, pattern),
              ilike(sql`${lead.firstName} || ' ' || ${lead.lastName}`, pattern),
              ilike(lead.company, pattern),
            )
          : undefined,
      ),
    )
    .orderBy(desc(enrollment.enrolledAt), asc(lead.publicIdentifier))
    .limit(options.limit);
}

export async function findEnrollmentOfLead(
  db: Database,
  workspaceId: string,
  campaignId: string,
  leadId: string,
) {
  const [row] = await db
    .select({
      id: enrollment.id,
      state: enrollment.state,
      nodeId: enrollment.nodeId,
      branch: enrollment.branch,
    })
    .from(enrollment)
    .where(
      and(
        eq(enrollment.workspaceId, workspaceId),
        eq(enrollment.campaignId, campaignId),
        eq(enrollment.leadId, leadId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Takes an active lead out of a campaign: state `removed`, and its lease dropped, so that a
 * worker stepping it right now cannot write it back (its transition needs the lease). An action
 * that worker already started is not undone; the lead just goes no further.
 */
export async function removeEnrollment(
  db: Database,
  workspaceId: string,
  enrollmentId: string,
  change: { at: Date; note: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const chosen = sql`select id from enrollment
           where workspace_id = ${workspaceId} and id = ${enrollmentId} and state = 'active'`;
    await lockFinishingCampaigns(tx, chosen);
    await releaseBookedPlaces(tx, chosen);
    const [removed] = await tx
      .update(enrollment)
      .set({
        state: "removed",
        outcome: "removed",
        reason: change.note,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: change.at,
      })
      .where(
        and(
          eq(enrollment.workspaceId, workspaceId),
          eq(enrollment.id, enrollmentId),
          eq(enrollment.state, "active"),
        ),
      )
      .returning({ nodeId: enrollment.nodeId, branch: enrollment.branch });
    if (!removed) return false;
    await tx.insert(enrollmentStep).values({
      workspaceId,
      enrollmentId,
      at: change.at,
      nodeId: removed.nodeId,
      exit: null,
      toNodeId: null,
      branch: removed.branch,
      note: change.note,
    });
    // The campaign's last lead in progress, taken out by hand: the campaign finished.
    await recordFinishedCampaigns(
      tx,
      sql`select campaign_id from enrollment where id = ${enrollmentId}`,
    );
    return true;
  });
}

/**
 * Moves a campaign from one of `from` to `to`; false when it is in none of them (or not in this
 * workspace). Conditional, so two people clicking at once cannot resurrect a finished campaign.
 */
export async function changeCampaignStatus(
  db: Database,
  workspaceId: string,
  campaignId: string,
  change: { from: CampaignStatus[]; to: CampaignStatus; at: Date },
): Promise<boolean> {
  const updated = await db
    .update(campaign)
    .set({ status: change.to, updatedAt: change.at })
    .where(
      and(
        eq(campaign.workspaceId, workspaceId),
        eq(campaign.id, campaignId),
        inArray(campaign.status, change.from),
      ),
    )
    .returning({ id: campaign.id });
  return updated.length > 0;
}

/** The campaigns a sender account sends for. */
export async function campaignIdsOfAccount(
  db: Database,
  workspaceId: string,
  accountId: string,
): Promise<string[]> {
  const rows = await db
    .select({ campaignId: campaignAccount.campaignId })
    .from(campaignAccount)
    .where(
      and(eq(campaignAccount.workspaceId, workspaceId), eq(campaignAccount.accountId, accountId)),
    );
  return rows.map((row) => row.campaignId);
}
