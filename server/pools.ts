import "server-only";

import { z } from "zod";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import { createCreditPool } from "@/db/queries/launch";
import {
  accountsOfWorkspace,
  campaignEntriesOfPool,
  deletePoolRow,
  findAccount,
  findPool,
  moveBalance,
  recentLedgerOfPool,
  setAccountPool,
  setCampaignBudgets,
  updatePoolSettings,
} from "@/db/queries/pools";
import { budgetKey, CampaignBudgetsSchema } from "@/workflows/credits/budgets";
import {
  CREDIT_PLANS,
  type CreditPlan,
  type PlanId,
  PlanIdSchema,
} from "@/workflows/credits/plans";
import { poolNumberIssues } from "@/workflows/credits/pool";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import { nextRenewal } from "@/workflows/credits/renewal";
import { type AnyGraph, branchMap } from "@/workflows/graph/index";
import { listPools, type PoolSummary } from "./credits";
import { conflict, HttpError, notFound } from "./http/errors";
import type { Caller } from "./http/guard";
import { engineNow } from "./runtime/boot";

// Credit pool settings, seats, purchases, corrections and campaign budgets: money settings,
// so the routes and actions behind them take an admin or an owner. Ids from the client are
// looked up inside caller.workspace, so another workspace's ids answer "not found".

const id = z.string().min(1).max(100);
const poolName = z
  .string()
  .trim()
  .min(2, "Give the pool a name of at least 2 characters.")
  .max(80, "Keep the name under 80 characters.");
const renewalDay = z
  .int("Give the renewal day as a whole number from 1 to 31.")
  .min(1, "Give the renewal day as a whole number from 1 to 31.")
  .max(31, "Give the renewal day as a whole number from 1 to 31.");
