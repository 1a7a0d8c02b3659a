import type { Database } from "@/db/client";
import {
  findAccountRoute,
  findCreditPool,
  otherSeatsOfPool,
  syncPoolBalance,
  unipileSeatsOfPool,
} from "@/db/queries/unipile";
import type { PlanId } from "@/workflows/credits/index";
import type { InmailBalances } from "@/workflows/providers/unipile/index";
import type { UnipileAdapters } from "./adapters";

/** Which of LinkedIn's three InMail counters a pool's plan draws on. */
export function balanceForPlan(plan: string, balances: InmailBalances): number | null {
  switch (plan as PlanId) {
    case "sales_navigator_core":
      return balances.salesNavigator ?? balances.premium;
    case "recruiter_lite":
    case "recruiter_professional":
      return balances.recruiter ?? balances.premium;
    default:
      return balances.premium;
  }
}

/**
 * Brings a pool's balance in line with LinkedIn's count (the sum over its Unipile seats), with
 * one adjustment entry. Skipped when any seat cannot be read, or when the pool also feeds seats
 * whose credits LinkedIn cannot report (sandbox seats).
 */
export async function syncPoolWithLinkedIn(
  db: Database,
  adapters: UnipileAdapters,
  poolId: string,
  now: Date,
): Promise<{ before: number; after: number } | null> {
  const pool = await findCreditPool(db, poolId);
  if (!pool) return null;
  if ((await otherSeatsOfPool(db, poolId)) > 0) return null;
  const seats = await unipileSeatsOfPool(db, poolId);
  if (seats.length === 0) return null;
  const adapter = await adapters.forWorkspace(pool.workspaceId);
  if ("missing" in adapter) return null;
  let total = 0;
  for (const seat of seats) {
    let balances: InmailBalances;
    try {
      balances = await adapter.inmailBalances({
        accountId: seat.id,
        providerAccountId: seat.providerAccountId,
      });
    } catch {
      return null;
    }
    const value = balanceForPlan(pool.plan, balances);
    if (value === null) return null;
    total += value;
  }
  return syncPoolBalance(db, {
    poolId,
    linkedinBalance: total,
    at: now,
    note: "synced with LinkedIn's InMail balance",
  });
}

/** The sync for the pool a seat draws on (after LinkedIn said it had no credit left). */
export async function syncAccountPool(
  db: Database,
  adapters: UnipileAdapters,
  accountId: string,
  now: Date,
) {
  const route = await findAccountRoute(db, accountId);
  if (!route?.creditPoolId) return null;
  return syncPoolWithLinkedIn(db, adapters, route.creditPoolId, now);
}
