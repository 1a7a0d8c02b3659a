import "server-only";

import { z } from "zod";
import {
  customFieldNames,
  findDraft,
  findVersion,
  sampleLeads,
  swapDraft,
} from "@/db/queries/drafts";
import {
  type GroupMove,
  type InFlightGroup,
  inFlightOfCampaign,
  nextVersionNumber,
  type PinnedVersion,
  type PlanResult,
  publishVersion,
} from "@/db/queries/publish";
import { roleAtLeast } from "@/db/queries/workspaces";
import {
  type AnyGraph,
  applyStrandedChoices,
  CURRENT_SCHEMA_VERSION,
  checkGraphLimits,
  contentHash,
  type Diagnostic,
  type DraftGraph,
  freezeVersion,
  GRAPH_LIMITS,
  mapVersions,
  parseDraftGraph,
  parseGraph,
  type StrandedChoice,
  type StrandedChoiceError,
  type StrandedReason,
  strandedChoiceSchema,
  validateGraph,
} from "@/workflows/graph/index";
import { findNodeDefinition, type TemplateLead } from "@/workflows/nodes/index";
import { badRequest, conflict, HttpError, notFound } from "./http/errors";
import type { Caller } from "./http/guard";

// The campaign editor's operations: load the draft, save it (compare-and-swap on its content
// hash), preview what publishing would do to the leads in flight, and publish. Each takes the
// resolved caller; ids are looked up inside caller.workspace, so other workspaces' are 404.

const id = z.string().min(1).max(100);
const hash = z.string().min(1).max(200);

/** Graphs bigger than this are refused: nobody draws them, and they would slow every request. */
export const MAX_DRAFT_NODES = GRAPH_LIMITS.maxNodes;
export const MAX_DRAFT_EDGES = GRAPH_LIMITS.maxEdges;

/**
 * Refuses (413) a graph beyond GRAPH_LIMITS before any other work on it. Parsing refuses it too;
 * this says so with the status and code that tell the caller to make it smaller.
 */
export function refuseOversizedGraph(graph: unknown): void {
  const limits = checkGraphLimits(graph);
  if (!limits.ok) throw new HttpError(413, "graph_too_large", limits.message);
}

/** How often publishing tries again while a worker holds some of the campaign's leads. */
export const PUBLISH_RETRY_DELAYS_MS = [250, 500, 1000] as const;

export const campaignDraftInput = z.object({ campaignId: id });

export const saveDraftInput = z.object({
  campaignId: id,
  /** The draft hash the editor started from: the save is refused if the draft moved on. */
  baseHash: hash,
  graph: z.unknown(),
});

export const publishInput = z.object({
  campaignId: id,
  /** The draft hash the user reviewed: publishing is refused if the draft changed since. */
  draftHash: hash,
  /** What to do with the leads at each stranded step, by step id. */
  choices: z.record(z.string().max(64), strandedChoiceSchema).default({}),
});

/** A campaign with nothing in it yet but its start. */
export function blankDraftGraph(): DraftGraph {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    nodes: [
      { id: "start", kind: "start", position: { x: 0, y: 0 }, config: { leads: "all_enrolled" } },
    ],
    edges: [],
  };
}

const draftConflict = () =>
  conflict(
    "This campaign was changed in another tab or by someone else since you opened it. Reload to get the latest version; your changes here were not saved.",
    "draft_conflict",
  );

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function shorten(text: string, length = 300): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** True when the draft differs from the live version (or nothing is published yet). */
async function differsFromLive(draft: unknown, liveHash: string | null): Promise<boolean> {
  if (liveHash === null) return true;
  const parsed = parseGraph(draft);
  if (!parsed.ok) return true;
  return (await contentHash(parsed.graph)) !== liveHash;
}

async function requireDraft(caller: Caller, campaignId: string) {
  const row = await findDraft(caller.db, caller.workspace.workspaceId, campaignId);
  if (!row) throw notFound("Campaign");
  return row;
}

