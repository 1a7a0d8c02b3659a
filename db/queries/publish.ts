import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { LeadDestination } from "@/workflows/graph/index";
import { type Database, queryRows } from "../client";
import { releaseBookedPlaces } from "../engine/bookings";
import { campaign, workflowVersion } from "../schema/index";

// Publishing a draft: a new immutable workflow version, the campaign's live pointer moved to
// it, and every lead in flight moved onto it as the plan says, all in one transaction. Rows a
// worker is stepping right now (a live lease) are never touched: publishing then answers
// "busy" and changes nothing, and the caller may try again a moment later.

/** Leads in flight: active enrollments of the campaign, per pinned version and step. */
export interface InFlightGroup {
  versionId: string;
  nodeId: string;
  count: number;
}

export interface PinnedVersion {
  id: string;
  version: number;
  graph: unknown;
}

/** What happens to one group: stay on its step, move to another step, or end its run. */
export interface GroupMove {
  versionId: string;
  nodeId: string;
  to: LeadDestination;
}

export type PlanResult<Refusal> =
  | { ok: true; moves: GroupMove[] }
  | { ok: false; refusal: Refusal };

export interface LeadsMoved {
  stayed: number;
  moved: number;
  ended: number;
}

export type PublishOutcome<Refusal> =
  | { type: "published"; versionId: string; version: number; leads: LeadsMoved }
  | { type: "not_found" }
  | { type: "draft_changed" }
  /** Leads held by a worker right now; `count` is null when a lock wait timed out. */
  | { type: "busy"; count: number | null }
  | { type: "refused"; refusal: Refusal };

/** How long publishing waits for a row a worker has locked before calling the campaign busy. */
const LOCK_TIMEOUT = "2s";

/** PostgreSQL's lock_not_available, raised when lock_timeout runs out. */
function isLockTimeout(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === "55P03") return true;
  }
  return false;
}

/** Active enrollments per version and step, with the versions they are pinned to. */
export async function inFlightOfCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
  now: Date,
): Promise<{ groups: InFlightGroup[]; versions: PinnedVersion[]; busy: number }> {
  const rows = await queryRows<{
    version_id: string;
    node_id: string;
    count: number | string;
    busy: number | string;
  }>(
    db,
    sql`select version_id, node_id, count(*) as count,
               count(*) filter (where lease_owner is not null
                                  and lease_expires_at > ${now.toISOString()}::timestamptz) as busy
          from enrollment
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId} and state = 'active'
         group by version_id, node_id
         order by version_id, node_id`,
  );
  const groups = rows.map((row) => ({
    versionId: row.version_id,
    nodeId: row.node_id,
    count: Number(row.count),
  }));
  return {
    groups,
    versions: await pinnedVersions(db, workspaceId, groups),
    busy: rows.reduce((sum, row) => sum + Number(row.busy), 0),
  };
}

async function pinnedVersions(
  db: Pick<Database, "select">,
  workspaceId: string,
  groups: InFlightGroup[],
): Promise<PinnedVersion[]> {
  const ids = [...new Set(groups.map((group) => group.versionId))];
  if (ids.length === 0) return [];
  return db
    .select({
      id: workflowVersion.id,
      version: workflowVersion.version,
      graph: workflowVersion.graph,
    })
    .from(workflowVersion)
    .where(and(eq(workflowVersion.workspaceId, workspaceId), inArray(workflowVersion.id, ids)));
}

export async function nextVersionNumber(
  db: Pick<Database, "execute">,
  workspaceId: string,
  campaignId: string,
): Promise<number> {
  const [row] = await queryRows<{ next: number | string }>(
    db,
    sql`select coalesce(max(version), 0) + 1 as next from workflow_version
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId}`,
  );
  return Number(row?.next ?? 1);
}

/**
 * Publishes `version` as the campaign's next version if the draft is still `expectedDraftHash`,
 * and moves the leads in flight as `plan` decides, given every group and the versions they are
 * pinned to. The campaign row and every active enrollment are locked for the transaction, so
 * no worker claims a lead while it moves; a lead a worker already holds makes it "busy".
 */
