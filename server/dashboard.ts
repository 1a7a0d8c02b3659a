import "server-only";

import Papa from "papaparse";
import { z } from "zod";
import type { Database } from "@/db/client";
import {
  accountsOfCampaigns,
  addEnrollmentCount,
  emptyEnrollmentCounts,
  findCampaign,
  findLiveVersion,
} from "@/db/queries/campaigns";
import {
  type CampaignCounter,
  campaignCounters,
  campaignListRows,
  exportPage,
  latestActions,
} from "@/db/queries/dashboard";
import { ACTION_KINDS, type ActionKind } from "@/workflows/engine/pacing/settings";
import { labelBranch } from "@/workflows/graph/index";
import { findNodeDefinition, variantLetter } from "@/workflows/nodes/index";
import { previewTemplate } from "@/workflows/nodes/template";
import type { CampaignSummary } from "./campaigns";
import { notFound } from "./http/errors";
import type { Caller } from "./http/guard";

// The campaign dashboard, the list's figures and the enrollment export, all read from the
// tables the engine writes: enrollment (where each lead stands), enrollment_step (every exit
// taken), action (every send and its outcome) and inbound_event (acceptances and replies).
//
// Definitions, shared by the dashboard, the list and the tests:
// - enrolled: the campaign's enrollments, whatever their state;
// - visited / invited: leads with a sent visit / a sent invitation;
// - accepted: invited leads with an acceptance from their sender account at or after the
//   first invitation sent to them;
// - messaged: leads sent a message or an InMail;
// - replied: leads with a reply to their sender at or after the first text sent to them (an
//   invitation note, a message or an InMail); "texted" counts the leads sent any text;
// - acceptance rate = accepted / invited; reply rate = replied / texted;
// - per A/B variant of a step: drawn (leads who drew it), sent (leads it was sent to),
//   converted (of those, accepted at or after the invitation for an invitation note, replied at
//   or after the send otherwise), rate = converted / sent;
// - daily activity: sent actions per kind and sender-local date (the date caps count on);
// - per step: waiting (active enrollments standing on it), passed (exits taken from it in the
//   history), finished / failed / removed (enrollments whose run ended on it that way); per
//   exit: history rows leaving the step by that exit.

const id = z.string().min(1).max(100);
export const dashboardInput = z.object({ campaignId: id });