async function liveOf(caller: Caller, liveVersionId: string | null) {
  return liveVersionId === null
    ? null
    : findVersion(caller.db, caller.workspace.workspaceId, liveVersionId);
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface SampleLead {
  label: string;
  lead: TemplateLead;
}

/** Shown after the workspace's own leads: one full profile, and one that needs the fallbacks. */
const BUILT_IN_SAMPLES: SampleLead[] = [
  {
    label: "Sample: Ada Lovelace, Head of Research",
    lead: {
      firstName: "Ada",
      lastName: "Lovelace",
      company: "Analytical Engines Ltd",
      title: "Head of Research",
    },
  },
  { label: "Sample: a lead with no name, company or title", lead: {} },
];

export interface EditorData {
  campaign: { id: string; name: string; status: string };
  graph: DraftGraph;
  draftHash: string;
  /** The schema version the saved draft was upgraded from, when it was older. */
  migratedFrom: number | null;
  /** Why the saved draft could not be opened; the editor then shows `graph` in its place. */
  problem: string | null;
  live: { id: string; version: number; publishedAt: string } | null;
  unpublishedChanges: boolean;
  sampleLeads: SampleLead[];
  customFields: string[];
  canEdit: boolean;
}

export async function loadCampaignDraft(
  caller: Caller,
  input: z.infer<typeof campaignDraftInput>,
): Promise<EditorData> {
  const { db, workspace } = caller;
  const row = await requireDraft(caller, input.campaignId);
  const [live, leads, customFields] = await Promise.all([
    liveOf(caller, row.liveVersionId),
    sampleLeads(db, workspace.workspaceId, row.id, 3),
    customFieldNames(db, workspace.workspaceId),
  ]);
  const parsed = parseDraftGraph(row.draftGraph);
  let graph: DraftGraph;
  let problem: string | null = null;
  if (parsed.ok) {
    graph = parsed.graph;
  } else {
    const fromLive = live === null ? null : parseDraftGraph(live.graph);
    graph = fromLive?.ok ? fromLive.graph : blankDraftGraph();
    problem = `The saved draft could not be read (${shorten(parsed.message)}). ${
      fromLive?.ok
        ? `The editor opened the last published version, v${live?.version}, in its place`
        : "The editor opened an empty campaign in its place"
    }; your next change replaces the unreadable draft.`;
  }
  return {
    campaign: { id: row.id, name: row.name, status: row.status },
    graph,
    draftHash: row.draftHash,
    migratedFrom: parsed.ok ? parsed.migratedFrom : null,
    problem,
    live: live
      ? {
          id: live.id,
          version: live.version,
          publishedAt: new Date(live.publishedAt).toISOString(),
        }
      : null,
    unpublishedChanges: await differsFromLive(row.draftGraph, live?.hash ?? null),
    sampleLeads: [
      ...leads.map((lead) => ({
        label:
          `${lead.firstName} ${lead.lastName}`.trim() ||
          `${lead.publicIdentifier} (no name on file)`,
        lead: {
          firstName: lead.firstName,
          lastName: lead.lastName,
          company: lead.company,
          title: lead.title,
          custom: isStringRecord(lead.custom) ? lead.custom : {},
        },
      })),
      ...BUILT_IN_SAMPLES,
    ],
    customFields,
    canEdit: roleAtLeast(workspace.role, "admin"),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((field) => typeof field === "string")
  );
}

// ---------------------------------------------------------------------------------------------
// Saving

export interface SavedDraft {
  hash: string;
  savedAt: string;
  unpublishedChanges: boolean;
}

export async function saveCampaignDraft(
  caller: Caller,
  input: z.infer<typeof saveDraftInput>,
): Promise<SavedDraft> {
  refuseOversizedGraph(input.graph);
  const parsed = parseDraftGraph(input.graph);
  if (!parsed.ok)
    throw badRequest(`This is not a campaign graph: ${shorten(parsed.message)}`, "invalid_graph");
  const graph = parsed.graph;
  const row = await requireDraft(caller, input.campaignId);
  if (row.draftHash !== input.baseHash) throw draftConflict();
  const newHash = await contentHash(graph);
  const live = await liveOf(caller, row.liveVersionId);
  const at = new Date();
  // Written even when the hash is unchanged: the stored graph may be one that no longer reads.
  const swapped = await swapDraft(caller.db, caller.workspace.workspaceId, row.id, {
    baseHash: input.baseHash,
    graph,
    hash: newHash,
    at,
  });
  if (!swapped) throw draftConflict();
  return {
    hash: newHash,
    savedAt: at.toISOString(),
    unpublishedChanges: await differsFromLive(graph, live?.hash ?? null),
  };
}

// ---------------------------------------------------------------------------------------------
// Publishing

export interface StepRef {
  nodeId: string;
  /** "Wait 3 days", "Connect · note 120/300": what the step does, as its card says. */
  label: string;
}

export interface PublishPreview {
  draftHash: string;
  /** Errors block publishing; the editor shows them in its checklist too. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
  unpublishedChanges: boolean;
  nextVersion: number;
  liveVersion: number | null;
  /** Leads in flight (active in the campaign), all versions together. */
  inFlight: number;
  /** Leads a worker is stepping right now: publishing waits for them. */
  busy: number;
  staying: Array<StepRef & { count: number }>;
  stranded: Array<
    StepRef & {
      count: number;
      reason: StrandedReason;
      oldKind: string | null;
      newKind: string | null;
    }
  >;
  /** Steps of the new version stranded leads may be moved to. */
  targets: StepRef[];
}

function describeStep(graph: AnyGraph | null, nodeId: string): string {
  const node = graph?.nodes.find((candidate) => candidate.id === nodeId);
  const definition = findNodeDefinition(node?.kind);
  if (!node || !definition) return `step ${nodeId}`;
  // Summaries name their kind ("Wait 3 days", "Connect · note 120/300").
  return definition.summarize(node.config);
}

/** Steps that read the same ("End · no answer" twice) get their id added, to tell them apart. */
function distinctLabels(steps: StepRef[]): StepRef[] {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.label, (counts.get(step.label) ?? 0) + 1);
  return steps.map((step) =>
    (counts.get(step.label) ?? 0) > 1
      ? { ...step, label: `${step.label} (step ${step.nodeId})` }
      : step,
  );
}

