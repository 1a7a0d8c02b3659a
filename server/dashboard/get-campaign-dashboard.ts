import "server-only";

import { z } from "zod";
import { accountsOfCampaigns, findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import { latestActions } from "@/db/queries/dashboard";
import type {
  CampaignDashboard,
  DailyActivity,
  DashboardNode,
  DashboardVariant,
  FunnelStage,
} from "@/views/dashboard";
import { ACTION_KINDS, type ActionKind } from "@/workflows/engine/pacing/settings";
import { findNodeDefinition, variantLetter } from "@/workflows/nodes/index";
import { previewTemplate } from "@/workflows/nodes/template";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { campaignFigures, FUNNEL_STAGES } from "./campaign-figures";
import { exitLabel, type GraphShape, ratio, SEP } from "./dashboard-shared";

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

const FUNNEL_LABELS: Record<FunnelStage, string> = {
  enrolled: "Enrolled",
  visited: "Visited",
  invited: "Invited",
  accepted: "Accepted",
  messaged: "Messaged",
  replied: "Replied",
};

const FEED_LENGTH = 30;

const emptyKinds = () =>
  Object.fromEntries(ACTION_KINDS.map((kind) => [kind, 0])) as Record<ActionKind, number>;

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