const creditCount = (what: string) =>
  z
    .int(`Give ${what} as a whole number of credits.`)
    .min(0, `${what[0]?.toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(100_000, `${what[0]?.toUpperCase()}${what.slice(1)} is at most 100,000 credits.`);

export const createPoolInput = z
  .object({
    name: poolName,
    plan: PlanIdSchema,
    renewalDay,
    /** What LinkedIn shows today; it enters the ledger as an adjustment. */
    openingBalance: creditCount("the opening balance").default(0),
    /** The plan's default when absent. */
    refundPolicy: RefundPolicySchema.optional(),
    /** Team and custom plans only. */
    allowance: creditCount("the monthly allowance").optional(),
    cap: creditCount("the most the pool can hold").optional(),
  })
  .superRefine((input, ctx) => {
    const plan = CREDIT_PLANS[input.plan];
    if (input.plan === "custom") {
      if (input.allowance === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["allowance"],
          message: "A custom plan needs its monthly allowance.",
        });
      }
      if (input.cap === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["cap"],
          message: "A custom plan needs the most it can hold.",
        });
      }
      if (input.allowance === undefined || input.cap === undefined) return;
    }
    const current = { allowance: plan.allowancePerMonth, cap: plan.cap };
    const numbers = { ...input, balance: input.openingBalance };
    for (const issue of poolNumberIssues(plan, numbers, current)) {
      const path = issue.path === "balance" ? "openingBalance" : issue.path;
      ctx.addIssue({ code: "custom", path: [path], message: issue.message });
    }
  });
export type CreatePoolInput = z.input<typeof createPoolInput>;

export async function createPool(caller: Caller, input: z.infer<typeof createPoolInput>) {
  const { db, workspace } = caller;
  const id = await createCreditPool(db, workspace.workspaceId, {
    name: input.name,
    plan: input.plan,
    renewalDay: input.renewalDay,
    balance: input.openingBalance,
    at: engineNow(),
    ...(input.refundPolicy ? { refundPolicy: input.refundPolicy } : {}),
    ...(input.allowance !== undefined ? { allowance: input.allowance } : {}),
    ...(input.cap !== undefined ? { cap: input.cap } : {}),
  });
  return { id, name: input.name };
}

export const poolIdInput = z.object({ poolId: id });

async function requirePool(caller: Caller, poolId: string) {
  const pool = await findPool(caller.db, caller.workspace.workspaceId, poolId);
  if (!pool) throw notFound("Credit pool");
  return pool;
}

function planOf(plan: string): CreditPlan {
  const parsed = PlanIdSchema.safeParse(plan);
  return CREDIT_PLANS[parsed.success ? parsed.data : "custom"];
}

export const updatePoolInput = z.object({
  poolId: id,
  name: poolName.optional(),
  renewalDay: renewalDay.optional(),
  refundPolicy: RefundPolicySchema.optional(),
  allowance: creditCount("the monthly allowance").optional(),
  cap: creditCount("the most the pool can hold").optional(),
  /** Credits below which the pool is announced low; null: back to 10 % of the allowance. */
  lowThreshold: creditCount("the low-credit threshold").nullable().optional(),
});

/** Renames a pool, moves its renewal day, changes its refund policy or a team plan's numbers. */
export async function updatePool(caller: Caller, input: z.infer<typeof updatePoolInput>) {
  const pool = await requirePool(caller, input.poolId);
  const plan = planOf(pool.plan);
  const issues = poolNumberIssues(plan, { allowance: input.allowance, cap: input.cap }, pool);
  if (issues.length > 0) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of issues) {
      fieldErrors[issue.path] = [...(fieldErrors[issue.path] ?? []), issue.message];
    }
    throw new HttpError(400, "invalid_input", issues[0]?.message ?? "Invalid input.", fieldErrors);
  }
  const changes: Parameters<typeof updatePoolSettings>[3] = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.refundPolicy !== undefined) changes.refundPolicy = input.refundPolicy;
  if (input.allowance !== undefined) changes.allowance = input.allowance;
  if (input.cap !== undefined) changes.cap = input.cap;
  if (input.lowThreshold !== undefined && input.lowThreshold !== pool.lowThreshold) {
    changes.lowThreshold = input.lowThreshold;
    // A new mark starts a new episode: the next check announces the pool if it is below it.
    changes.lowSince = null;
  }
  if (input.renewalDay !== undefined && input.renewalDay !== pool.renewalDay) {
    changes.renewalDay = input.renewalDay;
    // The engine renews at the pool's next_renewal_at: move it to the new anchor day.
    changes.nextRenewalAt = nextRenewal(
      { renewalAnchorDay: input.renewalDay, timeZone: "UTC" },
      engineNow(),
    );
  }
  if (Object.keys(changes).length > 0) {
    await updatePoolSettings(caller.db, caller.workspace.workspaceId, pool.id, changes);
  }
  return { id: pool.id };
}

export const poolAccountInput = z.object({ poolId: id, accountId: id });

/** The account draws its InMail credits on this pool from now on (leaving any other pool). */
export async function assignAccount(caller: Caller, input: z.infer<typeof poolAccountInput>) {
  const pool = await requirePool(caller, input.poolId);
  const account = await findAccount(caller.db, caller.workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  await setAccountPool(caller.db, caller.workspace.workspaceId, account.id, pool.id);
  return { accountId: account.id, poolId: pool.id };
}

/** The account stops drawing on this pool: its InMails then take no credit from a pool here. */
export async function unassignAccount(caller: Caller, input: z.infer<typeof poolAccountInput>) {
  const pool = await requirePool(caller, input.poolId);
  const account = await findAccount(caller.db, caller.workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  if (account.creditPoolId !== pool.id) {
    throw conflict(`${account.name} does not draw on ${pool.name}.`, "not_in_pool");
  }
  await setAccountPool(caller.db, caller.workspace.workspaceId, account.id, null);
  return { accountId: account.id, poolId: null };
}

export const purchaseInput = z.object({
  poolId: id,
  blocks: z
    .int("Give the number of blocks as a whole number.")
    .min(1, "Buy at least one block.")
    .max(100, "Buy at most 100 blocks at once."),
});

/** Add-on credits bought from LinkedIn, where the plan sells them, as a `purchase` entry. */
export async function purchaseCredits(caller: Caller, input: z.infer<typeof purchaseInput>) {
  const pool = await requirePool(caller, input.poolId);
  const plan = planOf(pool.plan);
  if (plan.addOnBlockSize === null) {
    throw conflict(`${plan.label} sells no add-on InMail credits.`, "no_add_ons");
  }
  const credits = input.blocks * plan.addOnBlockSize;
  const moved = await moveBalance(caller.db, caller.workspace.workspaceId, pool.id, {
    type: "purchase",
    delta: credits,
    note: `${input.blocks} add-on block${input.blocks === 1 ? "" : "s"} of ${plan.addOnBlockSize}`,
    at: engineNow(),
  });
  if (!moved.ok) throw notFound("Credit pool");
  return { poolId: pool.id, credits, balance: moved.after };
}

export const correctionInput = z.object({
  poolId: id,
  amount: z
    .int("Give the correction as a whole number of credits, with a minus sign to remove some.")
    .min(-100_000, "A correction moves at most 100,000 credits.")
    .max(100_000, "A correction moves at most 100,000 credits.")
    .refine((amount) => amount !== 0, "A correction of 0 changes nothing."),
  note: z
    .string()
    .trim()
    .min(3, "Say why, in a few words (for example: LinkedIn shows 42).")
    .max(200, "Keep the note under 200 characters."),
});

/**
 * A manual balance correction (LinkedIn shows another number), as an `adjustment` entry with
 * its note. A correction that would take the balance below zero is refused.
 */
export async function correctBalance(caller: Caller, input: z.infer<typeof correctionInput>) {
  const pool = await requirePool(caller, input.poolId);
  const moved = await moveBalance(caller.db, caller.workspace.workspaceId, pool.id, {
    type: "adjustment",
    delta: input.amount,
    note: input.note,
    at: engineNow(),
  });
  if (!moved.ok && moved.reason === "below_zero") {
    const message = `${pool.name} holds ${moved.before} credits: a correction of ${input.amount} would take it below zero.`;
    throw new HttpError(400, "below_zero", message, { amount: [message] });
  }
  if (!moved.ok) throw notFound("Credit pool");
  return { poolId: pool.id, balance: moved.after };
}

/** Deletes a pool set up by mistake: one with no seats and no campaign spend in its ledger. */
export async function deletePool(caller: Caller, input: z.infer<typeof poolIdInput>) {
  const { db, workspace } = caller;
  const pool = await requirePool(caller, input.poolId);
  const seats = (await accountsOfWorkspace(db, workspace.workspaceId)).filter(
    (account) => account.poolId === pool.id,
  );
  if (seats.length > 0) {
    throw conflict(
      `${seats.map((s) => s.name).join(", ")} still draw${seats.length === 1 ? "s" : ""} on ${pool.name}: move ${seats.length === 1 ? "it" : "them"} to another pool first.`,
      "pool_in_use",
    );
  }
  if ((await campaignEntriesOfPool(db, workspace.workspaceId, pool.id)) > 0) {
    throw conflict(
      `${pool.name}'s ledger records campaign spend that the budget panels show: it is kept.`,
      "pool_has_history",
    );
  }
  await deletePoolRow(db, workspace.workspaceId, pool.id);
  return { id: pool.id };
}