function readableGraph(graph: unknown): AnyGraph {
  const parsed = parseDraftGraph(graph);
  return parsed.ok ? parsed.graph : { schemaVersion: CURRENT_SCHEMA_VERSION, nodes: [], edges: [] };
}

interface PlannedGroups {
  moves: GroupMove[];
  errors: StrandedChoiceError[];
  staying: Map<string, number>;
  stranded: Map<
    string,
    {
      count: number;
      reason: StrandedReason;
      oldKind: string | null;
      newKind: string | null;
      oldGraph: AnyGraph;
    }
  >;
}

/** The version mapping for every pinned version at once, and the user's choices applied. */
function planGroups(
  groups: InFlightGroup[],
  versions: PinnedVersion[],
  newGraph: AnyGraph,
  choices: Readonly<Record<string, StrandedChoice>>,
): PlannedGroups {
  const planned: PlannedGroups = { moves: [], errors: [], staying: new Map(), stranded: new Map() };
  const byVersion = new Map<string, Record<string, number>>();
  for (const group of groups) {
    const counts = byVersion.get(group.versionId) ?? {};
    counts[group.nodeId] = (counts[group.nodeId] ?? 0) + group.count;
    byVersion.set(group.versionId, counts);
  }
  for (const [versionId, counts] of byVersion) {
    const pinned = versions.find((version) => version.id === versionId);
    const oldGraph = readableGraph(pinned?.graph);
    const mapping = mapVersions(oldGraph, newGraph, counts);
    for (const group of mapping.staying) {
      planned.staying.set(group.nodeId, (planned.staying.get(group.nodeId) ?? 0) + group.count);
    }
    for (const group of mapping.stranded) {
      const seen = planned.stranded.get(group.nodeId);
      planned.stranded.set(group.nodeId, {
        ...group,
        count: (seen?.count ?? 0) + group.count,
        oldGraph: seen?.oldGraph ?? oldGraph,
      });
    }
    // Choices for steps no longer stranded (their leads moved on meanwhile) are not needed.
    const relevant = Object.fromEntries(
      mapping.stranded
        .filter((group) => Object.hasOwn(choices, group.nodeId))
        .map((group) => [group.nodeId, choices[group.nodeId]]),
    );
    const applied = applyStrandedChoices(mapping, newGraph, relevant);
    if (!applied.ok) {
      planned.errors.push(...applied.errors);
      continue;
    }
    planned.moves.push(
      ...applied.moves.map((move) => ({ versionId, nodeId: move.fromNodeId, to: move.to })),
    );
  }
  return planned;
}

