import "server-only";

import { z } from "zod";
import { existingSenderAccountIds } from "@/db/queries/accounts";
import {
  accountsOfCampaigns,
  type CampaignStatus,
  changeCampaignStatus,
  type EnrollmentCounts,
  emptyEnrollmentCounts,
  enrollmentCountsOfCampaigns,
  enrollmentsPerNode,
  findCampaign,
  findEnrollmentOfLead,
  findLiveVersion,
  lastActivityOfCampaigns,
  leadsOfCampaign,
  listCampaignRows,
  recentActionsOfCampaign,
  removeEnrollment,
} from "@/db/queries/campaigns";
import { createCampaign, createDraftCampaign, enrollLeads, upsertLeads } from "@/db/queries/launch";
import { waitingReasonsOf } from "@/db/queries/waiting";
import {
  contentHash,
  type Diagnostic,
  parseDraftGraph,
  validateGraph,
} from "@/workflows/graph/index";
import { profileReferenceSchema } from "@/workflows/leads/profile-url";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { copyStarterGraph, starterTemplates } from "@/workflows/templates/index";
import { blankDraftGraph, refuseOversizedGraph } from "./drafts";
import { conflict, HttpError, notFound } from "./http/errors";
import type { Caller } from "./http/guard";
import { engineNow } from "./runtime/boot";

// Campaign operations shared by the route handlers and the server actions. Each takes the
// resolved caller; ids from the client are always looked up inside caller.workspace, so
// another workspace's ids come back as "not found" and nothing of theirs changes.

const id = z.string().min(1).max(100);

// ---------------------------------------------------------------------------------------------
// Lead identities

/**
 * A lead's LinkedIn identity as given by hand: a profile address or its public identifier, read
 * by the same parser as imports and the blocklist into one canonical public identifier.
 */
export const publicIdentifierSchema = profileReferenceSchema;

const leadText = (max: number) => z.string().trim().max(max).optional();

export const leadInput = z.object({
  publicIdentifier: publicIdentifierSchema,
  firstName: leadText(100),
  lastName: leadText(100),
  company: leadText(200),
  title: leadText(200),
  custom: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "Custom field names: letters, digits and _"),
      z.string().max(2000),
    )
    .refine((fields) => Object.keys(fields).length <= 50, "At most 50 custom fields per lead.")
    .optional(),
});

export const addLeadsInput = z.object({
  campaignId: id,
  leads: z
    .array(leadInput)
    .min(1, "Give at least one lead.")
    .max(5000, "Add at most 5,000 leads at a time."),
  /** Enroll leads even while another campaign of the workspace is contacting them. */
  allowInOtherCampaigns: z.boolean().default(false),
});

// ---------------------------------------------------------------------------------------------
// Creating campaigns

/** The "template" of a campaign drawn from scratch: only its start step. */
export const BLANK_TEMPLATE_ID = "blank";

export const createCampaignInput = z
  .object({
    name: z.string().trim().min(2, "Give the campaign a name of at least 2 characters.").max(100),
    templateId: z.string().min(1).max(100).optional(),
    graph: z.unknown().optional(),
    accountIds: z
      .array(id)
      .min(1, "Pick at least one sender account.")
      .max(50, "A campaign sends from at most 50 accounts."),
    /** Create a draft to open in the editor: nothing is published or run yet. */
    draft: z.boolean().optional(),
  })
  .refine((input) => (input.templateId === undefined) !== (input.graph === undefined), {
    message: "Start from a starter template or give a graph (one of the two).",
    path: ["templateId"],
  })
  .refine((input) => input.draft === true || input.templateId !== BLANK_TEMPLATE_ID, {
    message: "A blank campaign opens in the editor as a draft: draw it before it can run.",
    path: ["templateId"],
  });

/** A graph that validation refuses: a 400 carrying every diagnostic, for the editor to show. */
export class GraphRefusedError extends HttpError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      400,
      "graph_invalid",
      `The workflow cannot be published: ${errors.length === 1 ? "1 error" : `${errors.length} errors`}, starting with "${errors[0]?.message ?? "unknown"}".`,
    );
    this.name = "GraphRefusedError";
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, diagnostics: this.diagnostics } };
  }
}

export async function createCampaignFor(
  caller: Caller,
  input: z.infer<typeof createCampaignInput>,
) {
  const { db, workspace } = caller;
  refuseOversizedGraph(input.graph);
  if (input.draft) return createDraftCampaignFor(caller, input);
  let graph: unknown = input.graph;
  if (input.templateId !== undefined) {
    graph = copyStarterGraph(input.templateId);
    if (graph === undefined) {
      throw new HttpError(400, "invalid_input", "templateId: There is no such starter template.", {
        templateId: [`Pick one of: ${starterTemplates.map((t) => t.id).join(", ")}.`],
      });
    }
  }
  const validation = validateGraph(graph);
  if (!validation.ok) throw new GraphRefusedError(validation.diagnostics);

  const accountIds = [...new Set(input.accountIds)];
  const found = await existingSenderAccountIds(db, workspace.workspaceId, accountIds);
  if (found.length !== accountIds.length) throw notFound("Sender account");

  const { campaignId, versionId } = await createCampaign(db, workspace.workspaceId, {
    name: input.name,
    graph,
    accountIds,
  });
  return {
    id: campaignId,
    name: input.name,
    status: "running" as const,
    liveVersionId: versionId,
    warnings: validation.warnings,
  };
}

