/** A credit pool: one plan's InMail credits, possibly shared by several seats. */
import { z } from "zod";
import { TimeZoneSchema } from "../engine/pacing/settings";
import { CREDIT_PLANS, type CreditPlan, type PlanId, PlanIdSchema } from "./plans";
import { RefundPolicySchema } from "./refunds";

export const CreditPoolSchema = z
  .object({
    planId: PlanIdSchema,
    allowancePerMonth: z.int().min(0),
    cap: z.int().min(0),
    /** Day of the month credits renew; in shorter months, the last day. */
    renewalAnchorDay: z.int().min(1).max(31),
    /** Renewals happen at midnight of the anchor day in this zone. */
    timeZone: TimeZoneSchema.default("UTC"),
    refundPolicy: RefundPolicySchema,
    addOnBlockSize: z.int().positive().nullable(),
  })
  .superRefine((pool, ctx) => {
    const plan = CREDIT_PLANS[pool.planId];
    if (plan.allowanceSettable) return;
    for (const field of ["allowancePerMonth", "cap"] as const) {
      if (pool[field] !== plan[field]) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${plan.label} has ${field} ${plan[field]}; only team plans set their own`,
        });
      }
    }
  });
export type CreditPool = z.output<typeof CreditPoolSchema>;
export type CreditPoolInput = z.input<typeof CreditPoolSchema>;

/** A pool on `planId` with the catalog's numbers, overridden where the plan allows. */
export function creditPoolForPlan(
  planId: PlanId,
  settings: Pick<CreditPoolInput, "renewalAnchorDay"> &
    Partial<Omit<CreditPoolInput, "planId" | "renewalAnchorDay">>,
): CreditPool {
  const plan = CREDIT_PLANS[planId];
  return CreditPoolSchema.parse({
    planId,
    allowancePerMonth: plan.allowancePerMonth,
    cap: plan.cap,
    refundPolicy: plan.defaultRefundPolicy,
    addOnBlockSize: plan.addOnBlockSize,
    ...settings,
  });
}

/** A reason a pool cannot exist, on the field to change. */
export interface PoolIssue {
  path: "allowance" | "cap" | "balance";
  message: string;
}

/**
 * What makes a pool on `plan` impossible: an allowance or cap other than a fixed plan's, a cap
 * below the allowance or of nothing at all, a balance above the cap. `numbers` are what the
 * user gives (an opening balance as `balance`); `current` what the pool has where they give
 * nothing (the plan's numbers for a new pool; the pool's own, with its balance, for an edit).
 */
export function poolNumberIssues(
  plan: CreditPlan,
  numbers: { allowance?: number; cap?: number; balance?: number },
  current: { allowance: number; cap: number; balance?: number },
): PoolIssue[] {
  const issues: PoolIssue[] = [];
  if (!plan.allowanceSettable) {
    if (numbers.allowance !== undefined && numbers.allowance !== plan.allowancePerMonth) {
      issues.push({
        path: "allowance",
        message: `${plan.label} grants ${plan.allowancePerMonth} credits a month; only team and custom plans set their own.`,
      });
    }
    if (numbers.cap !== undefined && numbers.cap !== plan.cap) {
      issues.push({
        path: "cap",
        message: `${plan.label} holds at most ${plan.cap} credits; only team and custom plans set their own.`,
      });
    }
  } else if (Object.values(numbers).some((n) => n !== undefined)) {
    // Only what is being set is judged: an edit of the name alone leaves the numbers be.
    const cap = numbers.cap ?? current.cap;
    if (cap < (numbers.allowance ?? current.allowance)) {
      issues.push({
        path: "cap",
        message: "The most a pool can hold must be at least its monthly allowance.",
      });
    } else if (cap < 1) {
      issues.push({ path: "cap", message: "A pool must be able to hold at least 1 credit." });
    }
  }
  if (issues.some((issue) => issue.path === "cap")) return issues;
  const cap = plan.allowanceSettable ? (numbers.cap ?? current.cap) : plan.cap;
  if (numbers.balance !== undefined && numbers.balance > cap) {
    issues.push({
      path: "balance",
      message: `${plan.allowanceSettable ? "This pool" : plan.label} holds at most ${cap} credits; the opening balance cannot be ${numbers.balance}.`,
    });
  } else if (numbers.cap !== undefined && (current.balance ?? 0) > cap) {
    issues.push({
      path: "cap",
      message: `The pool holds ${current.balance} credits now; the most it can hold cannot be less.`,
    });
  }
  return issues;
}