export const FUNNEL_STAGES = [
  "enrolled",
  "visited",
  "invited",
  "accepted",
  "messaged",
  "replied",
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

const FUNNEL_LABELS: Record<FunnelStage, string> = {
  enrolled: "Enrolled",
  visited: "Visited",
  invited: "Invited",
  accepted: "Accepted",
  messaged: "Messaged",
  replied: "Replied",
};

// ---------------------------------------------------------------------------------------------
// The figures, read from the counters the database keeps (campaign_counter: see db/schema and
// the triggers of db/migrations/0011_dashboard_counter_triggers.sql). They move in the same
// transaction as the rows they count, so every process reads the same numbers whenever a row
// commits, and a read costs one indexed range of a few hundred rows whatever the campaign's size.

interface CampaignFigures {
  /** node␟state → enrollments standing there (active) or whose run ended there. */
  at: Map<string, number>;
  /** node␟exit → exits taken. */
  exits: Map<string, number>;
  /** local date␟kind → sent actions. */
  sentPerDay: Map<string, number>;
  /** date␟accepted|replied → events from the campaign's leads. */
  eventsPerDay: Map<string, number>;
  funnel: Record<"visited" | "invited" | "accepted" | "messaged" | "replied" | "texted", number>;
  /** node␟variant → tallies. */
  variants: Map<string, { drawn: number; sent: number; converted: number }>;
}

const SEP = "\u001f";

function figuresOf(rows: CampaignCounter[]): CampaignFigures {
  const figures: CampaignFigures = {
    at: new Map(),
    exits: new Map(),
    sentPerDay: new Map(),
    eventsPerDay: new Map(),
    funnel: { visited: 0, invited: 0, accepted: 0, messaged: 0, replied: 0, texted: 0 },
    variants: new Map(),
  };
  for (const { metric, key, n } of rows) {
    if (n === 0) continue;
    if (metric === "at") figures.at.set(key, n);
    else if (metric === "exit") figures.exits.set(key, n);
    else if (metric === "sent") figures.sentPerDay.set(key, n);
    else if (metric === "event") figures.eventsPerDay.set(key, n);
    else if (metric === "funnel" && key in figures.funnel) {
      figures.funnel[key as keyof CampaignFigures["funnel"]] = n;
    } else if (metric === "variant") {
      const [nodeId = "", variant = "", mark = ""] = key.split(SEP);
      const id = `${nodeId}${SEP}${variant}`;
      const tally = figures.variants.get(id) ?? { drawn: 0, sent: 0, converted: 0 };
      if (mark === "drawn" || mark === "sent" || mark === "converted") tally[mark] = n;
      figures.variants.set(id, tally);
    }
  }
  return figures;
}

async function campaignFigures(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
): Promise<Map<string, CampaignFigures>> {
  const rows = await campaignCounters(db, workspaceId, campaignIds);
  const byCampaign = new Map<string, CampaignCounter[]>();
  for (const row of rows) {
    const list = byCampaign.get(row.campaignId) ?? [];
    list.push(row);
    byCampaign.set(row.campaignId, list);
  }
  return new Map(campaignIds.map((id) => [id, figuresOf(byCampaign.get(id) ?? [])]));
}

// ---------------------------------------------------------------------------------------------
// The dashboard

interface GraphShape {
  nodes: Array<{ id: string; kind: string; position?: { x: number; y: number }; config: unknown }>;
  edges: Array<{ id: string; source: string; sourceHandle: string; target: string }>;
}

export interface DashboardExit {
  exit: string;
  label: string;
  count: number;
}

export interface DashboardNode {
  nodeId: string;
  kind: string | null;
  label: string;
  summary: string;
  /** False for a step of an earlier version that leads still stand on or left. */
  inLiveVersion: boolean;
  waiting: number;
  passed: number;
  finished: number;
  failed: number;
  removed: number;
  exits: DashboardExit[];
}

export interface DashboardVariant {
  nodeId: string;
  node: string;
  variant: string;
  /** "A", "B"… in the step's order, or the variant id for a step no longer published. */
  letter: string;
  preview: string;
  metric: "accepted" | "replied";
  drawn: number;
  sent: number;
  converted: number;
  /** converted / sent; null before anything was sent. */
  rate: number | null;
}

/**
 * One day: sent actions per kind on the sender's local date (the date caps count on), and the
 * acceptances and replies from the campaign's leads on that UTC date.
 */
export type DailyActivity = { date: string; accepted: number; replied: number } & Record<
  ActionKind,
  number
>;

export interface CampaignDashboard {
  campaign: {
    id: string;
    name: string;
    status: string;
    stopOnReply: boolean;
    version: { id: string; version: number; publishedAt: string } | null;
    accounts: Array<{ id: string; name: string; status: string }>;
  };
  generatedAt: string;
  graph: {
    nodes: Array<{
      id: string;
      kind: string;
      label: string;
      summary: string;
      colour: string;
      position: { x: number; y: number };
    }>;
    edges: Array<{ id: string; source: string; sourceHandle: string; target: string }>;
  } | null;
  enrollments: {
    enrolled: number;
    active: number;
    finished: number;
    failed: number;
    removed: number;
  };
  nodes: DashboardNode[];
  funnel: Array<{ stage: FunnelStage; label: string; leads: number }>;
  rates: { acceptance: number | null; reply: number | null; texted: number };
  daily: DailyActivity[];
  variants: DashboardVariant[];
  feed: Array<{
    id: string;
    at: string;
    sentAt: string | null;
    lead: { id: string; name: string; publicIdentifier: string };
    nodeId: string;
    node: string;
    kind: string;
    outcome: string;
    reason: string | null;
    variant: string | null;
    credits: number;
  }>;
}

const FEED_LENGTH = 30;

const emptyKinds = () =>
  Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>;

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function exitLabel(kind: string | null, exit: string): string {
  return findNodeDefinition(kind ?? undefined)?.exits.find((e) => e.handle === exit)?.label ?? exit;
}

/** The texts of a step's variants, in order: what the A/B table shows beside each letter. */
function variantTexts(kind: string, config: unknown): Array<{ id: string; text: string }> {
  const c = (config ?? {}) as {
    noteVariants?: Array<{ id: string; text: string }>;
    variants?: Array<{ id: string; text?: string; subject?: string; body?: string }>;
  };
  if (kind === "connect") return (c.noteVariants ?? []).map((v) => ({ id: v.id, text: v.text }));
  return (c.variants ?? []).map((v) => ({
    id: v.id,
    text: v.text ?? [v.subject, v.body].filter(Boolean).join(" — "),
  }));
}

function preview(text: string): string {
  // As a reader sees it (fallbacks in place of variables), never the raw {{…}} syntax.
  const flat = previewTemplate(text).replace(/\s+/g, " ").trim();
  if (flat === "") return "No note";
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

export async function campaignDashboard(
  caller: Caller,
  input: z.infer<typeof dashboardInput>,
): Promise<CampaignDashboard> {
  const { db, workspace } = caller;
  const w = workspace.workspaceId;
  const row = await findCampaign(db, w, input.campaignId);
  if (!row) throw notFound("Campaign");
  const [live, accounts, feed, all] = await Promise.all([
    row.liveVersionId ? findLiveVersion(db, w, row.liveVersionId) : null,
    accountsOfCampaigns(db, w, [row.id]),
    latestActions(db, w, row.id, FEED_LENGTH),
    campaignFigures(db, w, [row.id]),
  ]);
  const figures = all.get(row.id)!;
  const graph = (live?.graph ?? null) as GraphShape | null;

  const nodes = new Map<string, DashboardNode & { config?: unknown }>();
  const nodeOf = (nodeId: string) => {
    let node = nodes.get(nodeId);
    if (!node) {
      // Leads pinned to an older version may stand on, or have left, a step since removed.
      node = {
        nodeId,
        kind: null,
        label: nodeId,
        summary: "A step of an earlier version",
        inLiveVersion: false,
        waiting: 0,
        passed: 0,
        finished: 0,
        failed: 0,
        removed: 0,
        exits: [],
      };
      nodes.set(nodeId, node);
    }
    return node;
  };
  for (const n of graph?.nodes ?? []) {
    const definition = findNodeDefinition(n.kind);
    nodes.set(n.id, {
      nodeId: n.id,
      kind: n.kind,
      label: definition?.label ?? n.kind,
      summary: definition?.summarize(n.config) ?? n.id,
      inLiveVersion: true,
      waiting: 0,
      passed: 0,
      finished: 0,
      failed: 0,
      removed: 0,
      exits: (definition?.exits ?? []).map((e) => ({ exit: e.handle, label: e.label, count: 0 })),
      config: n.config,
    });
  }
  const { funnel } = figures;
  const enrollments = { enrolled: 0, active: 0, finished: 0, failed: 0, removed: 0 };
  for (const [key, count] of figures.at) {
    const [nodeId = "", state = ""] = key.split(SEP);
    const node = nodeOf(nodeId);
    if (state === "active") {
      node.waiting += count;
      enrollments.active += count;
    } else if (state === "done") {
      node.finished += count;
      enrollments.finished += count;
    } else if (state === "failed") {
      node.failed += count;
      enrollments.failed += count;
    } else if (state === "removed") {
      node.removed += count;
      enrollments.removed += count;
    }
  }
  enrollments.enrolled =
    enrollments.active + enrollments.finished + enrollments.failed + enrollments.removed;
  for (const [key, count] of figures.exits) {
    const [nodeId = "", exit = ""] = key.split(SEP);
    const node = nodeOf(nodeId);
    node.passed += count;
    const known = node.exits.find((e) => e.exit === exit);
    if (known) known.count += count;
    else node.exits.push({ exit, label: exitLabel(node.kind, exit), count });
  }

  const daily = new Map<string, DailyActivity>();
  const dayOf = (date: string) => {
    let day = daily.get(date);
    if (!day) {
      day = { date, accepted: 0, replied: 0, ...emptyKinds() };
      daily.set(date, day);
    }
    return day;
  };
  for (const [key, count] of figures.sentPerDay) {
    const [date = "", kind = ""] = key.split(SEP);
    if ((ACTION_KINDS as readonly string[]).includes(kind))
      dayOf(date)[kind as ActionKind] += count;
  }
  for (const [key, count] of figures.eventsPerDay) {
    const [date = "", type = ""] = key.split(SEP);
    if (type === "accepted" || type === "replied") dayOf(date)[type] += count;
  }

  const variants: DashboardVariant[] = [];
  for (const [key, tally] of figures.variants) {
    if (tally.drawn === 0) continue;
    const [nodeId = "", variant = ""] = key.split(SEP);
    const node = nodes.get(nodeId);
    const texts = node?.kind && node.config ? variantTexts(node.kind, node.config) : [];
    const index = texts.findIndex((t) => t.id === variant);
    variants.push({
      nodeId,
      node: node?.summary ?? nodeId,
      variant,
      letter: index >= 0 ? variantLetter(index) : variant,
      preview: index >= 0 ? preview(texts[index]!.text) : "",
      metric: node?.kind === "connect" ? "accepted" : "replied",
      drawn: tally.drawn,
      sent: tally.sent,
      converted: tally.converted,
      rate: ratio(tally.converted, tally.sent),
    });
  }
  const graphOrder = new Map((graph?.nodes ?? []).map((n, i) => [n.id, i]));
  const orderOf = (nodeId: string) => graphOrder.get(nodeId) ?? Number.MAX_SAFE_INTEGER;
  variants.sort(
    (a, b) =>
      orderOf(a.nodeId) - orderOf(b.nodeId) ||
      a.nodeId.localeCompare(b.nodeId) ||
      a.letter.localeCompare(b.letter),
  );

  const funnelCounts: Record<FunnelStage, number> = {
    enrolled: enrollments.enrolled,
    visited: funnel.visited,
    invited: funnel.invited,
    accepted: funnel.accepted,
    messaged: funnel.messaged,
    replied: funnel.replied,
  };
  const summaryOf = (nodeId: string) => nodes.get(nodeId)?.summary ?? nodeId;
  return {
    campaign: {
      id: row.id,
      name: row.name,
      status: row.status,
      stopOnReply: row.stopOnReply,
      version: live
        ? {
            id: live.id,
            version: live.version,
            publishedAt: new Date(live.publishedAt).toISOString(),
          }
        : null,
      accounts: accounts.get(row.id) ?? [],
    },
    generatedAt: new Date().toISOString(),
    graph: graph
      ? {
          nodes: graph.nodes.map((n, index) => {
            const definition = findNodeDefinition(n.kind);
            return {
              id: n.id,
              kind: n.kind,
              label: definition?.label ?? n.kind,
              summary: definition?.summarize(n.config) ?? n.id,
              colour: definition?.colour ?? "#64748b",
              position: n.position ?? { x: 0, y: index * 200 },
            };
          }),
          edges: graph.edges.map((e) => ({
            id: e.id,
            source: e.source,
            sourceHandle: e.sourceHandle,
            target: e.target,
          })),
        }
      : null,
    enrollments,
    nodes: [...nodes.values()].map(({ config: _config, ...node }) => node),
    funnel: FUNNEL_STAGES.map((stage) => ({
      stage,
      label: FUNNEL_LABELS[stage],
      leads: funnelCounts[stage],
    })),
    rates: {
      acceptance: ratio(funnel.accepted, funnel.invited),
      reply: ratio(funnel.replied, funnel.texted),
      texted: funnel.texted,
    },
    daily: [...daily.values()].sort((a, b) => a.date.localeCompare(b.date)),
    variants,
    feed: feed.map((a) => ({
      id: a.id,
      at: a.at,
      sentAt: a.sentAt,
      lead: {
        id: a.leadId,
        name: `${a.firstName} ${a.lastName}`.trim() || a.publicIdentifier,
        publicIdentifier: a.publicIdentifier,
      },
      nodeId: a.nodeId,
      node: summaryOf(a.nodeId),
      kind: a.kind,
      outcome: a.status,
      reason: a.reason,
      variant: a.variant,
      credits: a.credits,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// The campaign list

export interface CampaignListFigures {
  invited: number;
  accepted: number;
  texted: number;
  replied: number;
  acceptanceRate: number | null;
  replyRate: number | null;
  creditsUsed: number;
}

export type CampaignListItem = CampaignSummary & { figures: CampaignListFigures };

/**
 * The workspace's campaigns with their status, senders, counts, rates, credits, activity: one
 * statement (campaignListRows), the counters read as the campaign list and dashboard read them.
 */
export async function listCampaignsWithFigures(
  caller: Caller,
  options: { archived?: boolean } = {},
): Promise<{ campaigns: CampaignListItem[] }> {
  const { db, workspace } = caller;
  const rows = await campaignListRows(db, workspace.workspaceId, options);
  return {
    campaigns: rows.map(({ counters, ...c }) => {
      const counts = emptyEnrollmentCounts();
      let creditsUsed = 0;
      for (const row of counters) {
        if (row.metric === "at") addEnrollmentCount(counts, row);
        else if (row.metric === "credits") creditsUsed += row.n;
      }
      const { invited, accepted, texted, replied } = figuresOf(counters).funnel;
      return {
        ...c,
        counts,
        figures: {
          invited,
          accepted,
          texted,
          replied,
          acceptanceRate: ratio(accepted, invited),
          replyRate: ratio(replied, texted),
          creditsUsed,
        },
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The export

/** Cells a spreadsheet would run as a formula: = + - @, and tab or return in front of them. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** CSV lines (with a trailing line break); formula-like cells get a leading apostrophe. */
export function csvLines(rows: string[][]): string {
  if (rows.length === 0) return "";
  return `${Papa.unparse(rows, { escapeFormulae: FORMULA_START, newline: "\r\n" })}\r\n`;
}

export const EXPORT_COLUMNS = [
  "public_identifier",
  "first_name",
  "last_name",
  "company",
  "title",
  "status",
  "current_step",
  "branch",
  "path",
  "outcome",
  "reason",
  "enrolled_at",
  "updated_at",
] as const;

const EXPORT_STATUS: Record<string, string> = {
  active: "in progress",
  done: "finished",
  failed: "failed",
  removed: "removed",
};

const EXPORT_PAGE = 2_000;

/**
 * The campaign's enrollments as CSV, streamed a page at a time: status, current step, branch
 * (the condition exits taken), path (every step left, with the exit of each condition) and
 * outcome. The page is `application/csv` with a file name, so browsers download it.
 */
export async function exportCampaignEnrollments(
  caller: Caller,
  input: z.infer<typeof dashboardInput>,
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { db, workspace } = caller;
  const w = workspace.workspaceId;
  const row = await findCampaign(db, w, input.campaignId);
  if (!row) throw notFound("Campaign");
  const live = row.liveVersionId ? await findLiveVersion(db, w, row.liveVersionId) : null;
  const graph = (live?.graph ?? row.draftGraph) as GraphShape;
  const summaries = new Map(
    graph.nodes.map((n) => [
      n.id,
      { kind: n.kind, summary: findNodeDefinition(n.kind)?.summarize(n.config) ?? n.id },
    ]),
  );
  const stepText = (nodeId: string, exit: string | null) => {
    const node = summaries.get(nodeId);
    const text = node?.summary ?? nodeId;
    const conditional =
      exit !== null && exit !== "next" && findNodeDefinition(node?.kind)?.exits.length !== 1;
    return conditional ? `${text} (${exitLabel(node?.kind ?? null, exit).toLowerCase()})` : text;
  };
  const encoder = new TextEncoder();
  let after: string | null = null;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLines([[...EXPORT_COLUMNS]])));
          return;
        }
        const page = await exportPage(db, w, row.id, after, EXPORT_PAGE);
        if (page.length === 0) {
          controller.close();
          return;
        }
        after = page.at(-1)!.enrollmentId;
        const lines = page.map((e) => [
          e.publicIdentifier,
          e.firstName,
          e.lastName,
          e.company,
          e.title,
          EXPORT_STATUS[e.state] ?? e.state,
          summaries.get(e.nodeId)?.summary ?? e.nodeId,
          labelBranch(graph as Parameters<typeof labelBranch>[0], e.branch),
          e.steps
            .filter((s) => s.exit !== null)
            .map((s) => stepText(s.nodeId, s.exit))
            .concat(e.state === "active" ? [] : [summaries.get(e.nodeId)?.summary ?? e.nodeId])
            .join(" › "),
          e.outcome ?? "",
          e.reason ?? "",
          e.enrolledAt,
          e.updatedAt,
        ]);
        controller.enqueue(encoder.encode(csvLines(lines)));
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const slug = row.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return { filename: `${slug || "campaign"}-enrollments.csv`, body };
}
