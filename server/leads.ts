import "server-only";

import { z } from "zod";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import { enrollLeads } from "@/db/queries/launch";
import {
  addToBlocklist,
  customFieldNames,
  enrollmentsOfLead,
  findLead,
  importLeadRows,
  isBlocklisted,
  LEAD_STATUSES,
  type LeadFilter,
  type LeadListPosition,
  listBlocklist,
  listLeadRows,
  removeFromBlocklist,
  timelineRowsOfLead,
} from "@/db/queries/leads";
import { notifyWorkspace } from "@/db/queries/notifications";
import { activeEnrollmentsOf, waitingReasonsOf } from "@/db/queries/waiting";
import { WAITING_REASON_CODES } from "@/workflows/engine/waiting-reason";
import { labelBranch } from "@/workflows/graph/branches";
import type { AnyGraph } from "@/workflows/graph/schema";
import {
  buildLeadTimeline,
  CUSTOM_KEY,
  LEAD_FIELD_LIMITS,
  MAX_CUSTOM_FIELDS,
  mergeLeads,
  profileReferenceSchema,
  profileUrl,
} from "@/workflows/leads/index";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { REPLY_CATEGORIES } from "@/workflows/replies/index";
import { engineNow } from "./boot";
import { conflict, HttpError, invalidInput, notFound } from "./errors";
import { type Caller, parseInput } from "./guard";
import { checkInputShape, Yielder } from "./request-body";

// Lead operations shared by the route handlers and the server actions: imports (into the
// workspace, and optionally straight into a campaign), the list, a lead's timeline across
// campaigns, and the blocklist. Ids from the client are looked up inside caller.workspace, so
// another workspace's ids come back as "not found" and nothing of theirs changes.

const id = z.string().min(1).max(100);
/** Form fields send "" for "any": the same as leaving the filter out. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/** One import holds this many rows at most: 10,000-row exports are common, this leaves room. */
export const MAX_IMPORT_LEADS = 20_000;

const leadText = (max: number) => z.string().trim().max(max).default("");

export const importedLeadInput = z.object({
  /** A profile address or a public identifier; stored as the canonical public identifier. */
  publicIdentifier: profileReferenceSchema,
  firstName: leadText(LEAD_FIELD_LIMITS.firstName),
  lastName: leadText(LEAD_FIELD_LIMITS.lastName),
  company: leadText(LEAD_FIELD_LIMITS.company),
  title: leadText(LEAD_FIELD_LIMITS.title),
  custom: z
    .record(
      z.string().regex(CUSTOM_KEY, "Custom field names: a letter, then letters, digits and _"),
      z.string().max(LEAD_FIELD_LIMITS.custom),
    )
    .refine(
      (fields) => Object.keys(fields).length <= MAX_CUSTOM_FIELDS,
      `At most ${MAX_CUSTOM_FIELDS} custom fields per lead.`,
    )
    .default({}),
});

export const importLeadsInput = z.object({
  leads: z
    .array(importedLeadInput)
    .min(1, "The file holds no lead to import.")
    .max(
      MAX_IMPORT_LEADS,
      `Import at most ${MAX_IMPORT_LEADS.toLocaleString("en-US")} leads at a time.`,
    ),
  /** Enroll the imported leads in this campaign, in the same transaction. */
  campaignId: id.optional(),
  /** Enroll leads even while another campaign of the workspace is contacting them. */
  allowInOtherCampaigns: z.boolean().default(false),
  /** Drawn by the browser, so its "Cancel import" can name this import (server/import-registry). */
  importId: z.uuid().optional(),
});

/** Rows checked between two turns given to other requests. */
const IMPORT_SLICE_ROWS = 250;
const importedLeadsSlice = z.array(importedLeadInput);
const importEnvelope = importLeadsInput.extend({
  leads: z
    .array(z.unknown())
    .min(1, "The file holds no lead to import.")
    .max(
      MAX_IMPORT_LEADS,
      `Import at most ${MAX_IMPORT_LEADS.toLocaleString("en-US")} leads at a time.`,
    ),
});

/**
 * importLeadsInput's parse for a whole import, a slice of rows at a time with turns for other
 * requests in between, so a 20,000-row import never holds the server. Same checks and errors
 * (paths `leads.<row>.<field>`), NUL refused in every field.
 */