export async function publishVersion<Refusal>(
  db: Database,
  workspaceId: string,
  campaignId: string,
  input: {
    expectedDraftHash: string;
    version: { graph: unknown; contentHash: string };
    now: Date;
    /** Why leads that end their run or move ended up there, for their history. */
    describe: (move: GroupMove, version: number) => string;
    plan: (groups: InFlightGroup[], versions: PinnedVersion[]) => PlanResult<Refusal>;
  },
): Promise<PublishOutcome<Refusal>> {
  const now = input.now.toISOString();
  try {
    return await db.transaction(async (tx): Promise<PublishOutcome<Refusal>> => {
      await tx.execute(sql.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`));
      const [row] = await tx
        .select({ draftHash: campaign.draftHash })
        .from(campaign)
        .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)))
        .for("update");
      if (!row) return { type: "not_found" };
      if (row.draftHash !== input.expectedDraftHash) return { type: "draft_changed" };

      // Locking every active row keeps workers from claiming any of them until we commit.
      const locked = await queryRows<{
        version_id: string;
        node_id: string;
        leased: boolean;
      }>(
        tx,
        sql`select version_id, node_id,
                   (lease_owner is not null and lease_expires_at > ${now}::timestamptz) as leased
              from enrollment
             where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
               and state = 'active'
             order by id
               for update`,
      );
      const busy = locked.filter((lockedRow) => lockedRow.leased).length;
      if (busy > 0) return { type: "busy", count: busy };

      const counts = new Map<string, InFlightGroup>();
      for (const lockedRow of locked) {
        const key = `${lockedRow.version_id}\u0000${lockedRow.node_id}`;
        const group = counts.get(key) ?? {
          versionId: lockedRow.version_id,
          nodeId: lockedRow.node_id,
          count: 0,
        };
        group.count += 1;
        counts.set(key, group);
      }
      const groups = [...counts.values()];
      const plan = input.plan(groups, await pinnedVersions(tx, workspaceId, groups));
      if (!plan.ok) return { type: "refused", refusal: plan.refusal };

      const version = await nextVersionNumber(tx, workspaceId, campaignId);
      const versionId = randomUUID();
      await tx.insert(workflowVersion).values({
        id: versionId,
        workspaceId,
        campaignId,
        version,
        graph: input.version.graph,
        hash: input.version.contentHash,
        publishedAt: input.now,
      });
      await tx
        .update(campaign)
        .set({ liveVersionId: versionId, updatedAt: input.now })
        .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)));

      const leads: LeadsMoved = { stayed: 0, moved: 0, ended: 0 };
      for (const move of plan.moves) {
        const where = sql`workspace_id = ${workspaceId} and campaign_id = ${campaignId}
                      and state = 'active' and version_id = ${move.versionId}
                      and node_id = ${move.nodeId}`;
        if (move.to.action === "stay") {
          // Same step, same kind: the lead keeps its step number and stored state (a drawn
          // wait, a planned send, a send awaiting reconciliation under its idempotency key).
          const stayed = await queryRows<{ id: string }>(
            tx,
            sql`update enrollment
                   set version_id = ${versionId}, lease_owner = null, lease_expires_at = null,
                       updated_at = ${now}::timestamptz
                 where ${where}
             returning id`,
          );
          leads.stayed += stayed.length;
          continue;
        }
        const note = input.describe(move, version);
        await releaseBookedPlaces(tx, sql`select id from enrollment where ${where}`);
        if (move.to.action === "move") {
          const moved = await queryRows<{ id: string }>(
            tx,
            sql`with moved as (
                  update enrollment
                     set version_id = ${versionId}, node_id = ${move.to.toNodeId},
                         step_seq = step_seq + 1, step_state = null, next_run_at = ${now}::timestamptz,
                         lease_owner = null, lease_expires_at = null, updated_at = ${now}::timestamptz
                   where ${where}
               returning id, workspace_id, branch
                )
                insert into enrollment_step
                       (workspace_id, enrollment_id, at, node_id, exit, to_node_id, branch, note)
                select workspace_id, id, ${now}::timestamptz, ${move.nodeId}, null, ${move.to.toNodeId},
                       branch, ${note}
                  from moved
             returning enrollment_id as id`,
          );
          leads.moved += moved.length;
          continue;
        }
        // Ended runs stay pinned to the version whose step they stopped on.
        const ended = await queryRows<{ id: string }>(
          tx,
          sql`with ended as (
                update enrollment
                   set state = 'done', outcome = 'ended', reason = ${note},
                       step_seq = step_seq + 1, step_state = null,
                       lease_owner = null, lease_expires_at = null, updated_at = ${now}::timestamptz
                 where ${where}
             returning id, workspace_id, branch
              )
              insert into enrollment_step
                     (workspace_id, enrollment_id, at, node_id, exit, to_node_id, branch, note)
              select workspace_id, id, ${now}::timestamptz, ${move.nodeId}, null, null, branch, ${note}
                from ended
           returning enrollment_id as id`,
        );
        leads.ended += ended.length;
      }
      return { type: "published", versionId, version, leads };
    });
  } catch (error) {
    if (isLockTimeout(error)) return { type: "busy", count: null };
    throw error;
  }
}
