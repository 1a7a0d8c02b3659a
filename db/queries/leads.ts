import "server-only";

import { randomUUID } from "node:crypto";
import {
  and,
  asc,
  desc,
  eq,
  ilike,
  inArray,
  or,
  type Placeholder,
  type SQL,
  sql,
} from "drizzle-orm";
import type { WaitingReason } from "../../workflows/engine/waiting-reason";
import { type Database, json, preparedOnce, queryRows, queryRowsPrepared } from "../client";
import { releaseBookedPlaces } from "../engine/bookings";
import {
  action,
  blocklistEntry,
  campaign,
  creditLedger,
  enrollment,
  enrollmentStep,
  inboundEvent,
  lead,
  senderAccount,
  workflowVersion,
} from "../schema/index";
import { lockFinishingCampaigns, recordFinishedCampaigns } from "../webhooks/campaign-finished";
import {
  type EnrollmentWaitingFacts,
  type SeatWaitingFacts,
  WAITING_INSTANT_PLACEHOLDERS,
  type WaitingInstant,
  waitingFactsSql,
  waitingInstantValues,
  waitingReasonsFromFacts,
} from "./waiting";

// What the leads pages and the leads API read and write: imports, the list with its filters,
// a lead's timeline across campaigns, and the workspace blocklist. Every query takes the
// workspace and filters on it, so another workspace's ids simply find nothing.

const countAll = sql<number>`count(*)`.mapWith(Number);

