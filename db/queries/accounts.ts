import "server-only";

import { and, asc, count, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../client";
import {
  campaign,
  enrollment,
  lead,
  senderAccount,
  usageCounter,
  workflowVersion,
} from "../schema/index";

// Sender accounts as the accounts page and the campaign forms see them. Every query takes the
// workspace and reads or writes only inside it.

export type SenderAccountRow = typeof senderAccount.$inferSelect;

export async function listSenderAccounts(
  db: Database,
  workspaceId: string,
): Promise<SenderAccountRow[]> {
  return db
    .select()
    .from(senderAccount)
    .where(eq(senderAccount.workspaceId, workspaceId))
    .orderBy(asc(senderAccount.name), asc(senderAccount.id));
}

export async function findSenderAccount(
  db: Database,
  workspaceId: string,
  accountId: string,
): Promise<SenderAccountRow | null> {
  const [row] = await db
    .select()
    .from(senderAccount)
    .where(and(eq(senderAccount.workspaceId, workspaceId), eq(senderAccount.id, accountId)))
    .limit(1);
  return row ?? null;
}

/** The subset of `accountIds` that exist in the workspace. */
export async function existingSenderAccountIds(
  db: Database,
  workspaceId: string,
  accountIds: string[],
): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .select({ id: senderAccount.id })
    .from(senderAccount)
    .where(and(eq(senderAccount.workspaceId, workspaceId), inArray(senderAccount.id, accountIds)));
  return rows.map((row) => row.id);
}

export async function findSenderAccountByProviderId(
  db: Database,
  workspaceId: string,
  provider: string,
  providerAccountId: string,
): Promise<SenderAccountRow | null> {
  const [row] = await db
    .select()
    .from(senderAccount)
    .where(
      and(
        eq(senderAccount.workspaceId, workspaceId),
        eq(senderAccount.provider, provider),
        eq(senderAccount.providerAccountId, providerAccountId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Sets an account's status when it is currently one of `from`; returns false when it was not
 * (another status, or not in this workspace), so a stale click cannot undo the engine's own
 * decision (a restriction, say) by accident.
 */
export async function setSenderAccountStatus(
  db: Database,
  workspaceId: string,
  accountId: string,
  change: { from: string[]; to: string; reason: string | null; at?: Date },
): Promise<boolean> {
  const updated = await db
    .update(senderAccount)
    .set({
      status: change.to,
      statusReason: change.reason,
      coolingUntil: null,
      // The pause's start (engine time): a long pause hands the seat's leads over.
      ...(change.to === "paused" ? { pausedAt: change.at ?? new Date() } : {}),
    })
    .where(
      and(
        eq(senderAccount.workspaceId, workspaceId),
        eq(senderAccount.id, accountId),
        inArray(senderAccount.status, change.from),
      ),
    )
    .returning({ id: senderAccount.id });
  return updated.length > 0;
}

export interface UsageRow {
  accountId: string;
  localDate: string;
  kind: string;
  used: number;
}

/**
 * Usage counters of the workspace's accounts, each on the local dates asked for it (today in
 * its own time zone, and the days of the rolling connection window). Counters carry no
 * workspace, so the account join scopes them.
 */
export async function usageOfAccounts(
  db: Database,
  workspaceId: string,
  datesByAccount: ReadonlyMap<string, readonly string[]>,
): Promise<UsageRow[]> {
  const wanted = [...datesByAccount.entries()].filter(([, dates]) => dates.length > 0);
  if (wanted.length === 0) return [];
  return db
    .select({
      accountId: usageCounter.accountId,
      localDate: usageCounter.localDate,
      kind: usageCounter.kind,
      used: usageCounter.used,
    })
    .from(usageCounter)
    .innerJoin(senderAccount, eq(senderAccount.id, usageCounter.accountId))
    .where(
      and(
        eq(senderAccount.workspaceId, workspaceId),
        or(
          ...wanted.map(([accountId, dates]) =>
            and(eq(usageCounter.accountId, accountId), inArray(usageCounter.localDate, [...dates])),
          ),
        ),
      ),
    );
}

/**
 * Replaces an account's pacing settings (already parsed by PacingSettingsSchema); returns false
 * when the account is not in the workspace.
 */
export async function setSenderAccountPacing(
  db: Database,
  workspaceId: string,
  accountId: string,
  pacing: unknown,
): Promise<boolean> {
  const updated = await db
    .update(senderAccount)
    .set({ pacing })
    .where(and(eq(senderAccount.workspaceId, workspaceId), eq(senderAccount.id, accountId)))
    .returning({ id: senderAccount.id });
  return updated.length > 0;
}

export interface DueEnrollmentRow {
  enrollmentId: string;
  campaignId: string;
  campaignName: string;
  leadId: string;
  firstName: string;
  lastName: string;
  publicIdentifier: string;
  nodeId: string;
  nextRunAt: Date;
  accountId: string;
  versionId: string;
  queueKey: string;
  /** The published graph the enrollment is pinned to, to name its step. */
  graph: unknown;
}

/**
 * The account's queue as the engine sees it: its leads still in progress in running campaigns,
 * and the one due first (which may lie in the past when the account is paused or outside its
 * working hours).
 */
export async function accountQueue(
  db: Database,
  workspaceId: string,
  accountId: string,
): Promise<{ waiting: number; first: DueEnrollmentRow | null }> {
  const inRunningCampaigns = and(
    eq(enrollment.workspaceId, workspaceId),
    eq(enrollment.accountId, accountId),
    eq(enrollment.state, "active"),
    eq(campaign.status, "running"),
  );
  const [[total], [first]] = await Promise.all([
    db
      .select({ waiting: count() })
      .from(enrollment)
      .innerJoin(campaign, eq(campaign.id, enrollment.campaignId))
      .where(inRunningCampaigns),
    db
      .select({
        enrollmentId: enrollment.id,
        campaignId: campaign.id,
        campaignName: campaign.name,
        leadId: lead.id,
        firstName: lead.firstName,
        lastName: lead.lastName,
        publicIdentifier: lead.publicIdentifier,
        nodeId: enrollment.nodeId,
        nextRunAt: enrollment.nextRunAt,
        accountId: enrollment.accountId,
        versionId: enrollment.versionId,
        queueKey: enrollment.queueKey,
        graph: workflowVersion.graph,
      })
      .from(enrollment)
      .innerJoin(campaign, eq(campaign.id, enrollment.campaignId))
      .innerJoin(lead, eq(lead.id, enrollment.leadId))
      .innerJoin(workflowVersion, eq(workflowVersion.id, enrollment.versionId))
      .where(inRunningCampaigns)
      .orderBy(asc(enrollment.nextRunAt), asc(enrollment.queueKey))
      .limit(1),
  ]);
  return { waiting: Number(total?.waiting ?? 0), first: first ?? null };
}
