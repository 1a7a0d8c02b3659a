import { z } from "zod";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import {
  accountsOfPools,
  dailyBalances,
  flightOfCampaign,
  inmailAttemptsOfCampaign,
  inmailRepliesOfCampaign,
  ledgerOfCampaign,
  paidInmailsSince,
  pendingRefundsOfCampaign,
  pendingRefundsOfPools,
  poolsOfWorkspace,
} from "@/db/queries/credits";
import { parseBudgets } from "@/workflows/credits/budgets";
import { CREDIT_PLANS, type PlanId } from "@/workflows/credits/plans";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import { forecastRenewal } from "@/workflows/credits/renewal";
import {
  type BranchCreditRow,
  branchCreditRows,
  type Projection,
  projectCredits,
} from "@/workflows/credits/report";
import { capsInForce } from "@/workflows/engine/pacing/caps";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import type { AnyGraph } from "@/workflows/graph/index";
import { engineNow } from "./boot";
import { notFound } from "./errors";
import type { Caller } from "./guard";

// The budget panel and the Credits page: numbers read from the ledger the engine writes.

const DAY_MS = 86_400_000;

export interface PoolSummary {
  id: string;
  name: string;
  plan: string;
  planLabel: string;
  allowance: number;
  cap: number;
  renewalDay: number;
  refundPolicy: z.infer<typeof RefundPolicySchema>;
  addOnBlockSize: number | null;
  balance: number;
  refundsPending: number;
  accounts: Array<{ id: string; name: string }>;
  nextRenewal: { at: string; grant: number; forfeit: number };
  /** End-of-day balance for each day with ledger entries. */
  history: Array<{ day: string; balance: number }>;
}

export async function listPools(caller: Caller, now = engineNow()): Promise<PoolSummary[]> {
  const { db, workspace } = caller;
  const pools = await poolsOfWorkspace(db, workspace.workspaceId);
  const [accounts, pending] = await Promise.all([
    accountsOfPools(
      db,
      workspace.workspaceId,
      pools.map((p) => p.id),
    ),
    pendingRefundsOfPools(db, workspace.workspaceId),
  ]);
  return Promise.all(
    pools.map(async (pool): Promise<PoolSummary> => {
      const plan = CREDIT_PLANS[pool.plan as PlanId];
      const forecast = forecastRenewal(
        {
          renewalAnchorDay: pool.renewalDay,
          timeZone: "UTC",
          allowancePerMonth: pool.allowance,
          cap: pool.cap,
        },
        pool.balance,
        now,
      );
      const policy = RefundPolicySchema.safeParse(pool.refundPolicy);
      return {
        id: pool.id,
        name: pool.name,
        plan: pool.plan,
        planLabel: plan?.label ?? pool.plan,
        allowance: pool.allowance,
        cap: pool.cap,
        renewalDay: pool.renewalDay,
        refundPolicy: policy.success ? policy.data : { type: "none" },
        addOnBlockSize: plan?.addOnBlockSize ?? null,
        balance: pool.balance,
        refundsPending: pending.find((p) => p.pool_id === pool.id)?.n ?? 0,
        accounts: accounts
          .filter((a) => a.poolId === pool.id)
          .map((a) => ({ id: a.id, name: a.name })),
        nextRenewal: {
          at: (pool.nextRenewalAt ?? forecast.at).toISOString(),
          grant: forecast.grant,
          forfeit: forecast.forfeit,
        },
        history: await dailyBalances(db, workspace.workspaceId, pool.id),
      };
    }),
  );
}

export const campaignCreditsInput = z.object({ campaignId: z.string().min(1).max(100) });

export interface CampaignCredits {
  rows: BranchCreditRow[];
  totals: { spent: number; refunded: number; refundsPending: number; net: number; replies: number };
  budget: { campaign: number | null; used: number };
  pools: PoolSummary[];
  projection: (Projection & { basis: "observed" | "defaults"; inFlight: number }) | null;
}

/** Leads reaching an InMail step behind a condition before there is data: 1 − acceptance. */
const DEFAULT_REACH_BEHIND_CONDITION = 0.65;
/** Share of InMails that cost a credit before there is data (the rest: open profiles). */
const DEFAULT_PAID_SHARE = 0.9;
/** Leads that must have finished or reached an InMail before the observed rates are used. */
const MIN_OBSERVED = 20;

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
    const observed = flight.finished + reached >= MIN_OBSERVED && sentAny > 0;
    const behindCondition = rows.every((r) => r.branch !== "");
    const reach = observed
      ? Math.min(1, reached / Math.max(1, flight.finished + reached))
      : behindCondition
        ? DEFAULT_REACH_BEHIND_CONDITION
        : 1;
    const paidShare = observed ? paid / sentAny : DEFAULT_PAID_SHARE;
    const recentPaid = await paidInmailsSince(
      db,
      ws,
      campaign.id,
      new Date(now.getTime() - 7 * DAY_MS),
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
    const creditsPerDay = recentPaid > 0 ? recentPaid / 7 : capPerDay * paidShare;
    projection = {
      ...projectCredits({
        now,
        balance: pools.reduce((t, p) => t + p.balance, 0),
        pool: { allowance: pool.allowance, cap: pool.cap, renewalDay: pool.renewalDay },
        creditsNeeded: inFlight * reach * paidShare,
        creditsPerDay,
      }),
      basis: observed ? "observed" : "defaults",
      inFlight,
    };
  }

  return {
    rows,
    totals,
    budget: { campaign: budgets?.campaign ?? null, used: totals.net },
    pools,
    projection,
  };
}