/** A LIKE pattern matching `search` anywhere, its wildcards taken literally. */
function containing(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A JSON text parameter: one bound value whatever the number of rows, on both drivers. */

// ---------------------------------------------------------------------------------------------
// Import

export interface LeadImportRow {
  publicIdentifier: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  custom: Record<string, string>;
}

export interface ImportedLeads {
  /** Lead ids, in the order of the rows given. */
  ids: string[];
  /** Leads that were new to the workspace. */
  created: number;
}

/** Rows per statement: a few megabytes of JSON at most. */
const IMPORT_BATCH = 5000;

/**
 * Writes leads in a few set-based statements (one JSON parameter per batch of thousands).
 * A lead already in the workspace keeps its row: imported non-empty values replace its
 * fields, empty ones never erase them, and custom fields are merged. The rows must have
 * distinct identifiers (the merge of duplicates happens before).
 */
export async function importLeadRows(
  db: Database,
  workspaceId: string,
  rows: LeadImportRow[],
  /** Awaited after each batch: an import that is being cancelled throws from it. */
  checkpoint: () => Promise<void> = async () => {},
): Promise<ImportedLeads> {
  const idOf = new Map<string, string>();
  let created = 0;
  // The same order in every import, so two imports that overlap cannot deadlock.
  const sorted = [...rows].sort((a, b) =>
    a.publicIdentifier < b.publicIdentifier ? -1 : a.publicIdentifier > b.publicIdentifier ? 1 : 0,
  );
  for (let start = 0; start < sorted.length; start += IMPORT_BATCH) {
    const batch = sorted.slice(start, start + IMPORT_BATCH).map((row) => ({
      id: randomUUID(),
      public_identifier: row.publicIdentifier,
      first_name: row.firstName,
      last_name: row.lastName,
      company: row.company,
      title: row.title,
      custom: row.custom,
    }));
    const proposed = new Set<string>(batch.map((row) => row.id));
    const written = await queryRows<{ id: string; public_identifier: string }>(
      db,
      sql`insert into lead as l (id, workspace_id, public_identifier, first_name, last_name,
                                 company, title, custom)
          select r.id, ${workspaceId}, r.public_identifier, r.first_name, r.last_name, r.company,
                 r.title, coalesce(r.custom, '{}'::jsonb)
            from jsonb_to_recordset(${json(batch)})
              as r(id text, public_identifier text, first_name text, last_name text,
                   company text, title text, custom jsonb)
          on conflict (workspace_id, public_identifier) do update set
            first_name = case when excluded.first_name <> '' then excluded.first_name
                              else l.first_name end,
            last_name = case when excluded.last_name <> '' then excluded.last_name
                             else l.last_name end,
            company = case when excluded.company <> '' then excluded.company else l.company end,
            title = case when excluded.title <> '' then excluded.title else l.title end,
            custom = l.custom || excluded.custom
          returning l.id, l.public_identifier`,
    );
    for (const row of written) {
      idOf.set(row.public_identifier, row.id);
      if (proposed.has(row.id)) created++;
    }
    await checkpoint();
  }
  return { ids: rows.map((row) => idOf.get(row.publicIdentifier)!), created };
}

// ---------------------------------------------------------------------------------------------
// The list

export const LEAD_STATUSES = ["active", "finished", "never", "replied", "blocklisted"] as const;
export type LeadStatusFilter = (typeof LEAD_STATUSES)[number];

export interface LeadFilter {
  /** Part of a name, company, title or public identifier. */
  search?: string;
  /** Only leads enrolled in this campaign; "active" and "finished" then speak of it. */
  campaignId?: string;
  status?: LeadStatusFilter;
  /** With a campaign: only its leads at this step now (still in progress there). */
  stepId?: string;
  /** An imported column (a custom field) and a part of its value. */
  field?: string;
  value?: string;
  /** Only leads whose newest reply (on any seat) has this category. */
  replyCategory?: string;
  /** Only these leads (a filter worked out beforehand, such as why leads wait). */
  leadIds?: readonly string[];
}

function leadConditions(workspaceId: string, filter: LeadFilter): SQL {
  const conditions: Array<SQL | undefined> = [eq(lead.workspaceId, workspaceId)];
  if (filter.search) {
    const pattern = containing(filter.search);
    conditions.push(
      or(
        ilike(lead.publicIdentifier, pattern),
        ilike(sql`${lead.firstName} || ' ' || ${lead.lastName}`, pattern),
        ilike(lead.company, pattern),
        ilike(lead.title, pattern),
      ),
    );
  }
  // Set conditions (`id in (subquery)`, one pass over the enrollments, hashed) rather than a
  // correlated EXISTS per lead: without statistics (PGlite never analyzes) the planner would
  // pair the lead index with the partial index of active rows and rescan those for every lead.
  const inCampaign = filter.campaignId ? sql`and e.campaign_id = ${filter.campaignId}` : sql``;
  const enrollments = (extra: SQL) =>
    sql`${lead.id} in (select e.lead_id from enrollment e
                        where e.workspace_id = ${workspaceId} ${inCampaign} ${extra})`;
  // Being in the campaign goes without saying when a narrower condition on its enrollments
  // follows (at a step, in progress, finished): each such condition is a lookup per lead read.
  const narrower = filter.stepId || filter.status === "active" || filter.status === "finished";
  if (filter.campaignId && !narrower) conditions.push(enrollments(sql``));
  if (filter.campaignId && filter.stepId) {
    conditions.push(enrollments(sql`and e.state = 'active' and e.node_id = ${filter.stepId}`));
  }
  if (filter.field) {
    // A lead without the column never matches; with no value, every lead that has it does.
    const pattern = filter.value ? containing(filter.value) : "%";
    conditions.push(sql`(${lead.custom} ->> ${filter.field}) ilike ${pattern}`);
  }
  if (filter.replyCategory) {
    conditions.push(
      sql`${lead.id} in (select c.lead_id from conversation c
                          where c.workspace_id = ${workspaceId} and c.has_reply
                            and c.category = ${filter.replyCategory})`,
    );
  }
  if (filter.leadIds) {
    conditions.push(
      filter.leadIds.length > 0
        ? sql`${lead.id} in (select jsonb_array_elements_text(${json(filter.leadIds)}))`
        : sql`false`,
    );
  }
  switch (filter.status) {
    case "active":
      conditions.push(enrollments(sql`and e.state = 'active'`));
      break;
    case "finished":
      conditions.push(enrollments(sql``), sql`not ${enrollments(sql`and e.state = 'active'`)}`);
      break;
    case "never":
      conditions.push(
        sql`not exists (select 1 from enrollment e
                         where e.workspace_id = ${workspaceId} and e.lead_id = ${lead.id})`,
      );
      break;
    case "replied":
      // The lead's first reply, as its row keeps it (what the list's "replied" mark reads).
      conditions.push(sql`${lead.repliedAt} is not null`);
      break;
    case "blocklisted":
      conditions.push(
        sql`exists (select 1 from blocklist_entry b
                     where b.workspace_id = ${workspaceId}
                       and b.public_identifier = ${lead.publicIdentifier})`,
      );
      break;
    case undefined:
      break;
  }
  return and(...conditions)!;
}

/**
 * How far the lead list counts its matches: beyond this, it says "10,000+" rather than reading
 * every matching lead for an exact figure (that count, over 100,000 leads, cost several times
 * the page itself).
 */
export const LEAD_COUNT_CAP = 10_000;

/** The workspace's leads as lead_counter holds them (the sum over its connections' shards). */
const leadsCounted = (workspaceId: string | Placeholder) =>
  sql`(select coalesce(sum(k.n), 0)::int from lead_counter k where k.workspace_id = ${workspaceId})`;

/**
 * The filter's total as the database's counters keep it, when they can say it: no filter at
 * all (lead_counter), or only a campaign with its step and "active" or "finished"
 * (campaign_counter's enrollments by step and state: one enrollment per lead and campaign, so
 * its enrollments there are its leads there). Null: the matching leads are counted.
 */
function countedTotal(workspaceId: string, filter: LeadFilter): SQL | null {
  if (filter.search || filter.field || filter.replyCategory || filter.leadIds) return null;
  if (!filter.campaignId) {
    return filter.status || filter.stepId ? null : leadsCounted(workspaceId);
  }
  if (filter.status && filter.status !== "active" && filter.status !== "finished") return null;
  // Keys are node␟state.
  const state = sql`split_part(k.key, chr(31), 2)`;
  const atStep = filter.stepId
    ? sql`and ${state} = 'active' and split_part(k.key, chr(31), 1) = ${filter.stepId}`
    : sql``;
  return sql`(select coalesce(sum(k.n), 0)::int from campaign_counter k
               where k.workspace_id = ${workspaceId} and k.campaign_id = ${filter.campaignId}
                 and k.metric = 'at' ${atStep}
                 ${filter.status === "active" ? sql`and ${state} = 'active'` : sql``}
                 ${filter.status === "finished" ? sql`and ${state} <> 'active'` : sql``})`;
}

/** The list's order, as lead_workspace_created_idx holds it (created_at is never null). */
const listOrder = sql`created_at desc nulls last, public_identifier`;

/** A lead of the page, as the first statement chooses it. */
interface LeadPageRow {
  id: string;
  public_identifier: string;
  first_name: string;
  last_name: string;
  company: string;
  title: string;
  created_at: Date | string;
  last_action_at: Date | string | null;
  replied_at: Date | string | null;
  position: string;
  counted?: number;
}

/** What the list shows of a lead of the page, as the second statement reads it. */
interface LeadDetailRow {
  id: string;
  campaigns: Array<{
    campaignId: string;
    name: string;
    state: string;
    paused: boolean;
    id: string;
    accountId: string;
    versionId: string;
    nodeId: string;
    nextRunAt: number;
    queueKey: string;
    waiting: EnrollmentWaitingFacts | null;
  }> | null;
  blocklisted: boolean;
  /** On the first row, with `waitingAt`: the seats of the page's leads in progress. */
  seats?: SeatWaitingFacts[] | null;
}

/**
 * One page of the workspace's leads, newest first, with what the list shows of each (campaigns,
 * last action, replied, blocklisted), and how many match: exact up to LEAD_COUNT_CAP, else the
 * cap with `totalCapped`. With a filter, two statements: the first chooses the page (planned
 * for its filter, whose selectivity the planner weighs) with each lead's last action and first
 * reply as the lead's row keeps them, and the total when the counters keep it (countedTotal;
 * else a capped count runs beside it); the second reads every lead's details, each found
 * through an index, and (given `waitingAt`) why its leads in progress wait. The second is the
 * same statement for every page whatever its filter, so it runs prepared: its parsing and
 * planning cost as much as running it. Without a filter, from the first page or a position,
 * both are one prepared statement (unfilteredPageStatement).
 */
export async function listLeadRows(
  db: Database,
  workspaceId: string,
  filter: LeadFilter & {
    limit: number;
    offset: number;
    /** Keyset paging: the rows after this one in the list's order (newest first, then A to Z). */
    after?: LeadListPosition;
    /** Work out why the page's leads in progress wait, at this instant. */
    waitingAt?: Date;
  },
) {
  let rows: LeadPageRow[];
  let details: LeadDetailRow[];
  let total: number | null = null;
  const counter = countedTotal(workspaceId, filter);
  if (isUnfiltered(filter) && filter.offset === 0) {
    // The unfiltered list (the first page or after a cursor): its plan is the same whatever the
    // values (the workspace's index, newest first), so the page and its details are one
    // statement, built once and run prepared: one trip to the database.
    rows = details = await unfilteredPageStatement(
      filter.after !== undefined,
      filter.limit,
      filter.waitingAt !== undefined,
    )(db, {
      workspaceId,
      afterAt: filter.after?.at ?? null,
      afterIdentifier: filter.after?.publicIdentifier ?? null,
      ...(filter.waitingAt ? waitingInstantValues(filter.waitingAt) : {}),
    });
  } else {
    // A filter's page is planned for its selectivity, so it goes alone, then its details.
    const where = leadConditions(workspaceId, filter);
    [rows, total] = await Promise.all([
      queryRows<LeadPageRow>(
        db,
        pageSql(where, counter, sql`${filter.limit}`, filter.after, filter.offset),
      ),
      counter
        ? null
        : queryRows<{ count: number }>(
            db,
            sql`select count(*)::int as count
                  from (select 1 from ${lead} where ${where} limit ${LEAD_COUNT_CAP + 1}) matching`,
          ).then(([row]) => Number(row?.count ?? 0)),
    ]);
    details = await leadDetailRows(db, workspaceId, rows, filter.waitingAt);
  }
  // Counted totals ride on the page's rows; a page past the end has none to carry them.
  let matching = total ?? Number(rows[0]?.counted ?? 0);
  if (counter && rows.length === 0) {
    const [row] = await queryRows<{ n: number }>(db, sql`select ${counter} as n`);
    matching = Number(row?.n ?? 0);
  }
  const now = filter.waitingAt;
  const waiting = now
    ? waitingReasonsFromFacts(
        details.flatMap((row) => (row.campaigns ?? []).flatMap((e) => e.waiting ?? [])),
        details[0]?.seats ?? [],
        now,
      )
    : new Map<string, WaitingReason>();
  const detailOf = new Map(details.map((row) => [row.id, row]));
  return {
    /** With `waitingAt`: why each enrollment in progress on the page waits, by its id. */
    waiting,
    rows: rows.map((row) => {
      const detail = detailOf.get(row.id);
      const enrollments = (detail?.campaigns ?? []).map(({ nextRunAt, waiting: _w, ...ref }) => ({
        ...ref,
        nextRunAt: new Date(nextRunAt),
      }));
      return {
        id: row.id,
        publicIdentifier: row.public_identifier,
        firstName: row.first_name,
        lastName: row.last_name,
        company: row.company,
        title: row.title,
        createdAt: new Date(row.created_at),
        position: { at: row.position, publicIdentifier: row.public_identifier },
        campaigns: enrollments.map((e): LeadCampaignRef & { enrollment: LeadListEnrollment } => ({
          campaignId: e.campaignId,
          name: e.name,
          state: e.state,
          paused: e.paused,
          enrollment: { ...e, leadId: row.id },
        })),
        lastActivityAt: row.last_action_at ? new Date(row.last_action_at) : null,
        replied: row.replied_at !== null,
        blocklisted: detail?.blocklisted ?? false,
      };
    }),
    total: Math.min(matching, LEAD_COUNT_CAP),
    totalCapped: matching > LEAD_COUNT_CAP,
  };
}

/**
 * The statement choosing a page: the leads `where` picks in the list's order, `limit` of them,
 * after a position or from an offset, with the counted total (`counter`) on each row.
 */
function pageSql(
  where: SQL,
  counter: SQL | null,
  limit: SQL,
  after: { at: string | Placeholder; publicIdentifier: string | Placeholder } | undefined,
  offset: number,
): SQL {
  const columns = sql`${lead.id}, ${lead.publicIdentifier}, ${lead.firstName}, ${lead.lastName},
    ${lead.company}, ${lead.title}, ${lead.createdAt}, ${lead.lastActionAt}, ${lead.repliedAt},
    to_char(${lead.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position`;
  const counted = counter ? sql`, ${counter} as counted` : sql``;
  // After a position, the rows tied with it on created_at (from the identifier on) and the older
  // ones: two ranges of the index, each read in its order, rather than one range filtered (an
  // import gives all its leads one creation time: a filter would re-read the whole import).
  return after
    ? sql`select u.* ${counted} from (
            (select ${columns} from ${lead}
              where ${where} and ${lead.createdAt} = ${after.at}::timestamptz
                and ${lead.publicIdentifier} > ${after.publicIdentifier}
              order by ${listOrder} limit ${limit})
            union all
            (select ${columns} from ${lead}
              where ${where} and ${lead.createdAt} < ${after.at}::timestamptz
              order by ${listOrder} limit ${limit})
          ) u order by ${listOrder} limit ${limit}`
    : sql`select ${columns} ${counted} from ${lead} where ${where}
           order by ${listOrder} limit ${limit} ${offset > 0 ? sql`offset ${offset}` : sql``}`;
}

/**
 * The unfiltered page and its details as one statement, built once for each shape (after a
 * position or not, the page's size, with reasons or not) with placeholders for its values. Its
 * limit is in its text, so the prepared plan knows how many rows it reads.
 */
const unfilteredPages = new Map<
  string,
  ReturnType<typeof preparedOnce<LeadPageRow & LeadDetailRow>>
>();
function unfilteredPageStatement(after: boolean, limit: number, withReasons: boolean) {
  const key = `${after}|${limit}|${withReasons}`;
  let statement = unfilteredPages.get(key);
  if (!statement) {
    statement = preparedOnce<LeadPageRow & LeadDetailRow>(() => {
      const workspaceId = sql.placeholder("workspaceId");
      const page = pageSql(
        sql`${lead.workspaceId} = ${workspaceId}`,
        leadsCounted(workspaceId),
        sql.raw(String(Math.trunc(limit))),
        after
          ? { at: sql.placeholder("afterAt"), publicIdentifier: sql.placeholder("afterIdentifier") }
          : undefined,
        0,
      );
      const parts = leadDetailParts(
        workspaceId,
        withReasons ? WAITING_INSTANT_PLACEHOLDERS : undefined,
      );
      return sql`with page as materialized (${page}),
          p as materialized (
            select page.id, page.public_identifier,
                   row_number() over (order by ${listOrder}) as ord
              from page),
          ${parts.ctes}
          select page.*, ${parts.columns}
            from page join p on p.id = page.id ${parts.joins}
           order by p.ord`;
    });
    unfilteredPages.set(key, statement);
  }
  return statement;
}

/**
 * What the list shows of the page's leads: their campaigns (the page's enrollments, read once)
 * and, given `now`, the facts of why those in progress wait; whether each lead is blocklisted.
 * The page comes as one JSON parameter, so the statement is the same whatever the page and runs
 * prepared.
 */
async function leadDetailRows(
  db: Database,
  workspaceId: string,
  page: ReadonlyArray<Pick<LeadPageRow, "id" | "public_identifier">>,
  now: Date | undefined,
): Promise<LeadDetailRow[]> {
  if (page.length === 0) return [];
  const leads = page.map((row, i) => ({
    id: row.id,
    public_identifier: row.public_identifier,
    ord: i + 1,
  }));
  const parts = leadDetailParts(workspaceId, now);
  return queryRowsPrepared<LeadDetailRow>(
    db,
    sql`with p as materialized (
          select r.id, r.public_identifier, r.ord
            from jsonb_to_recordset(${json(leads)})
              as r(id text, public_identifier text, ord int)),
        ${parts.ctes}
        select p.id, ${parts.columns}
        from p ${parts.joins}
       order by p.ord`,
  );
}

/**
 * The details of the leads of a CTE `p` (id, public_identifier, ord): the CTEs that read them,
 * the columns (campaigns, blocklisted, and the seats' facts on the first row given `now`) and
 * the joins that bring them to `p`.
 */
function leadDetailParts(
  workspaceId: string | Placeholder,
  now: Date | WaitingInstant | undefined,
) {
  const waitingFacts = now
    ? sql`, ${waitingFactsSql(
        workspaceId,
        sql`select e.id, e.account_id, e.version_id, e.node_id, e.next_run_at, e.queue_key
              from page_enrollment e where e.state = 'active'`,
        now,
      )}`
    : sql``;
  return {
    ctes: sql`page_enrollment as materialized (
          select e.id, e.lead_id, e.campaign_id, e.state, e.account_id, e.version_id,
                 e.node_id, e.next_run_at, e.queue_key, e.created_at
            from enrollment e
           where e.workspace_id = ${workspaceId} and e.lead_id in (select p.id from p))
        ${waitingFacts},
        page_campaigns as materialized (
          select e.lead_id,
                 json_agg(json_build_object(
                   'campaignId', c.id, 'name', c.name, 'state', e.state, 'id', e.id,
                   'paused', c.status = 'paused',
                   'accountId', e.account_id, 'versionId', e.version_id, 'nodeId', e.node_id,
                   'nextRunAt', floor(extract(epoch from e.next_run_at) * 1000),
                   'queueKey', e.queue_key,
                   'waiting', ${now ? sql`to_json(w)` : sql`null`})
                 order by e.created_at desc, c.name) as campaigns
            from page_enrollment e
            join campaign c on c.id = e.campaign_id and c.workspace_id = ${workspaceId}
            ${now ? sql`left join waiting_enrollment w on w.id = e.id` : sql``}
           group by e.lead_id)`,
    columns: sql`pc.campaigns,
          exists (select 1 from blocklist_entry b
                   where b.workspace_id = ${workspaceId}
                     and b.public_identifier = p.public_identifier) as blocklisted
          ${now ? sql`, case when p.ord = 1 then (select json_agg(s.facts) from waiting_seat s) end as seats` : sql``}`,
    joins: sql`left join page_campaigns pc on pc.lead_id = p.id`,
  };
}

/** No filter at all: every lead of the workspace. */
function isUnfiltered(filter: LeadFilter): boolean {
  return (
    !filter.search &&
    !filter.campaignId &&
    !filter.status &&
    !filter.stepId &&
    !filter.field &&
    !filter.replyCategory &&
    !filter.leadIds
  );
}

/** A place in the lead list: a row's exact creation time and public identifier. */
export interface LeadListPosition {
  at: string;
  publicIdentifier: string;
}

/** The ids of the leads a filter matches, newest first, at most `limit` of them. */
export async function leadIdsMatching(
  db: Database,
  workspaceId: string,
  filter: LeadFilter,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ id: lead.id })
    .from(lead)
    .where(leadConditions(workspaceId, filter))
    .orderBy(listOrder)
    .limit(limit);
  return rows.map((row) => row.id);
}

