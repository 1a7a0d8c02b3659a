import "server-only";

import { z } from "zod";
import { moveBalance } from "@/db/queries/pools";
import { HttpError, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { id, requirePool } from "./pool-shared";

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
