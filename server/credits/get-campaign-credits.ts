import "server-only";

import { z } from "zod";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import {
  flightOfCampaign,
  inmailAttemptsOfCampaign,
  inmailRepliesOfCampaign,
  ledgerOfCampaign,
  paidInmailPace,
  pendingRefundsOfCampaign,
} from "@/db/queries/credits";
import type { CampaignCredits } from "@/views/credits";
import { parseBudgets } from "@/workflows/credits/budgets";
import { branchCreditRows, projectCredits } from "@/workflows/credits/report";
import { capsInForce } from "@/workflows/engine/pacing/caps";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import type { AnyGraph } from "@/workflows/graph/index";
import { percentile } from "@/workflows/simulation/forecast";
import { lastForecast } from "../forecast/get-campaign-forecast";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { listPools } from "./list-pools";

// The budget panel and the Credits page: numbers read from the ledger the engine writes.

const DAY_MS = 86_400_000;

export const campaignCreditsInput = z.object({ campaignId: z.string().min(1).max(100) });

/** Leads reaching an InMail step behind a condition before there is data: 1 − acceptance. */
const DEFAULT_REACH_BEHIND_CONDITION = 0.65;

/** Share of InMails that cost a credit before there is data (the rest: open profiles). */
const DEFAULT_PAID_SHARE = 0.9;

/**
 * Leads that must have finished or reached an InMail before the campaign's own rates are used
 * alone; below, they are mixed with the defaults in proportion, so the first few leads do not
 * swing the projection.
 */
const FULLY_OBSERVED = 40;

/** The window the pace of paid InMails is read over. */
const PACE_WINDOW_DAYS = 7;

/** Steps from which an InMail step can still be reached, following the graph's edges. */
function stepsBeforeInmail(graph: AnyGraph): Set<string> {
  const inmails = new Set(graph.nodes.filter((n) => n.kind === "inmail").map((n) => n.id));
  const reaches = new Set<string>();
  const incoming = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = incoming.get(edge.target) ?? [];
    list.push(edge.source);
    incoming.set(edge.target, list);
  }
  const queue = [...inmails];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const source of incoming.get(id) ?? []) {
      if (!reaches.has(source)) {
        reaches.add(source);
        queue.push(source);
      }
    }
  }
  // A lead waiting on the InMail step itself (a planned slot) still needs its credit.
  for (const id of inmails) reaches.add(id);
  return reaches;
}

