import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";

// What the campaign dashboard, the campaign list's figures and the enrollment export read.
// Every query takes the workspace and filters on it. The read model in server/dashboard.ts
// reads the engine's append-only tables in ranges (history and events by id, actions by time),
// so that a refresh reads only what is new.

const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();

/**
 * Enrollments still on the start step of the version they are pinned to: they have no history
 * yet. With an index on enrollment (workspace_id, campaign_id, node_id, state) this reads only
 * those rows.
 */
export async function activeAtStart(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<Array<{ nodeId: string; count: number }>> {
  const rows = await queryRows<{ node_id: string; n: number | string }>(
    db,
    sql`select e.node_id, count(*) as n
          from enrollment e
         where e.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}
           and e.state = 'active'
           and e.node_id in (
             select n ->> 'id'
               from workflow_version v
               cross join lateral jsonb_array_elements(v.graph -> 'nodes') as n
              where v.workspace_id = ${workspaceId} and v.campaign_id = ${campaignId}
                and n ->> 'kind' = 'start')
         group by e.node_id`,
  );
  return rows.map((r) => ({ nodeId: r.node_id, count: Number(r.n) }));
}

export interface EnrollmentPosition {
  enrollmentId: string;
  nodeId: string;
  state: string;
  /** The id of its latest history row; null while it has none (still on the start step). */
  lastStepId: number | null;
}

/**
 * Where each enrollment stands and the latest history row that put it there, read in one
 * statement so both come from the same snapshot: the cold start of the read model.
 */
export async function enrollmentPositions(
  db: Database,
  workspaceId: string,
  campaignId: string,
): Promise<EnrollmentPosition[]> {
  const rows = await queryRows<{
    id: string;
    node_id: string;
    state: string;
    last_step: string | number | null;
  }>(
    db,
    sql`select e.id, e.node_id, e.state,
               (select s.id from enrollment_step s
                 where s.enrollment_id = e.id
                 order by s.id desc limit 1) as last_step
          from enrollment e
         where e.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}`,
  );
  return rows.map((r) => ({
    enrollmentId: r.id,
    nodeId: r.node_id,
    state: r.state,
    lastStepId: r.last_step === null ? null : Number(r.last_step),
  }));
}

/** Positions of the shared history and event sequences: ids, not data of any workspace. */
export async function sequencePositions(db: Database): Promise<{ step: number; event: number }> {
  const [row] = await queryRows<{ step: string | number | null; event: string | number | null }>(
    db,
    sql`select (select max(id) from enrollment_step) as step,
               (select max(id) from inbound_event) as event`,
  );
  return { step: Number(row?.step ?? 0), event: Number(row?.event ?? 0) };
}

export interface ExitCount {
  nodeId: string;
  exit: string;
  count: number;
}

/** Exits taken from each step (history rows with an exit), for history ids in (after, upTo]. */
export async function exitCountsBetween(
  db: Database,
  workspaceId: string,
  campaignId: string,
  range: { after: number; upTo: number | null },
): Promise<ExitCount[]> {
  const rows = await queryRows<{ node_id: string; exit: string; n: number | string }>(
    db,
    sql`select s.node_id, s.exit, count(*) as n
          from enrollment_step s
          join enrollment e on e.id = s.enrollment_id
         where s.workspace_id = ${workspaceId} and e.workspace_id = ${workspaceId}
           and e.campaign_id = ${campaignId}
           and s.exit is not null
           and s.id > ${range.after}
           ${range.upTo === null ? sql`` : sql`and s.id <= ${range.upTo}`}
         group by s.node_id, s.exit`,
  );
  return rows.map((r) => ({ nodeId: r.node_id, exit: r.exit, count: Number(r.n) }));
}

export interface StepFact {
  id: number;
  enrollmentId: string;
  nodeId: string;
  exit: string | null;
  toNodeId: string | null;
  /** The enrollment's state now: final for a row without an exit (the run ended there). */
  state: string;
}

/**
 * The campaign's history rows with ids in (after, upTo], in id order. The range is read by id
 * and each row's enrollment looked up by key (a lateral join whose `limit 1` keeps the
 * planner from turning it into a hash join over the whole campaign), so a short range costs a few
 * index lookups however large the campaign.
 */
export async function stepsBetween(
  db: Database,
  workspaceId: string,
  campaignId: string,
  range: { after: number; upTo: number | null },
): Promise<StepFact[]> {
  const rows = await queryRows<{
    id: string | number;
    enrollment_id: string;
    node_id: string;
    exit: string | null;
    to_node_id: string | null;
    state: string;
  }>(
    db,
    sql`select s.id, s.enrollment_id, s.node_id, s.exit, s.to_node_id, e.state
          from enrollment_step s
          cross join lateral (
            select en.state from enrollment en
             where en.id = s.enrollment_id and en.workspace_id = ${workspaceId}
               and en.campaign_id = ${campaignId}
             limit 1) e
         where s.workspace_id = ${workspaceId}
           and s.id > ${range.after}
           ${range.upTo === null ? sql`` : sql`and s.id <= ${range.upTo}`}
         order by s.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    enrollmentId: r.enrollment_id,
    nodeId: r.node_id,
    exit: r.exit,
    toNodeId: r.to_node_id,
    state: r.state,
  }));
}

/** An action as the read model folds it. */
export interface ActionFact {
  id: string;
  enrollmentId: string;
  nodeId: string;
  kind: string;
  status: string;
  variant: string | null;
  hasText: boolean;
  localDate: string;
  createdAt: string;
  sentAt: string | null;
}

type RawActionFact = {
  id: string;
  enrollment_id: string;
  node_id: string;
  kind: string;
  status: string;
  variant: string | null;
  has_text: boolean;
  local_date: string | Date;
  created_at: string | Date;
  sent_at: string | Date | null;
};

function toActionFact(r: RawActionFact): ActionFact {
  return {
    id: r.id,
    enrollmentId: r.enrollment_id,
    nodeId: r.node_id,
    kind: r.kind,
    status: r.status,
    variant: r.variant,
    hasText: r.has_text,
    localDate:
      typeof r.local_date === "string" ? r.local_date : r.local_date.toISOString().slice(0, 10),
    createdAt: iso(r.created_at) as string,
    sentAt: iso(r.sent_at),
  };
}

const ACTION_FACT_COLUMNS = sql`id, enrollment_id, node_id, kind, status, variant, has_text,
  local_date::text as local_date, created_at, sent_at`;

/** The campaign's actions created after `after` (all of them when null), any status. */
export async function actionsCreatedAfter(
  db: Database,
  workspaceId: string,
  campaignId: string,
  after: string | null,
  upTo: string | null = null,
): Promise<ActionFact[]> {
  const rows = await queryRows<RawActionFact>(
    db,
    sql`select ${ACTION_FACT_COLUMNS}
          from action
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
           ${after === null ? sql`` : sql`and created_at > ${after}::timestamptz`}
           ${upTo === null ? sql`` : sql`and created_at <= ${upTo}::timestamptz`}`,
  );
  return rows.map(toActionFact);
}

/** Actions by id: intents the read model waits on to settle. */
export async function actionsById(
  db: Database,
  workspaceId: string,
  ids: string[],
): Promise<ActionFact[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<RawActionFact>(
    db,
    sql`select ${ACTION_FACT_COLUMNS}
          from action
         where workspace_id = ${workspaceId}
           and id in (${sql.join(
             ids.map((id) => sql`${id}`),
             sql`, `,
           )})`,
  );
  return rows.map(toActionFact);
}

/** The creation time of the campaign's newest action, and of the one `skip` places older. */
export async function actionTimes(
  db: Database,
  workspaceId: string,
  campaignId: string,
  skip = 0,
): Promise<string | null> {
  const [row] = await queryRows<{ created_at: string | Date }>(
    db,
    sql`select created_at from action
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
         order by created_at desc
         offset ${skip} limit 1`,
  );
  return row ? iso(row.created_at) : null;
}

/**
 * Per enrollment, what its settled actions (every status but `intent`) created up to `upTo`
 * add up to: the cold start of the read model, aggregated in the database so that a campaign
 * of 100,000 leads sends 100,000 rows rather than every action.
 */
export interface EnrollmentActionSummary {
  enrollmentId: string;
  visited: boolean;
  invitedAt: string | null;
  messagedAt: string | null;
  textedAt: string | null;
  /** [nodeId, variant, is an invitation, first sent time or null] per variant drawn. */
  variants: Array<[string, string, boolean, string | null]>;
}

export async function settledActionSummaries(
  db: Database,
  workspaceId: string,
  campaignId: string,
  upTo: string,
): Promise<EnrollmentActionSummary[]> {
  const rows = await queryRows<{
    enrollment_id: string;
    visited: boolean;
    invited_at: string | Date | null;
    messaged_at: string | Date | null;
    texted_at: string | Date | null;
    variants: string | null;
  }>(
    db,
    sql`select enrollment_id,
               bool_or(kind = 'visit' and status = 'sent') as visited,
               min(sent_at) filter (where kind = 'connect' and status = 'sent') as invited_at,
               min(sent_at) filter (where kind in ('message', 'inmail') and status = 'sent')
                 as messaged_at,
               min(sent_at) filter (where has_text and status = 'sent') as texted_at,
               string_agg(node_id || chr(31) || variant || chr(31)
                            || case when kind = 'connect' then '1' else '0' end || chr(31)
                            || coalesce(to_char(sent_at at time zone 'UTC',
                                                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ''),
                          chr(30)) filter (where variant is not null) as variants
          from action
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
           and status <> 'intent' and created_at <= ${upTo}::timestamptz
         group by enrollment_id`,
  );
  return rows.map((r) => ({
    enrollmentId: r.enrollment_id,
    visited: r.visited,
    invitedAt: iso(r.invited_at),
    messagedAt: iso(r.messaged_at),
    textedAt: iso(r.texted_at),
    variants: r.variants
      ? r.variants.split("\u001e").map((part) => {
          const [nodeId = "", variant = "", invitation = "", sentAt = ""] = part.split("\u001f");
          return [nodeId, variant, invitation === "1", sentAt === "" ? null : sentAt] as [
            string,
            string,
            boolean,
            string | null,
          ];
        })
      : [],
  }));
}

/** Intents among the campaign's actions created up to `upTo`: still waiting to settle. */
export async function intentIdsUpTo(
  db: Database,
  workspaceId: string,
  campaignId: string,
  upTo: string,
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select id from action
         where status = 'intent' and workspace_id = ${workspaceId}
           and campaign_id = ${campaignId} and created_at <= ${upTo}::timestamptz`,
  );
  return rows.map((r) => r.id);
}

/** Sent actions per sender-local date and kind, created up to `upTo` (settled rows only). */
export async function sentPerDayUpTo(
  db: Database,
  workspaceId: string,
  campaignId: string,
  upTo: string,
): Promise<Array<{ date: string; kind: string; count: number }>> {
  const rows = await queryRows<{ local_date: string; kind: string; n: number | string }>(
    db,
    sql`select local_date::text as local_date, kind, count(*) as n
          from action
         where workspace_id = ${workspaceId} and campaign_id = ${campaignId}
           and status = 'sent' and created_at <= ${upTo}::timestamptz
         group by local_date, kind`,
  );
  return rows.map((r) => ({ date: r.local_date, kind: r.kind, count: Number(r.n) }));
}

export interface LeadEventFact {
  id: number;
  enrollmentId: string;
  type: "accepted" | "replied";
  occurredAt: string;
}

interface LeadEventRow {
  id: string | number;
  enrollment_id: string;
  type: "accepted" | "replied";
  occurred_at: string | Date;
}

function toLeadEventFact(r: LeadEventRow): LeadEventFact {
  return {
    id: Number(r.id),
    enrollmentId: r.enrollment_id,
    type: r.type,
    occurredAt: iso(r.occurred_at) as string,
  };
}

/**
 * Acceptances and replies from the campaign's leads to the sender each lead is enrolled with,
 * for event ids in (after, upTo]: the range by id, each event's enrollment by key.
 */
export async function leadEventsBetween(
  db: Database,
  workspaceId: string,
  campaignId: string,
  range: { after: number; upTo: number | null },
): Promise<LeadEventFact[]> {
  const rows = await queryRows<LeadEventRow>(
    db,
    sql`select ev.id, e.id as enrollment_id, ev.type, ev.occurred_at
          from inbound_event ev
          cross join lateral (
            select en.id from enrollment en
             where en.lead_id = ev.lead_id and en.account_id = ev.account_id
               and en.workspace_id = ${workspaceId} and en.campaign_id = ${campaignId}
             limit 1) e
         where ev.workspace_id = ${workspaceId}
           and ev.type in ('accepted', 'replied')
           and ev.id > ${range.after}
           ${range.upTo === null ? sql`` : sql`and ev.id <= ${range.upTo}`}`,
  );
  return rows.map(toLeadEventFact);
}

/** The same for every event id up to `upTo`, in one join: the read model's cold start. */
export async function leadEventsUpTo(
  db: Database,
  workspaceId: string,
  campaignId: string,
  upTo: number,
): Promise<LeadEventFact[]> {
  const rows = await queryRows<LeadEventRow>(
    db,
    sql`select ev.id, e.id as enrollment_id, ev.type, ev.occurred_at
          from inbound_event ev
          join enrollment e on e.lead_id = ev.lead_id and e.account_id = ev.account_id
         where ev.workspace_id = ${workspaceId} and e.workspace_id = ${workspaceId}
           and e.campaign_id = ${campaignId}
           and ev.type in ('accepted', 'replied')
           and ev.id <= ${upTo}`,
  );
  return rows.map(toLeadEventFact);
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

/** InMail credits each campaign used: spent, less what came back (released, free, refunded). */
export async function creditsUsedByCampaign(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
): Promise<Map<string, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await queryRows<{ campaign_id: string; used: number | string | null }>(
    db,
    sql`select campaign_id,
               sum(case type when 'spend' then amount
                             when 'refund' then -amount
                             when 'adjustment' then -amount
                             else 0 end) as used
          from credit_ledger
         where workspace_id = ${workspaceId}
           and campaign_id in (${sql.join(
             campaignIds.map((id) => sql`${id}`),
             sql`, `,
           )})
         group by campaign_id`,
  );
  return new Map(rows.map((r) => [r.campaign_id, Number(r.used ?? 0)]));
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
