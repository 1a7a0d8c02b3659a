import "server-only";

import { z } from "zod";
import { findPool } from "@/db/queries/pools";
import { CREDIT_PLANS, type CreditPlan, PlanIdSchema } from "@/workflows/credits/plans";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

// Credit pool settings, seats, purchases, corrections and campaign budgets: money settings,
// so the routes and actions behind them take an admin or an owner. Ids from the client are
// looked up inside caller.workspace, so another workspace's ids answer "not found".

export const id = z.string().min(1).max(100);

export const poolName = z
  .string()
  .trim()
  .min(2, "Give the pool a name of at least 2 characters.")
  .max(80, "Keep the name under 80 characters.");

export const renewalDay = z
  .int("Give the renewal day as a whole number from 1 to 31.")
  .min(1, "Give the renewal day as a whole number from 1 to 31.")
  .max(31, "Give the renewal day as a whole number from 1 to 31.");

export const creditCount = (what: string) =>
  z
    .int(`Give ${what} as a whole number of credits.`)
    .min(0, `${what[0]?.toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(100_000, `${what[0]?.toUpperCase()}${what.slice(1)} is at most 100,000 credits.`);

export async function requirePool(caller: Caller, poolId: string) {
  const pool = await findPool(caller.db, caller.workspace.workspaceId, poolId);
  if (!pool) throw notFound("Credit pool");
  return pool;
}

export function planOf(plan: string): CreditPlan {
  const parsed = PlanIdSchema.safeParse(plan);
  return CREDIT_PLANS[parsed.success ? parsed.data : "custom"];
}

export const poolAccountInput = z.object({ poolId: id, accountId: id });
