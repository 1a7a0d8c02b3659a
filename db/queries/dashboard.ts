import "server-only";

import { sql } from "drizzle-orm";
import { type Database, preparedOnce, queryRows } from "../client";

// What the campaign dashboard, the campaign list's figures and the enrollment export read.
// Every query takes the workspace and filters on it.

const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();

export interface CampaignCounter {
  campaignId: string;
  metric: string;
  key: string;
  n: number;
}

/**
 * The campaigns' counters (campaign_counter), summed over the connections' shards: a few
 * hundred rows per campaign, read through the primary key whatever the campaign's size.
 */
export async function campaignCounters(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
  metrics?: string[],
): Promise<CampaignCounter[]> {
  if (campaignIds.length === 0) return [];
  const rows = await queryRows<{ campaign_id: string; metric: string; key: string; n: string }>(
    db,
    sql`select campaign_id, metric, key, sum(n)::text as n
          from campaign_counter
         where workspace_id = ${workspaceId}
           and campaign_id in (${sql.join(
             campaignIds.map((id) => sql`${id}`),
             sql`, `,
           )})
           ${
             metrics
               ? sql`and metric in (${sql.join(
                   metrics.map((m) => sql`${m}`),
                   sql`, `,
                 )})`
               : sql``
           }
         group by campaign_id, metric, key
        having sum(n) <> 0`,
  );
  return rows.map((r) => ({
    campaignId: r.campaign_id,
    metric: r.metric,
    key: r.key,
    n: Number(r.n),
  }));
}

export interface CampaignListRow {
  id: string;
  name: string;
  status: string;
  published: boolean;
  createdAt: Date;
  accounts: Array<{ id: string; name: string; status: string }>;
  /** The campaign's `at`, `funnel` and `credits` counters. */
  counters: CampaignCounter[];
  lastActivityAt: Date | null;
}

/** The campaign list's statement, built once for each of its two lists, run prepared. */
const campaignListStatement = (archived: boolean) =>
  preparedOnce<{
    id: string;
    name: string;
    status: string;
    published: boolean;
    created_at: Date | string;
    accounts: CampaignListRow["accounts"];
    counters: Array<[string, string, number | string]>;
    last_activity_at: Date | string | null;
  }>(() => {
    const workspaceId = sql.placeholder("workspaceId");
    return sql`select c.id, c.name, c.status, c.live_version_id is not null as published, c.created_at,
               (select coalesce(json_agg(json_build_object('id', a.id, 'name', a.name,
                                                           'status', a.status)
                                         order by a.name, a.id), '[]')
                  from campaign_account ca
                  join sender_account a on a.id = ca.account_id and a.workspace_id = ${workspaceId}
                 where ca.workspace_id = ${workspaceId} and ca.campaign_id = c.id) as accounts,
               (select coalesce(json_agg(json_build_array(k.metric, k.key, k.n)), '[]')
                  from (select metric, key, sum(n) as n from campaign_counter
                         where workspace_id = ${workspaceId} and campaign_id = c.id
                           and metric in ('at', 'funnel', 'credits')
                         group by metric, key
                        having sum(n) <> 0) k) as counters,
               (select a.created_at from action a
                 where a.campaign_id = c.id and a.workspace_id = ${workspaceId}
                 order by a.created_at desc limit 1) as last_activity_at
          from campaign c
         where c.workspace_id = ${workspaceId}
           and ${archived ? sql`c.status = 'archived'` : sql`c.status <> 'archived'`}
         order by c.created_at desc, c.id`;
  });
const campaignRows = campaignListStatement(false);
const archivedCampaignRows = campaignListStatement(true);

/**
 * The workspace's campaigns (the archived ones, or the others), newest first, with what the
 * campaign list shows of each: its seats, its `at`, `funnel` and `credits` counters and the time
 * of its latest action, in one statement (each part through an index, per campaign).
 */
export async function campaignListRows(
  db: Database,
  workspaceId: string,
  options: { archived?: boolean } = {},
): Promise<CampaignListRow[]> {
  const rows = await (options.archived ? archivedCampaignRows : campaignRows)(db, {
    workspaceId,
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    status: row.status,
    published: row.published,
    createdAt: new Date(row.created_at),
    accounts: row.accounts,
    counters: row.counters.map(([metric, key, n]) => ({
      campaignId: row.id,
      metric,
      key,
      n: Number(n),
    })),
    lastActivityAt: row.last_activity_at ? new Date(row.last_activity_at) : null,
  }));
}