export async function parseImportLeadsInput(
  raw: unknown,
): Promise<z.infer<typeof importLeadsInput>> {
  const rows = (raw as { leads?: unknown } | null)?.leads;
  // The envelope, with the rows only counted here: they are checked below, slice by slice.
  const envelope = parseInput(importEnvelope, {
    ...(typeof raw === "object" && raw !== null ? raw : {}),
    leads: Array.isArray(rows) ? rows.map(() => null) : rows,
  });
  const leads: z.infer<typeof importedLeadInput>[] = [];
  const yielder = new Yielder();
  for (let offset = 0; offset < (rows as unknown[]).length; offset += IMPORT_SLICE_ROWS) {
    const slice = (rows as unknown[]).slice(offset, offset + IMPORT_SLICE_ROWS);
    slice.forEach((row, index) => {
      checkInputShape(row, ["leads", offset + index]);
    });
    const parsed = importedLeadsSlice.safeParse(slice);
    if (!parsed.success) {
      throw invalidInput(
        new z.ZodError(
          parsed.error.issues.map((issue) => {
            const [index, ...rest] = issue.path;
            return { ...issue, path: ["leads", offset + Number(index), ...rest] };
          }),
        ),
      );
    }
    leads.push(...parsed.data);
    await yielder.maybe();
  }
  return { ...envelope, leads };
}

export interface ImportLeadsResult {
  /** Rows received. */
  received: number;
  /** Distinct leads after duplicates were merged. */
  leads: number;
  created: number;
  /** Leads the workspace already had, their empty fields left as they were. */
  updated: number;
  enrollment: {
    campaignId: string;
    campaignName: string;
    enrolled: number;
    skipped: { alreadyInCampaign: number; inOtherCampaign: number; blocklisted: number };
  } | null;
}

const importCancelled = () =>
  new HttpError(499, "cancelled", "The import was cancelled: nothing was saved.");

/**
 * Imports leads all or nothing: every row is checked before anything is written, then the
 * leads and their enrollments are written in one transaction, which a failure — or the caller
 * going away before the end (`signal`) — rolls back whole.
 */
