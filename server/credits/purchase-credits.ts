import "server-only";

import { z } from "zod";
import { moveBalance } from "@/db/queries/pools";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { id, planOf, requirePool } from "./pool-shared";

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
