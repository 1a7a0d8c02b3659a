/** A credit pool: one plan's InMail credits, possibly shared by several seats. */
import { z } from "zod";
import { TimeZoneSchema } from "../engine/pacing/settings";
import { CREDIT_PLANS, type PlanId, PlanIdSchema } from "./plans";
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
