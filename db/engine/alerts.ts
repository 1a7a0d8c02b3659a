import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { StepHold } from "@/workflows/engine/ports";
import type { Database, Transaction } from "../client";
import { closeNotifications, notifyWorkspace } from "../queries/notifications";
import { campaign, campaignAlert, enrollment } from "../schema/index";

/** The alert's title, in the campaign's words. */
export const HOLD_TITLE = "Outflow could not send";

/**
 * Holds a step: an open alert on (campaign, step) keeps its leads from being claimed, and the
 * workspace's admins are told. A second hold on a step already held changes nothing.
 */
export async function holdCampaignStep(tx: Transaction | Database, hold: StepHold) {
  const inserted = await tx
    .insert(campaignAlert)
    .values({
      id: randomUUID(),
      workspaceId: hold.workspaceId,
      campaignId: hold.campaignId,
      nodeId: hold.nodeId,
      holdStep: true,
      title: HOLD_TITLE,
      detail: hold.detail,
      createdAt: hold.at,
    })
    .onConflictDoNothing()
    .returning({ id: campaignAlert.id });
  if (inserted.length === 0) return;
  const [row] = await tx
    .select({ name: campaign.name })
    .from(campaign)
    .where(eq(campaign.id, hold.campaignId))
    .limit(1);
  await notifyWorkspace(tx, {
    workspaceId: hold.workspaceId,
    kind: "step_held",
    title: `${HOLD_TITLE}: a step of "${row?.name ?? "a campaign"}" is on hold`,
    body: `LinkedIn kept refusing the request (${hold.detail}). Its leads wait at that step; open the campaign to retry once it is fixed.`,
    link: `/campaigns/${hold.campaignId}`,
    dedupeKey: `hold|${hold.campaignId}|${hold.nodeId}`,
    at: hold.at,
  });
}

/** The campaign's open alerts, oldest first. */
export async function openCampaignAlerts(db: Database, workspaceId: string, campaignId: string) {
  return db
    .select({
      id: campaignAlert.id,
      nodeId: campaignAlert.nodeId,
      title: campaignAlert.title,
      detail: campaignAlert.detail,
      createdAt: campaignAlert.createdAt,
      leads: sql<number>`(select count(*)::int from enrollment e
                          where e.campaign_id = ${campaignAlert.campaignId}
                            and e.node_id = ${campaignAlert.nodeId} and e.state = 'active')`,
    })
    .from(campaignAlert)
    .where(
      and(
        eq(campaignAlert.workspaceId, workspaceId),
        eq(campaignAlert.campaignId, campaignId),
        isNull(campaignAlert.resolvedAt),
      ),
    )
    .orderBy(campaignAlert.createdAt);
}

/**
 * A person retries a held step: the alert closes and the step's leads are due at once. False
 * when no open alert of this workspace has that id.
 */
export async function releaseCampaignAlert(
  db: Database,
  workspaceId: string,
  alertId: string,
  at: Date,
): Promise<boolean> {
  const released = await db.transaction(async (tx) => {
    const [closed] = await tx
      .update(campaignAlert)
      .set({ resolvedAt: at })
      .where(
        and(
          eq(campaignAlert.id, alertId),
          eq(campaignAlert.workspaceId, workspaceId),
          isNull(campaignAlert.resolvedAt),
        ),
      )
      .returning({ campaignId: campaignAlert.campaignId, nodeId: campaignAlert.nodeId });
    if (!closed) return false;
    await tx
      .update(enrollment)
      .set({ nextRunAt: at })
      .where(
        and(
          eq(enrollment.campaignId, closed.campaignId),
          eq(enrollment.nodeId, closed.nodeId),
          eq(enrollment.state, "active"),
        ),
      );
    return closed;
  });
  if (!released) return false;
  await closeNotifications(db, workspaceId, `hold|${released.campaignId}|${released.nodeId}`, at);
  return true;
}
