import "server-only";

import type { Database } from "@/db/client";
import {
  findAccountRoute,
  findCreditPool,
  otherSeatsOfPool,
  syncPoolBalance,
  unipileSeatsOfPool,
} from "@/db/queries/unipile";
import { apiOfPlan } from "@/workflows/providers/types";
import { balanceOfApi, type InmailBalances } from "@/workflows/providers/unipile/index";
import type { UnipileAdapters } from "./adapters";

/**
 * Brings a pool's balance in line with LinkedIn's count (the sum over its Unipile seats, each
 * read from the counter of the product its InMails go through), with
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
    // The counter the seat's sends draw on: the product of the seat's own plan.
    const value = balanceOfApi(apiOfPlan(seat.linkedinPlan), balances);
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