export async function previewPublish(
  caller: Caller,
  input: z.infer<typeof campaignDraftInput>,
): Promise<PublishPreview> {
  const { db, workspace } = caller;
  const row = await requireDraft(caller, input.campaignId);
  const [live, inFlight, nextVersion] = await Promise.all([
    liveOf(caller, row.liveVersionId),
    inFlightOfCampaign(db, workspace.workspaceId, row.id, new Date()),
    nextVersionNumber(db, workspace.workspaceId, row.id),
  ]);
  // A draft stored before the limits existed is refused here, not walked.
  refuseOversizedGraph(row.draftGraph);
  const validation = validateGraph(row.draftGraph);
  const newGraph = readableGraph(row.draftGraph);
  const planned = planGroups(inFlight.groups, inFlight.versions, newGraph, {});
  return {
    draftHash: row.draftHash,
    errors: validation.errors,
    warnings: validation.warnings,
    unpublishedChanges: await differsFromLive(row.draftGraph, live?.hash ?? null),
    nextVersion,
    liveVersion: live?.version ?? null,
    inFlight: inFlight.groups.reduce((sum, group) => sum + group.count, 0),
    busy: inFlight.busy,
    staying: [...planned.staying].map(([nodeId, count]) => ({
      nodeId,
      count,
      label: describeStep(newGraph, nodeId),
    })),
    stranded: [...planned.stranded].map(([nodeId, group]) => ({
      nodeId,
      count: group.count,
      reason: group.reason,
      oldKind: group.oldKind,
      newKind: group.newKind,
      label: describeStep(group.oldGraph, nodeId),
    })),
    targets: distinctLabels(
      newGraph.nodes
        .filter((node) => node.kind !== "start")
        .map((node) => ({ nodeId: node.id, label: describeStep(newGraph, node.id) })),
    ),
  };
}

export interface PublishResult {
  versionId: string;
  version: number;
  leads: { stayed: number; moved: number; ended: number };
}

export interface PublishOptions {
  /** Waits between tries while a worker holds some leads; the default retries briefly. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function publishCampaignDraft(
  caller: Caller,
  input: z.infer<typeof publishInput>,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const { db, workspace } = caller;
  const row = await requireDraft(caller, input.campaignId);
  if (row.status === "finished") {
    throw conflict("This campaign has finished: a new version would never run.");
  }
  if (row.draftHash !== input.draftHash) throw draftConflict();
  refuseOversizedGraph(row.draftGraph);
  const frozen = await freezeVersion(row.draftGraph);
  if (!frozen.ok) {
    const { errors } = frozen.validation;
    throw new HttpError(
      400,
      "graph_invalid",
      `The workflow cannot be published: ${plural(errors.length, "error")}, starting with "${errors[0]?.message ?? "unknown"}".`,
    );
  }
  const live = await liveOf(caller, row.liveVersionId);
  if (live !== null && live.hash === frozen.version.contentHash) {
    throw conflict(
      `Nothing to publish: the draft is the same as the live version, v${live.version}.`,
      "no_changes",
    );
  }
  const newGraph = frozen.version.graph;
  const delays = options.retryDelaysMs ?? PUBLISH_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? wait;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await publishVersion<StrandedChoiceError[]>(db, workspace.workspaceId, row.id, {
      expectedDraftHash: input.draftHash,
      version: frozen.version,
      now: options.now?.() ?? new Date(),
      plan: (groups, versions): PlanResult<StrandedChoiceError[]> => {
        const planned = planGroups(groups, versions, newGraph, input.choices);
        return planned.errors.length > 0
          ? { ok: false, refusal: planned.errors }
          : { ok: true, moves: planned.moves };
      },
      describe: (move, version) =>
        move.to.action === "move"
          ? `Moved to step ${move.to.toNodeId} when version ${version} was published: step ${move.nodeId} changed.`
          : `Ended when version ${version} was published: step ${move.nodeId} is not in it.`,
    });
    switch (outcome.type) {
      case "published":
        return { versionId: outcome.versionId, version: outcome.version, leads: outcome.leads };
      case "not_found":
        throw notFound("Campaign");
      case "draft_changed":
        throw draftConflict();
      case "refused": {
        const [first] = outcome.refusal;
        throw new HttpError(
          409,
          "stranded_leads",
          outcome.refusal.length === 1 && first
            ? first.message
            : `${plural(outcome.refusal.length, "group")} of leads need a decision, starting with: ${first?.message ?? ""}`,
        );
      }
      case "busy": {
        const delay = delays[attempt];
        if (delay !== undefined) {
          await sleep(delay);
          continue;
        }
        const who =
          outcome.count === null
            ? "Some leads are"
            : outcome.count === 1
              ? "1 lead is"
              : `${outcome.count} leads are`;
        throw conflict(
          `${who} being processed right now, try again in a few seconds.`,
          "leads_busy",
        );
      }
    }
  }
}