/** A draft campaign (blank, from a template, or from a graph) to finish in the editor. */
async function createDraftCampaignFor(caller: Caller, input: z.infer<typeof createCampaignInput>) {
  const { db, workspace } = caller;
  let graph: unknown = input.graph;
  if (input.templateId === BLANK_TEMPLATE_ID) graph = blankDraftGraph();
  else if (input.templateId !== undefined) {
    graph = copyStarterGraph(input.templateId);
    if (graph === undefined) {
      throw new HttpError(400, "invalid_input", "templateId: There is no such starter template.", {
        templateId: [
          `Pick one of: ${[BLANK_TEMPLATE_ID, ...starterTemplates.map((t) => t.id)].join(", ")}.`,
        ],
      });
    }
  }
  const parsed = parseDraftGraph(graph);
  if (!parsed.ok)
    throw new HttpError(400, "invalid_graph", `This is not a campaign graph: ${parsed.message}`);
  const accountIds = [...new Set(input.accountIds)];
  const found = await existingSenderAccountIds(db, workspace.workspaceId, accountIds);
  if (found.length !== accountIds.length) throw notFound("Sender account");
  const { campaignId } = await createDraftCampaign(db, workspace.workspaceId, {
    name: input.name,
    graph: parsed.graph,
    draftHash: await contentHash(parsed.graph),
    accountIds,
  });
  return {
    id: campaignId,
    name: input.name,
    status: "draft" as const,
    liveVersionId: null,
    warnings: [] as Diagnostic[],
  };
}

// ---------------------------------------------------------------------------------------------
// Reading campaigns

export const campaignIdInput = z.object({ campaignId: id });

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

export interface NodeCount {
  nodeId: string;
  kind: string | null;
  label: string;
  summary: string;
  /** Leads still in the campaign whose current step is this one. */
  waiting: number;
  /** Leads whose run ended here (finished, failed or removed). */
  ended: number;
}

const RECENT_ACTIONS = 50;

export async function describeCampaign(caller: Caller, input: z.infer<typeof campaignIdInput>) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const [live, accounts, counts, perNode, actions] = await Promise.all([
    row.liveVersionId ? findLiveVersion(db, workspace.workspaceId, row.liveVersionId) : null,
    accountsOfCampaigns(db, workspace.workspaceId, [row.id]),
    enrollmentCountsOfCampaigns(db, workspace.workspaceId, [row.id]),
    enrollmentsPerNode(db, workspace.workspaceId, row.id),
    recentActionsOfCampaign(db, workspace.workspaceId, row.id, RECENT_ACTIONS),
  ]);
  const graph = (live?.graph ?? row.draftGraph) as {
    nodes: Array<{ id: string; kind: string; config: unknown }>;
  };
  const nodes = new Map<string, NodeCount>();
  for (const node of graph.nodes) {
    const definition = findNodeDefinition(node.kind);
    nodes.set(node.id, {
      nodeId: node.id,
      kind: node.kind,
      label: definition?.label ?? node.kind,
      summary: definition?.summarize(node.config) ?? "A step of an unknown kind",
      waiting: 0,
      ended: 0,
    });
  }
  for (const count of perNode) {
    // Leads pinned to an older version may stand on a step the live graph no longer has.
    const node = nodes.get(count.nodeId) ?? {
      nodeId: count.nodeId,
      kind: null,
      label: "Earlier step",
      summary: "A step of an earlier version",
      waiting: 0,
      ended: 0,
    };
    if (count.state === "active") node.waiting += count.count;
    else node.ended += count.count;
    nodes.set(count.nodeId, node);
  }
  const summaryOf = (nodeId: string) =>
    nodes.get(nodeId)?.summary ?? "A step of an earlier version";
  return {
    id: row.id,
    name: row.name,
    status: row.status as CampaignStatus,
    stopOnReply: row.stopOnReply,
    outOfOfficeAsReply: row.outOfOfficeAsReply,
    outOfOfficePauseDays: row.outOfOfficePauseDays,
    weight: row.weight,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    liveVersion: live
      ? { id: live.id, version: live.version, publishedAt: live.publishedAt, graph: live.graph }
      : null,
    accounts: accounts.get(row.id) ?? [],
    counts: counts.get(row.id) ?? emptyEnrollmentCounts(),
    nodes: [...nodes.values()],
    recentActions: actions.map((a) => ({
      id: a.id,
      at: a.at,
      sentAt: a.sentAt,
      lead: {
        id: a.leadId,
        publicIdentifier: a.publicIdentifier,
        name: `${a.firstName} ${a.lastName}`.trim() || a.publicIdentifier,
      },
      nodeId: a.nodeId,
      node: summaryOf(a.nodeId),
      kind: a.kind,
      outcome: a.status,
      reason: a.reason ?? a.error,
      credits: a.credits,
    })),
  };
}
export type CampaignDetail = Awaited<ReturnType<typeof describeCampaign>>;