/** The names of the imported columns (custom fields) the workspace's leads carry, A to Z. */
export async function customFieldNames(db: Database, workspaceId: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select distinct k.name from lead l, jsonb_object_keys(l.custom) as k(name)
         where l.workspace_id = ${workspaceId}
         order by k.name limit 100`,
  );
  return rows.map((row) => row.name);
}

/** Leads of the workspace among `leadIds`, every field, in the order given. */
export async function leadsByIds(db: Database, workspaceId: string, leadIds: string[]) {
  if (leadIds.length === 0) return [];
  const rows = await db
    .select()
    .from(lead)
    .where(and(eq(lead.workspaceId, workspaceId), inArray(lead.id, leadIds)));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return leadIds.flatMap((leadId) => byId.get(leadId) ?? []);
}

/**
 * Takes leads out of one campaign in one transaction, as removing them one by one does: only
 * those still in progress there, their leases dropped and booked places given back.
 */
export async function removeLeadsFromCampaign(
  db: Database,
  workspaceId: string,
  campaignId: string,
  leadIds: string[],
  change: { at: Date; note: string },
): Promise<number> {
  if (leadIds.length === 0) return 0;
  const at = change.at.toISOString();
  const chosen = sql`select e.id from enrollment e
                      where e.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}
                        and e.state = 'active'
                        and e.lead_id in (select jsonb_array_elements_text(${json(leadIds)}))`;
  return db.transaction(async (tx) => {
    await lockFinishingCampaigns(tx, chosen);
    await releaseBookedPlaces(tx, chosen);
    const stopped = await queryRows<{ id: string }>(
      tx,
      sql`with stopped as (
            update enrollment e
               set state = 'removed', outcome = 'removed', reason = ${change.note},
                   lease_owner = null, lease_expires_at = null, updated_at = ${at}::timestamptz
             where e.id in (${chosen}) and e.state = 'active'
            returning e.id, e.node_id, e.branch)
          insert into enrollment_step (workspace_id, enrollment_id, at, node_id, exit, to_node_id,
                                       branch, note)
          select ${workspaceId}, s.id, ${at}::timestamptz, s.node_id, null, null, s.branch,
                 ${change.note}
            from stopped s
          returning enrollment_id as id`,
    );
    if (stopped.length > 0) await recordFinishedCampaigns(tx, sql`select ${campaignId}`);
    return stopped.length;
  });
}

export interface LeadCampaignRef {
  campaignId: string;
  name: string;
  state: string;
  /** The campaign is paused: a lead in progress there does not move until it resumes. */
  paused: boolean;
  /** Why the lead waits there, while it is in progress (filled in by the caller). */
  waiting?: string | null;
}

/** An enrollment of a listed lead, with what its waiting reason is read from. */
export interface LeadListEnrollment {
  id: string;
  leadId: string;
  accountId: string;
  versionId: string;
  nodeId: string;
  nextRunAt: Date;
  queueKey: string;
  state: string;
}

// ---------------------------------------------------------------------------------------------
// One lead and its timeline

export type LeadRow = typeof lead.$inferSelect;

export async function findLead(
  db: Database,
  workspaceId: string,
  leadId: string,
): Promise<LeadRow | null> {
  const [row] = await db
    .select()
    .from(lead)
    .where(and(eq(lead.workspaceId, workspaceId), eq(lead.id, leadId)))
    .limit(1);
  return row ?? null;
}

export async function isBlocklisted(db: Database, workspaceId: string, publicIdentifier: string) {
  const [row] = await db
    .select({ reason: blocklistEntry.reason, at: blocklistEntry.createdAt })
    .from(blocklistEntry)
    .where(
      and(
        eq(blocklistEntry.workspaceId, workspaceId),
        eq(blocklistEntry.publicIdentifier, publicIdentifier),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The lead's enrollments, newest first, with their campaign, account and pinned graph. */
export async function enrollmentsOfLead(db: Database, workspaceId: string, leadId: string) {
  return db
    .select({
      id: enrollment.id,
      campaignId: campaign.id,
      campaignName: campaign.name,
      campaignStatus: campaign.status,
      accountId: enrollment.accountId,
      accountName: senderAccount.name,
      versionId: enrollment.versionId,
      version: workflowVersion.version,
      graph: workflowVersion.graph,
      nodeId: enrollment.nodeId,
      state: enrollment.state,
      branch: enrollment.branch,
      outcome: enrollment.outcome,
      reason: enrollment.reason,
      nextRunAt: enrollment.nextRunAt,
      queueKey: enrollment.queueKey,
      enrolledAt: enrollment.enrolledAt,
      updatedAt: enrollment.updatedAt,
    })
    .from(enrollment)
    .innerJoin(
      campaign,
      and(eq(campaign.id, enrollment.campaignId), eq(campaign.workspaceId, workspaceId)),
    )
    .innerJoin(workflowVersion, eq(workflowVersion.id, enrollment.versionId))
    .leftJoin(senderAccount, eq(senderAccount.id, enrollment.accountId))
    .where(and(eq(enrollment.workspaceId, workspaceId), eq(enrollment.leadId, leadId)))
    .orderBy(desc(enrollment.enrolledAt), asc(enrollment.id));
}

/** A lead's timeline is short; this only guards the page against a pathological one. */
const TIMELINE_ROWS = 2000;

/** Everything the engine wrote about one lead, across its campaigns, oldest first. */
export async function timelineRowsOfLead(db: Database, workspaceId: string, leadId: string) {
  const [steps, actions, events, credits, answers] = await Promise.all([
    db
      .select({
        id: enrollmentStep.id,
        enrollmentId: enrollmentStep.enrollmentId,
        at: enrollmentStep.at,
        nodeId: enrollmentStep.nodeId,
        exit: enrollmentStep.exit,
        toNodeId: enrollmentStep.toNodeId,
        branch: enrollmentStep.branch,
        note: enrollmentStep.note,
      })
      .from(enrollmentStep)
      .innerJoin(
        enrollment,
        and(
          eq(enrollment.id, enrollmentStep.enrollmentId),
          eq(enrollment.workspaceId, workspaceId),
        ),
      )
      .where(and(eq(enrollmentStep.workspaceId, workspaceId), eq(enrollment.leadId, leadId)))
      .orderBy(asc(enrollmentStep.at), asc(enrollmentStep.id))
      .limit(TIMELINE_ROWS),
    db
      .select({
        id: action.id,
        enrollmentId: action.enrollmentId,
        campaignId: action.campaignId,
        accountName: senderAccount.name,
        nodeId: action.nodeId,
        kind: action.kind,
        status: action.status,
        reason: action.reason,
        error: action.error,
        branch: action.branch,
        variant: action.variant,
        credits: action.credits,
        createdAt: action.createdAt,
        sentAt: action.sentAt,
        withdrawal: action.withdrawal,
        withdrawalAt: action.withdrawalAt,
        text: sql<string | null>`(select case when m.subject is null then m.text
                                              else m.subject || E'\n\n' || m.text end
                                    from message m
                                   where m.action_id = ${action.id}
                                     and m.workspace_id = ${workspaceId} limit 1)`,
      })
      .from(action)
      .leftJoin(
        senderAccount,
        and(eq(senderAccount.id, action.accountId), eq(senderAccount.workspaceId, workspaceId)),
      )
      .where(and(eq(action.workspaceId, workspaceId), eq(action.leadId, leadId)))
      .orderBy(asc(action.createdAt), asc(action.id))
      .limit(TIMELINE_ROWS),
    db
      .select({
        id: inboundEvent.id,
        type: inboundEvent.type,
        occurredAt: inboundEvent.occurredAt,
        accountName: senderAccount.name,
        text: sql<string | null>`(select m.text from message m
                                    join conversation c on c.id = m.conversation_id
                                   where c.lead_id = ${leadId} and c.account_id = ${inboundEvent.accountId}
                                     and m.provider_message_id = ${inboundEvent.externalId}
                                   limit 1)`,
      })
      .from(inboundEvent)
      .leftJoin(
        senderAccount,
        and(
          eq(senderAccount.id, inboundEvent.accountId),
          eq(senderAccount.workspaceId, workspaceId),
        ),
      )
      .where(and(eq(inboundEvent.workspaceId, workspaceId), eq(inboundEvent.leadId, leadId)))
      .orderBy(asc(inboundEvent.occurredAt), asc(inboundEvent.id))
      .limit(TIMELINE_ROWS),
    db
      .select({
        id: creditLedger.id,
        at: creditLedger.at,
        type: creditLedger.type,
        amount: creditLedger.amount,
        campaignId: creditLedger.campaignId,
        enrollmentId: creditLedger.enrollmentId,
        nodeId: creditLedger.nodeId,
        branch: creditLedger.branch,
        variant: creditLedger.variant,
        note: creditLedger.note,
      })
      .from(creditLedger)
      // Every entry about a lead belongs to one of its actions (spend, give-back, refund):
      // found through the action index, the ledger having none on lead_id.
      .where(
        and(
          eq(creditLedger.workspaceId, workspaceId),
          inArray(
            creditLedger.actionId,
            db
              .select({ id: action.id })
              .from(action)
              .where(and(eq(action.workspaceId, workspaceId), eq(action.leadId, leadId))),
          ),
          eq(creditLedger.leadId, leadId),
        ),
      )
      .orderBy(asc(creditLedger.at), asc(creditLedger.id))
      .limit(TIMELINE_ROWS),
    // A person's answers from the inbox.
    queryRows<{
      id: string;
      at: Date;
      text: string;
      status: string;
      sender: string | null;
      accountName: string | null;
    }>(
      db,
      sql`select m.id, m.at, m.text, m.status, m.sender_name as sender, a.name as "accountName"
            from message m
            join conversation c on c.id = m.conversation_id
            join sender_account a on a.id = c.account_id
           where c.workspace_id = ${workspaceId} and c.lead_id = ${leadId}
             and m.origin = 'person'
           order by m.at limit ${TIMELINE_ROWS}`,
    ).then((rows) => rows.map((row) => ({ ...row, at: new Date(row.at) }))),
  ]);
  return { steps, actions, events, credits, answers };
}

// ---------------------------------------------------------------------------------------------
// Blocklist

export async function listBlocklist(
  db: Database,
  workspaceId: string,
  options: { search?: string; limit: number; offset: number },
) {
  const pattern = options.search ? containing(options.search) : null;
  const where = and(
    eq(blocklistEntry.workspaceId, workspaceId),
    pattern
      ? or(ilike(blocklistEntry.publicIdentifier, pattern), ilike(blocklistEntry.reason, pattern))
      : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        publicIdentifier: blocklistEntry.publicIdentifier,
        reason: blocklistEntry.reason,
        createdAt: blocklistEntry.createdAt,
        leadId: lead.id,
        firstName: lead.firstName,
        lastName: lead.lastName,
        company: lead.company,
      })
      .from(blocklistEntry)
      .leftJoin(
        lead,
        and(
          eq(lead.workspaceId, workspaceId),
          eq(lead.publicIdentifier, blocklistEntry.publicIdentifier),
        ),
      )
      .where(where)
      .orderBy(desc(blocklistEntry.createdAt), asc(blocklistEntry.publicIdentifier))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ count: countAll }).from(blocklistEntry).where(where),
  ]);
  return { rows, total: total?.count ?? 0 };
}

/**
 * Adds identifiers to the blocklist and, in the same transaction, takes their leads out of
 * every campaign still contacting them (as removing them by hand does: the lease is dropped, so
 * a worker stepping one cannot write it back). Identifiers already listed keep their reason.
 */
export async function addToBlocklist(
  db: Database,
  workspaceId: string,
  entries: Array<{ publicIdentifier: string; reason: string | null }>,
  change: { at: Date; note: string },
): Promise<{ added: number; stoppedEnrollments: number }> {
  if (entries.length === 0) return { added: 0, stoppedEnrollments: 0 };
  const identifiers = entries.map((entry) => entry.publicIdentifier);
  const at = change.at.toISOString();
  return db.transaction(async (tx) => {
    const added = await queryRows<{ public_identifier: string }>(
      tx,
      sql`insert into blocklist_entry (workspace_id, public_identifier, reason, created_at)
          select ${workspaceId}, r.public_identifier, r.reason, ${at}::timestamptz
            from jsonb_to_recordset(${json(entries.map((e) => ({ public_identifier: e.publicIdentifier, reason: e.reason })))})
              as r(public_identifier text, reason text)
          on conflict (workspace_id, public_identifier) do nothing
          returning public_identifier`,
    );
    const contacting = sql`select e.id from enrollment e join lead l on l.id = e.lead_id
           where e.workspace_id = ${workspaceId} and e.state = 'active'
             and l.workspace_id = ${workspaceId}
             and l.public_identifier in (select jsonb_array_elements_text(${json(identifiers)}))`;
    await lockFinishingCampaigns(tx, contacting);
    await releaseBookedPlaces(tx, contacting);
    const stopped = await queryRows<{ id: string }>(
      tx,
      sql`with stopped as (
            update enrollment e
               set state = 'removed', outcome = 'removed', reason = ${change.note},
                   lease_owner = null, lease_expires_at = null, updated_at = ${at}::timestamptz
              from lead l
             where e.workspace_id = ${workspaceId} and e.state = 'active'
               and l.id = e.lead_id and l.workspace_id = ${workspaceId}
               and l.public_identifier in (select jsonb_array_elements_text(${json(identifiers)}))
            returning e.id, e.node_id, e.branch)
          insert into enrollment_step (workspace_id, enrollment_id, at, node_id, exit, to_node_id,
                                       branch, note)
          select ${workspaceId}, s.id, ${at}::timestamptz, s.node_id, null, null, s.branch,
                 ${change.note}
            from stopped s
          returning enrollment_id as id`,
    );
    if (stopped.length > 0) {
      await recordFinishedCampaigns(
        tx,
        sql`select e.campaign_id from enrollment e
             where e.id in (select jsonb_array_elements_text(${json(stopped.map((row) => row.id))}))`,
      );
    }
    return { added: added.length, stoppedEnrollments: stopped.length };
  });
}

/** Takes identifiers off the blocklist; answers how many were on it. */
export async function removeFromBlocklist(
  db: Database,
  workspaceId: string,
  identifiers: string[],
): Promise<number> {
  if (identifiers.length === 0) return 0;
  const removed = await db
    .delete(blocklistEntry)
    .where(
      and(
        eq(blocklistEntry.workspaceId, workspaceId),
        inArray(blocklistEntry.publicIdentifier, identifiers),
      ),
    )
    .returning({ publicIdentifier: blocklistEntry.publicIdentifier });
  return removed.length;
}
