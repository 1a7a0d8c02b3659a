import "server-only";

import { z } from "zod";
import { createCreditPool } from "@/db/queries/launch";
import { CREDIT_PLANS, PlanIdSchema } from "@/workflows/credits/plans";
import { poolNumberIssues } from "@/workflows/credits/pool";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { creditCount, poolName, renewalDay } from "./pool-shared";

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