export const listCampaignLeadsInput = z.object({
  campaignId: id,
  /** Part of a name, company or public identifier. */
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export async function listCampaignLeads(
  caller: Caller,
  input: z.infer<typeof listCampaignLeadsInput>,
) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const leads = await leadsOfCampaign(db, workspace.workspaceId, row.id, {
    limit: input.limit,
    search: input.search || undefined,
  });
  const waiting = await waitingReasonsOf(
    db,
    workspace.workspaceId,
    leads.filter((l) => l.state === "active").map((l) => ({ ...l, id: l.enrollmentId })),
    engineNow(),
  );
  return {
    leads: leads.map(({ accountId: _a, versionId: _v, queueKey: _q, ...l }) => ({
      ...l,
      /** Why an active lead waits, in words. */
      waiting: waiting.get(l.enrollmentId)?.text ?? null,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Changing campaigns

function describeCampaignStatus(status: string): string {
  return status === "draft" ? "a draft" : status;
}

export async function pauseCampaign(caller: Caller, input: z.infer<typeof campaignIdInput>) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "paused") return { id: row.id, status: "paused" as const };
  const paused = await changeCampaignStatus(db, workspace.workspaceId, row.id, {
    from: ["running"],
    to: "paused",
    at: new Date(),
  });
  if (!paused) {
    throw conflict(
      `This campaign is ${describeCampaignStatus(row.status)}: only a running one can be paused.`,
    );
  }
  return { id: row.id, status: "paused" as const };
}

/** Resumes a paused campaign, or launches a draft: leads due meanwhile go on at once. */
export async function resumeCampaign(caller: Caller, input: z.infer<typeof campaignIdInput>) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "running") return { id: row.id, status: "running" as const };
  if (!row.liveVersionId) throw conflict("Publish the campaign's workflow before launching it.");
  const resumed = await changeCampaignStatus(db, workspace.workspaceId, row.id, {
    from: ["paused", "draft"],
    to: "running",
    at: new Date(),
  });
  if (!resumed) {
    throw conflict(`This campaign is ${describeCampaignStatus(row.status)}: it cannot run again.`);
  }
  return { id: row.id, status: "running" as const };
}

export interface AddLeadsResult {
  /** Distinct public identifiers received. */
  received: number;
  enrolled: number;
  skipped: { alreadyInCampaign: number; inOtherCampaign: number; blocklisted: number };
}

export async function addLeadsToCampaign(
  caller: Caller,
  input: z.infer<typeof addLeadsInput>,
): Promise<AddLeadsResult> {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "finished")
    throw conflict("This campaign has finished: it takes no new leads.");
  if (row.status === "archived")
    throw conflict("This campaign is archived: it takes no new leads.");
  if (!row.liveVersionId) throw conflict("Publish the campaign's workflow before adding leads.");
  // One entry per identity, the first given: a list pasted twice enrolls each person once.
  const distinct = new Map<string, (typeof input.leads)[number]>();
  for (const given of input.leads) {
    if (!distinct.has(given.publicIdentifier)) distinct.set(given.publicIdentifier, given);
  }
  const leadIds = await upsertLeads(db, workspace.workspaceId, [...distinct.values()]);
  const result = await enrollLeads(db, workspace.workspaceId, row.id, leadIds, {
    now: new Date(),
    allowInOtherCampaigns: input.allowInOtherCampaigns,
  });
  return {
    received: distinct.size,
    enrolled: result.enrolled,
    skipped: {
      alreadyInCampaign: result.skippedAlreadyEnrolled,
      inOtherCampaign: result.skippedInOtherCampaign,
      blocklisted: result.skippedBlocked,
    },
  };
}

export const removeLeadInput = z.object({ campaignId: id, leadId: id });

export async function removeLeadFromCampaign(
  caller: Caller,
  input: z.infer<typeof removeLeadInput>,
) {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const enrolled = await findEnrollmentOfLead(db, workspace.workspaceId, row.id, input.leadId);
  if (!enrolled) throw notFound("Lead");
  if (enrolled.state === "active") {
    await removeEnrollment(db, workspace.workspaceId, enrolled.id, {
      at: new Date(),
      note: `Removed from the campaign by ${caller.user.name}`,
    });
  }
  // Re-read: the engine may have finished the lead between the check and the update.
  const now = await findEnrollmentOfLead(db, workspace.workspaceId, row.id, input.leadId);
  if (now?.state !== "removed") {
    throw conflict(`This lead has already left the campaign (${now?.state ?? "gone"}).`);
  }
  return { campaignId: row.id, leadId: input.leadId, state: "removed" as const };
}