export async function importLeads(
  caller: Caller,
  input: z.infer<typeof importLeadsInput>,
  options: { signal?: AbortSignal } = {},
): Promise<ImportLeadsResult> {
  const { db, workspace } = caller;
  // A client gone while its upload was read and checked: no transaction to start.
  if (options.signal?.aborted) throw importCancelled();
  const target = input.campaignId
    ? await findCampaign(db, workspace.workspaceId, input.campaignId)
    : null;
  if (input.campaignId) {
    if (!target) throw notFound("Campaign");
    if (target.status === "finished") {
      throw conflict("This campaign has finished: it takes no new leads.");
    }
    if (target.status === "archived") {
      throw conflict("This campaign is archived: it takes no new leads.");
    }
    if (!target.liveVersionId) {
      throw conflict("Publish the campaign's workflow before adding leads.");
    }
  }
  const leads = mergeLeads(input.leads);
  const now = new Date();
  const signal = options.signal;
  // Between two batches: a turn of the event loop, so a cancel (its own request, or the
  // upload's connection closing) is seen while the transaction can still roll back.
  const checkpoint = async () => {
    if (!signal) return;
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) {
      throw importCancelled();
    }
  };
  return db.transaction(async (tx) => {
    const imported = await importLeadRows(tx, workspace.workspaceId, leads, checkpoint);
    let enrollment: ImportLeadsResult["enrollment"] = null;
    if (target) {
      const result = await enrollLeads(tx, workspace.workspaceId, target.id, imported.ids, {
        now,
        allowInOtherCampaigns: input.allowInOtherCampaigns,
      });
      enrollment = {
        campaignId: target.id,
        campaignName: target.name,
        enrolled: result.enrolled,
        skipped: {
          alreadyInCampaign: result.skippedAlreadyEnrolled,
          inOtherCampaign: result.skippedInOtherCampaign,
          blocklisted: result.skippedBlocked,
        },
      };
    }
    // Thrown inside the transaction, so it rolls back: a cancelled import leaves nothing.
    await checkpoint();
    await notifyWorkspace(tx, {
      workspaceId: workspace.workspaceId,
      kind: "import_finished",
      title: `${caller.user.name}'s import finished: ${leads.length} lead${leads.length === 1 ? "" : "s"}`,
      body: `${imported.created} new, ${leads.length - imported.created} updated${
        enrollment ? `; ${enrollment.enrolled} added to "${enrollment.campaignName}"` : ""
      }.`,
      link: enrollment ? `/campaigns/${enrollment.campaignId}` : "/leads",
      at: now,
    });
    return {
      received: input.leads.length,
      leads: leads.length,
      created: imported.created,
      updated: leads.length - imported.created,
      enrollment,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The list

export const LEADS_PAGE_SIZE = 50;

export const listLeadsInput = z.object({
  search: optional(z.string().trim().max(100)),
  campaignId: optional(id),
  status: optional(z.enum(LEAD_STATUSES)),
  /** With a campaign: its leads now at this step. */
  stepId: optional(id),
  /** An imported column, and a part of its value (empty: every lead that has the column). */
  field: optional(z.string().regex(CUSTOM_KEY).max(40)),
  value: optional(z.string().trim().max(100)),
  /** Leads whose newest reply has this category. */
  replyCategory: optional(z.enum(REPLY_CATEGORIES)),
  /** With a campaign: its leads in progress that wait for this reason (at the step, if given). */
  waiting: optional(z.enum(WAITING_REASON_CODES)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(LEADS_PAGE_SIZE),
});

export interface LeadListItem {
  id: string;
  publicIdentifier: string;
  name: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  createdAt: Date;
  /** With, for a campaign the lead is in progress in, why it waits there (in words). */
  campaigns: Array<{ campaignId: string; name: string; state: string; waiting: string | null }>;
  lastActivityAt: Date | null;
  replied: boolean;
  blocklisted: boolean;
}

const displayName = (row: { firstName: string; lastName: string; publicIdentifier: string }) =>
  `${row.firstName} ${row.lastName}`.trim() || row.publicIdentifier;

/** At most this many of a campaign's leads in progress are read to filter by why they wait. */
export const WAITING_FILTER_LIMIT = 10_000;

/**
 * The leads list's filters as the database reads them: the same for the list and for "every
 * lead the filters match" in bulk actions. Why a lead waits is worked out (not stored), so that
 * filter reads the campaign's leads in progress, soonest due first, up to WAITING_FILTER_LIMIT.
 */
export async function leadFilterOf(
  caller: Caller,
  input: Omit<z.infer<typeof listLeadsInput>, "page" | "pageSize">,
): Promise<{ filter: LeadFilter; waitingCapped: boolean }> {
  const { db, workspace } = caller;
  if (input.campaignId && !(await findCampaign(db, workspace.workspaceId, input.campaignId))) {
    throw notFound("Campaign");
  }
  const stepId = input.campaignId ? input.stepId : undefined;
  let leadIds: string[] | undefined;
  let waitingCapped = false;
  if (input.campaignId && input.waiting) {
    const active = await activeEnrollmentsOf(
      db,
      workspace.workspaceId,
      input.campaignId,
      stepId,
      WAITING_FILTER_LIMIT + 1,
    );
    waitingCapped = active.length > WAITING_FILTER_LIMIT;
    if (waitingCapped) active.length = WAITING_FILTER_LIMIT;
    const reasons = await waitingReasonsOf(db, workspace.workspaceId, active, engineNow());
    leadIds = active.filter((e) => reasons.get(e.id)?.code === input.waiting).map((e) => e.leadId);
  }
  return {
    filter: {
      search: input.search || undefined,
      campaignId: input.campaignId,
      status: input.status,
      stepId,
      field: input.field,
      value: input.field ? input.value || undefined : undefined,
      replyCategory: input.replyCategory,
      leadIds,
    },
    waitingCapped,
  };
}

export async function listLeads(
  caller: Caller,
  input: z.infer<typeof listLeadsInput>,
  /** Keyset paging (the API): the rows after this place in the list, whatever `page` says. */
  after?: LeadListPosition,
) {
  const { db, workspace } = caller;
  const { filter, waitingCapped } = await leadFilterOf(caller, input);
  // Why each lead in progress waits, in every campaign it is in (a step clicked on the live
  // graph lists its leads with their reasons): read by the page's own statement.
  const { rows, total, totalCapped, waiting } = await listLeadRows(db, workspace.workspaceId, {
    ...filter,
    // One row more than the page: whether another page follows.
    limit: input.pageSize + 1,
    offset: (input.page - 1) * input.pageSize,
    after,
    waitingAt: engineNow(),
  });
  const more = rows.length > input.pageSize;
  if (more) rows.length = input.pageSize;
  const leads: LeadListItem[] = rows.map(({ position: _position, campaigns, ...row }) => ({
    ...row,
    name: displayName(row),
    campaigns: campaigns.map(({ enrollment, ...ref }) => ({
      ...ref,
      waiting: waiting.get(enrollment.id)?.text ?? null,
    })),
  }));
  return {
    leads,
    total,
    /** More than `total` match: the count stopped at LEAD_COUNT_CAP. */
    totalCapped,
    /** The waiting filter read only the first WAITING_FILTER_LIMIT leads in progress. */
    waitingCapped,
    page: input.page,
    pageSize: input.pageSize,
    /** Where the page ends, when another page follows. */
    next: more ? (rows.at(-1)?.position ?? null) : null,
  };
}

/**
 * What the list's filters offer: the steps of a campaign's published workflow (when one is
 * chosen), in the graph's order, and the imported columns the workspace's leads carry.
 */
export async function leadFilterChoices(caller: Caller, campaignId: string | undefined) {
  const { db, workspace } = caller;
  const row = campaignId ? await findCampaign(db, workspace.workspaceId, campaignId) : null;
  const version = row?.liveVersionId
    ? await findLiveVersion(db, workspace.workspaceId, row.liveVersionId)
    : null;
  const graph = version?.graph as
    | { nodes?: Array<{ id: string; kind: string; config: unknown }> }
    | undefined;
  const steps = (graph?.nodes ?? [])
    .filter((node) => node.kind !== "start")
    .map((node) => ({ id: node.id, label: stepSummary(graph, node.id) }));
  return { steps, fields: await customFieldNames(db, workspace.workspaceId) };
}

// ---------------------------------------------------------------------------------------------
// One lead

export const leadIdInput = z.object({ leadId: id });

function stepSummary(graph: unknown, nodeId: string): string {
  const node = (
    graph as { nodes?: Array<{ id: string; kind: string; config: unknown }> }
  )?.nodes?.find((candidate) => candidate.id === nodeId);
  if (!node) return nodeId;
  return findNodeDefinition(node.kind)?.summarize(node.config) ?? node.kind;
}

export async function describeLead(caller: Caller, input: z.infer<typeof leadIdInput>) {
  const { db, workspace } = caller;
  const row = await findLead(db, workspace.workspaceId, input.leadId);
  if (!row) throw notFound("Lead");
  const [blocked, enrollments] = await Promise.all([
    isBlocklisted(db, workspace.workspaceId, row.publicIdentifier),
    enrollmentsOfLead(db, workspace.workspaceId, row.id),
  ]);
  const waiting = await waitingReasonsOf(
    db,
    workspace.workspaceId,
    enrollments.filter((e) => e.state === "active"),
    engineNow(),
  );
  return {
    lead: {
      id: row.id,
      publicIdentifier: row.publicIdentifier,
      providerId: row.providerId,
      name: displayName(row),
      firstName: row.firstName,
      lastName: row.lastName,
      company: row.company,
      title: row.title,
      custom: (row.custom ?? {}) as Record<string, string>,
      profile: row.profile as {
        networkDistance?: number | null;
        isPremium?: boolean;
        isOpenProfile?: boolean;
        canSendInmail?: boolean;
      } | null,
      profileUrl: profileUrl(row.publicIdentifier),
      createdAt: row.createdAt,
    },
    blocklisted: blocked ? { reason: blocked.reason, since: blocked.at } : null,
    enrollments: enrollments.map((e) => ({
      id: e.id,
      campaign: { id: e.campaignId, name: e.campaignName, status: e.campaignStatus },
      accountName: e.accountName,
      version: e.version,
      state: e.state,
      step: stepSummary(e.graph, e.nodeId),
      branch: labelBranch(e.graph as AnyGraph, e.branch),
      outcome: e.outcome,
      reason: e.reason,
      nextRunAt: e.state === "active" ? e.nextRunAt : null,
      /** Why an active enrollment waits, in words, and until when. */
      waiting: waiting.get(e.id) ?? null,
      enrolledAt: e.enrolledAt,
      updatedAt: e.updatedAt,
    })),
  };
}
export type LeadDetail = Awaited<ReturnType<typeof describeLead>>;

export async function leadTimeline(caller: Caller, input: z.infer<typeof leadIdInput>) {
  const { db, workspace } = caller;
  const row = await findLead(db, workspace.workspaceId, input.leadId);
  if (!row) throw notFound("Lead");
  const [enrollments, rows] = await Promise.all([
    enrollmentsOfLead(db, workspace.workspaceId, row.id),
    timelineRowsOfLead(db, workspace.workspaceId, row.id),
  ]);
  const items = buildLeadTimeline({
    enrollments: enrollments.map((e) => ({
      id: e.id,
      campaignId: e.campaignId,
      campaignName: e.campaignName,
      accountName: e.accountName,
      version: e.version,
      graph: e.graph,
      enrolledAt: e.enrolledAt,
    })),
    ...rows,
  });
  return { leadId: row.id, items };
}

// ---------------------------------------------------------------------------------------------
// Blocklist

export const MAX_BLOCKLIST_ENTRIES = 10_000;

export const listBlocklistInput = z.object({
  search: optional(z.string().trim().max(100)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export async function listBlocklistEntries(
  caller: Caller,
  input: z.infer<typeof listBlocklistInput>,
) {
  const { db, workspace } = caller;
  const { rows, total } = await listBlocklist(db, workspace.workspaceId, {
    search: input.search || undefined,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return {
    entries: rows.map((row) => ({
      publicIdentifier: row.publicIdentifier,
      reason: row.reason,
      createdAt: row.createdAt,
      lead: row.leadId
        ? {
            id: row.leadId,
            name: displayName({
              ...row,
              firstName: row.firstName ?? "",
              lastName: row.lastName ?? "",
            }),
            company: row.company ?? "",
          }
        : null,
    })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}

export const addToBlocklistInput = z.object({
  /** Profile addresses or public identifiers: a pasted list or a file's column. */
  publicIdentifiers: z
    .array(profileReferenceSchema)
    .min(1, "Give at least one profile.")
    .max(
      MAX_BLOCKLIST_ENTRIES,
      `Add at most ${MAX_BLOCKLIST_ENTRIES.toLocaleString("en-US")} profiles at a time.`,
    ),
  reason: z.string().trim().max(200).optional(),
});

/**
 * Blocklists profiles: they are never enrolled again, and campaigns contacting them now stop
 * (their enrollments are removed, as by hand).
 */
export async function addBlocklistEntries(
  caller: Caller,
  input: z.infer<typeof addToBlocklistInput>,
) {
  const { db, workspace } = caller;
  const identifiers = [...new Set(input.publicIdentifiers)];
  const result = await addToBlocklist(
    db,
    workspace.workspaceId,
    identifiers.map((publicIdentifier) => ({ publicIdentifier, reason: input.reason || null })),
    { at: new Date(), note: `Blocklisted by ${caller.user.name}` },
  );
  return {
    received: identifiers.length,
    added: result.added,
    alreadyListed: identifiers.length - result.added,
    stoppedEnrollments: result.stoppedEnrollments,
  };
}

export const removeFromBlocklistInput = z.object({
  publicIdentifiers: z
    .array(profileReferenceSchema)
    .min(1, "Give at least one profile.")
    .max(MAX_BLOCKLIST_ENTRIES),
});

export async function removeBlocklistEntries(
  caller: Caller,
  input: z.infer<typeof removeFromBlocklistInput>,
) {
  const { db, workspace } = caller;
  const identifiers = [...new Set(input.publicIdentifiers)];
  const removed = await removeFromBlocklist(db, workspace.workspaceId, identifiers);
  return { removed };
}

/** Blocklists or unblocks one lead of the workspace, by its id (the lead page's button). */
export const setLeadBlockedInput = z.object({
  leadId: id,
  blocked: z.boolean(),
  reason: z.string().trim().max(200).optional(),
});

export async function setLeadBlocked(caller: Caller, input: z.infer<typeof setLeadBlockedInput>) {
  const { db, workspace } = caller;
  const row = await findLead(db, workspace.workspaceId, input.leadId);
  if (!row) throw notFound("Lead");
  if (input.blocked) {
    const result = await addToBlocklist(
      db,
      workspace.workspaceId,
      [{ publicIdentifier: row.publicIdentifier, reason: input.reason || null }],
      { at: new Date(), note: `Blocklisted by ${caller.user.name}` },
    );
    return { leadId: row.id, blocked: true, stoppedEnrollments: result.stoppedEnrollments };
  }
  await removeFromBlocklist(db, workspace.workspaceId, [row.publicIdentifier]);
  return { leadId: row.id, blocked: false, stoppedEnrollments: 0 };
}