export async function campaignCredits(
  caller: Caller,
  input: z.infer<typeof campaignCreditsInput>,
  now = engineNow(),
): Promise<CampaignCredits> {
  const { db, workspace } = caller;
  const ws = workspace.workspaceId;
  const campaign = await findCampaign(db, ws, input.campaignId);
  if (!campaign) throw notFound("Campaign");
  const live = campaign.liveVersionId
    ? await findLiveVersion(db, ws, campaign.liveVersionId)
    : undefined;
  const graph = (live?.graph ?? campaign.draftGraph) as AnyGraph;
  const inmailNodes = graph.nodes.filter((n) => n.kind === "inmail").map((n) => n.id);
  const budgets = parseBudgets(campaign.budgets);

  const [attempts, ledger, pending, replies, flight, allPools] = await Promise.all([
    inmailAttemptsOfCampaign(db, ws, campaign.id, inmailNodes),
    ledgerOfCampaign(db, ws, campaign.id),
    pendingRefundsOfCampaign(db, ws, campaign.id),
    inmailRepliesOfCampaign(db, ws, campaign.id),
    flightOfCampaign(db, ws, campaign.id),
    listPools(caller, now),
  ]);
  const rows = branchCreditRows({
    graph,
    attempts: attempts.map((a) => ({
      nodeId: a.node_id,
      branch: a.branch,
      leadId: a.lead_id,
      kind: a.kind === "message" ? "message" : "inmail",
      outcome: a.outcome,
      reason: a.reason,
      credits: a.credits,
    })),
    ledger: ledger.map((l) => ({
      type: l.type,
      amount: l.amount,
      nodeId: l.node_id,
      branch: l.branch,
    })),
    pendingRefunds: pending.map((p) => ({ nodeId: p.node_id, branch: p.branch })),
    replies: replies.map((r) => ({ nodeId: r.node_id, branch: r.branch, leadId: r.lead_id })),
    budgets,
  });
  const totals = {
    spent: rows.reduce((t, r) => t + r.spent, 0),
    refunded: rows.reduce((t, r) => t + r.refunded, 0),
    refundsPending: rows.reduce((t, r) => t + r.refundsPending, 0),
    net: rows.reduce((t, r) => t + r.net, 0),
    replies: rows.reduce((t, r) => t + r.replies, 0),
  };

  // The pools the campaign's accounts draw on.
  const accountIds = new Set(
    (
      await db.query.campaignAccount.findMany({
        where: (t, { eq, and }) => and(eq(t.campaignId, campaign.id), eq(t.workspaceId, ws)),
      })
    ).map((a) => a.accountId),
  );
  const pools = allPools.filter((p) => p.accounts.some((a) => accountIds.has(a.id)));

  let projection: CampaignCredits["projection"] = null;
  const pool = pools[0];
  if (pool && inmailNodes.length > 0) {
    const before = stepsBeforeInmail(graph);
    const inFlight = flight.active
      .filter((a) => before.has(a.node_id))
      .reduce((t, a) => t + a.n, 0);
    const reached = new Set(attempts.map((a) => a.lead_id)).size;
    const paid = rows.reduce((t, r) => t + r.inmailsPaid, 0);
    const sentAny = rows.reduce((t, r) => t + r.inmailsPaid + r.inmailsFree + r.sentAsMessage, 0);
    const behindCondition = rows.every((r) => r.branch !== "");
    const defaultReach = behindCondition ? DEFAULT_REACH_BEHIND_CONDITION : 1;
    // The campaign's own rates weigh in proportion to the leads they are read from, in full
    // from 40 on: a handful of early leads cannot swing the projection.
    const seen = flight.finished + reached;
    const weight = sentAny > 0 ? Math.min(1, seen / FULLY_OBSERVED) : 0;
    const reach = weight * Math.min(1, reached / Math.max(1, seen)) + (1 - weight) * defaultReach;
    const paidShare = weight * (paid / Math.max(1, sentAny)) + (1 - weight) * DEFAULT_PAID_SHARE;
    const pace = await paidInmailPace(
      db,
      ws,
      campaign.id,
      new Date(now.getTime() - PACE_WINDOW_DAYS * DAY_MS),
    );
    const accounts = await db.query.senderAccount.findMany({
      where: (t, { eq, and, inArray }) =>
        and(eq(t.workspaceId, ws), inArray(t.id, [...accountIds])),
    });
    const capPerDay = accounts.reduce((t, a) => {
      const pacing = PacingSettingsSchema.safeParse(a.pacing);
      if (!pacing.success) return t;
      const today = localDate(now, pacing.data.timeZone);
      return (
        t + (capsInForce(pacing.data, today).inmail * pacing.data.workingHours.days.length) / 7
      );
    }, 0);
    // The observed pace of paid InMails over the days seen so far (up to 7), mixed with the
    // caps' pace as if that had been seen for the days still missing from the window: the first
    // InMail of a campaign moves the figure a little, not from the caps' pace to 1/7 a day.
    const prior = capPerDay * paidShare;
    const seenDays =
      pace.first === null
        ? 0
        : Math.min(PACE_WINDOW_DAYS, (now.getTime() - pace.first.getTime()) / DAY_MS);
    const creditsPerDay =
      pace.paid > 0
        ? (pace.paid + prior * (PACE_WINDOW_DAYS - seenDays)) / PACE_WINDOW_DAYS
        : prior;
    const balance = pools.reduce((t, p) => t + p.balance, 0);
    const kept = lastForecast(campaign.id, now);
    if (kept && kept.creditsBySeed.length > 0) {
      // The forecast ran the engine itself: its figures stand, with their range.
      const median = (values: number[]) => percentile(values, 0.5);
      const dry = kept.poolDryBySeed.filter((at): at is string => at !== null).sort();
      const creditsNeeded = median(kept.creditsBySeed);
      projection = {
        ...(dry.length * 2 > kept.poolDryBySeed.length
          ? {
              type: "runs_out" as const,
              creditsNeeded,
              runsOutOn: new Date(median(dry.map((at) => Date.parse(at)))),
              leadsNotSent: median(kept.refusalsBySeed),
            }
          : { type: "enough" as const, creditsNeeded, lastSpendOn: null }),
        basis: "forecast",
        inFlight,
        range: {
          runs: kept.seeds,
          dryRuns: dry.length,
          first: dry.length > 0 ? new Date(dry[0]!) : null,
          last: dry.length > 0 ? new Date(dry.at(-1)!) : null,
        },
      };
    } else {
      projection = {
        ...projectCredits({
          now,
          balance,
          pool: { allowance: pool.allowance, cap: pool.cap, renewalDay: pool.renewalDay },
          creditsNeeded: inFlight * reach * paidShare,
          creditsPerDay,
        }),
        basis: weight === 1 ? "observed" : weight === 0 ? "defaults" : "blended",
        inFlight,
      };
    }
  }

  return {
    rows,
    totals,
    budget: { campaign: budgets?.campaign ?? null, used: totals.net },
    pools,
    projection,
  };
}