export interface FeedAction {
  id: string;
  at: string;
  sentAt: string | null;
  leadId: string;
  publicIdentifier: string;
  firstName: string;
  lastName: string;
  nodeId: string;
  kind: string;
  status: string;
  reason: string | null;
  variant: string | null;
  credits: number;
}

/** The campaign's latest actions, newest first (the index on (campaign_id, created_at)). */
export async function latestActions(
  db: Database,
  workspaceId: string,
  campaignId: string,
  limit: number,
): Promise<FeedAction[]> {
  const rows = await queryRows<{
    id: string;
    created_at: string | Date;
    sent_at: string | Date | null;
    lead_id: string;
    public_identifier: string;
    first_name: string;
    last_name: string;
    node_id: string;
    kind: string;
    status: string;
    reason: string | null;
    error: string | null;
    variant: string | null;
    credits: number;
  }>(
    db,
    sql`select a.id, a.created_at, a.sent_at, a.lead_id, l.public_identifier, l.first_name,
               l.last_name, a.node_id, a.kind, a.status, a.reason, a.error, a.variant, a.credits
          from (select * from action
                 where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
                 order by created_at desc, id desc
                 limit ${limit}) a
          join lead l on l.id = a.lead_id and l.workspace_id = ${workspaceId}
         order by a.created_at desc, a.id desc`,
  );
  return rows.map((r) => ({
    id: r.id,
    at: iso(r.created_at) as string,
    sentAt: iso(r.sent_at),
    leadId: r.lead_id,
    publicIdentifier: r.public_identifier,
    firstName: r.first_name,
    lastName: r.last_name,
    nodeId: r.node_id,
    kind: r.kind,
    status: r.status,
    reason: r.reason ?? r.error,
    variant: r.variant,
    credits: Number(r.credits),
  }));
}

/**
 * InMail credits each campaign used: spent, less what came back (released, free, refunded). The
 * sum is kept in campaign_counter (metric 'credits') by the credit ledger's triggers, so the
 * read is a handful of counter rows whatever the ledger's size.
 */
export async function creditsUsedByCampaign(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
): Promise<Map<string, number>> {
  const rows = await campaignCounters(db, workspaceId, campaignIds, ["credits"]);
  return new Map(rows.map((r) => [r.campaignId, r.n]));
}

export interface ExportRow {
  enrollmentId: string;
  publicIdentifier: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  state: string;
  nodeId: string;
  branch: string;
  outcome: string | null;
  reason: string | null;
  enrolledAt: string;
  updatedAt: string;
  /** Every step the lead left, in order, as `nodeId:exit`; the step it ended on last. */
  steps: Array<{ nodeId: string; exit: string | null }>;
}

/** One page of the campaign's enrollments for the export, in id order after `afterId`. */
export async function exportPage(
  db: Database,
  workspaceId: string,
  campaignId: string,
  afterId: string | null,
  limit: number,
): Promise<ExportRow[]> {
  const rows = await queryRows<{
    id: string;
    public_identifier: string;
    first_name: string;
    last_name: string;
    company: string;
    title: string;
    state: string;
    node_id: string;
    branch: string;
    outcome: string | null;
    reason: string | null;
    created_at: string | Date;
    updated_at: string | Date;
    steps: string | null;
  }>(
    db,
    sql`select e.id, l.public_identifier, l.first_name, l.last_name, l.company, l.title,
               e.state, e.node_id, e.branch, e.outcome, e.reason, e.created_at, e.updated_at,
               (select string_agg(s.node_id || chr(31) || coalesce(s.exit, ''), chr(30)
                                  order by s.id)
                  from enrollment_step s
                 where s.enrollment_id = e.id and s.workspace_id = ${workspaceId}) as steps
          from enrollment e
          join lead l on l.id = e.lead_id and l.workspace_id = ${workspaceId}
         where e.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}
           ${afterId === null ? sql`` : sql`and e.id > ${afterId}`}
         order by e.id
         limit ${limit}`,
  );
  return rows.map((r) => ({
    enrollmentId: r.id,
    publicIdentifier: r.public_identifier,
    firstName: r.first_name,
    lastName: r.last_name,
    company: r.company,
    title: r.title,
    state: r.state,
    nodeId: r.node_id,
    branch: r.branch,
    outcome: r.outcome,
    reason: r.reason,
    enrolledAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
    steps: r.steps
      ? r.steps.split("\u001e").map((part) => {
          const [nodeId = "", exit = ""] = part.split("\u001f");
          return { nodeId, exit: exit === "" ? null : exit };
        })
      : [],
  }));
}