export interface PoolLedgerEntry {
  id: number;
  at: string;
  type: string;
  amount: number;
  note: string | null;
  campaignId: string | null;
}

export interface PlanOption {
  id: PlanId;
  label: string;
  allowance: number;
  cap: number;
  allowanceSettable: boolean;
  addOnBlockSize: number | null;
  refundPolicy: z.infer<typeof RefundPolicySchema>;
}

export interface CreditsOverview {
  pools: Array<PoolSummary & { entries: PoolLedgerEntry[] }>;
  accounts: Array<{ id: string; name: string; poolId: string | null }>;
  plans: PlanOption[];
}

const ENTRIES_SHOWN = 8;

/** Everything the Credits page shows: pools with their latest entries, seats, the plans. */
export async function describePools(caller: Caller, now = engineNow()): Promise<CreditsOverview> {
  const { db, workspace } = caller;
  const [pools, accounts] = await Promise.all([
    listPools(caller, now),
    accountsOfWorkspace(db, workspace.workspaceId),
  ]);
  const withEntries = await Promise.all(
    pools.map(async (pool) => ({
      ...pool,
      entries: (await recentLedgerOfPool(db, workspace.workspaceId, pool.id, ENTRIES_SHOWN)).map(
        (entry) => ({
          id: entry.id,
          at: entry.at.toISOString(),
          type: entry.type,
          amount: entry.amount,
          note: entry.note,
          campaignId: entry.campaignId,
        }),
      ),
    })),
  );
  return {
    pools: withEntries,
    accounts,
    plans: Object.values(CREDIT_PLANS).map((plan) => ({
      id: plan.id,
      label: plan.label,
      allowance: plan.allowancePerMonth,
      cap: plan.cap,
      allowanceSettable: plan.allowanceSettable,
      addOnBlockSize: plan.addOnBlockSize,
      refundPolicy: plan.defaultRefundPolicy,
    })),
  };
}

export const campaignBudgetsInput = CampaignBudgetsSchema.extend({ campaignId: id });

/** The budget keys of a campaign: one per branch reaching one of its InMail steps. */
export function budgetKeysOf(graph: AnyGraph): Set<string> {
  const map = branchMap(graph);
  const keys = new Set<string>();
  for (const node of graph.nodes) {
    if (node.kind !== "inmail") continue;
    for (const path of map.byNode.get(node.id) ?? []) keys.add(budgetKey(node.id, path.key));
  }
  return keys;
}

/**
 * Sets the campaign's InMail budgets: one for the whole campaign and one per branch row of the
 * budget panel. The engine reads them before each paid InMail; when one is used up the lead
 * takes the InMail's "not sent" exit with the reason `budget_reached`.
 */
export async function setBudgets(caller: Caller, input: z.infer<typeof campaignBudgetsInput>) {
  const { db, workspace } = caller;
  const campaign = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!campaign) throw notFound("Campaign");
  const live = campaign.liveVersionId
    ? await findLiveVersion(db, workspace.workspaceId, campaign.liveVersionId)
    : null;
  const keys = budgetKeysOf((live?.graph ?? campaign.draftGraph) as AnyGraph);
  const unknown = Object.keys(input.branches).filter((key) => !keys.has(key));
  if (unknown.length > 0) {
    const message = "No branch of this campaign reaches an InMail step with this key.";
    throw new HttpError(
      400,
      "invalid_input",
      `branches: ${message}`,
      Object.fromEntries(unknown.map((key) => [`branches.${key}`, [message]])),
    );
  }
  const budgets = { campaign: input.campaign, branches: input.branches };
  await setCampaignBudgets(db, workspace.workspaceId, campaign.id, budgets);
  return budgets;
}
