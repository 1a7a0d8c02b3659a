/**
 * InMail credit budgets: one for the whole campaign and one per branch row of the budget panel
 * (an InMail step reached by one path of condition exits). When a budget is used up, the InMail
 * step sends the lead down its "not sent" exit with the reason `budget_reached` — never a
 * silent failure. Credits count net: spent, minus what came back (refunds, released holds).
 */
import { z } from "zod";

/** The key of a branch row: the InMail step and the branch (condition exits) leading to it. */
export function budgetKey(nodeId: string, branch: string): string {
  return `${nodeId}@${branch}`;
}

export const CampaignBudgetsSchema = z.object({
  /** Credits the whole campaign may use; null: no limit. */
  campaign: z.int().min(0).nullable().default(null),
  /** Credits per branch row, keyed by `budgetKey(node, branch)`. */
  branches: z.record(z.string().max(2000), z.int().min(0)).default({}),
});
export type CampaignBudgets = z.output<typeof CampaignBudgetsSchema>;

/** Reads the campaign's stored budgets; anything unreadable means no budget. */
export function parseBudgets(value: unknown): CampaignBudgets | null {
  if (value === null || value === undefined) return null;
  const parsed = CampaignBudgetsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The limits that apply to one InMail send, or null when none does. */
export function budgetLimitsFor(
  budgets: CampaignBudgets | null,
  nodeId: string,
  branch: string,
): { campaign: number | null; branch: number | null } | null {
  if (!budgets) return null;
  const campaign = budgets.campaign;
  const branchLimit = budgets.branches[budgetKey(nodeId, branch)] ?? null;
  if (campaign === null && branchLimit === null) return null;
  return { campaign, branch: branchLimit };
}

/** Which budget (if any) one more credit would exceed, given net credits used so far. */
export function budgetExceeded(
  limits: { campaign: number | null; branch: number | null },
  used: { campaign: number; branch: number },
  credits: number,
): "campaign" | "branch" | null {
  if (limits.branch !== null && used.branch + credits > limits.branch) return "branch";
  if (limits.campaign !== null && used.campaign + credits > limits.campaign) return "campaign";
  return null;
}
