import "server-only";

import { z } from "zod";
import { updatePoolSettings } from "@/db/queries/pools";
import { poolNumberIssues } from "@/workflows/credits/pool";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import { nextRenewal } from "@/workflows/credits/renewal";
import { HttpError } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { creditCount, id, planOf, poolName, renewalDay, requirePool } from "./pool-shared";

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
