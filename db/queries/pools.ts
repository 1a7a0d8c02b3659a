import "server-only";

import { and, desc, eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { campaign, creditLedger, creditPool, senderAccount } from "../schema/index";
import { balanceDeltaSql } from "./credits";

// Writes behind the Credits page: pool settings, seat assignment, purchases, corrections and
// campaign budgets. Every statement filters on the workspace, so another workspace's ids find
// nothing. A balance only moves together with its ledger entry, under the pool's row lock.

export async function findPool(db: Database, workspaceId: string, poolId: string) {
  const [row] = await db
    .select()
    .from(creditPool)
    .where(and(eq(creditPool.workspaceId, workspaceId), eq(creditPool.id, poolId)))
    .limit(1);
  return row ?? null;
}

export async function updatePoolSettings(
  db: Database,
  workspaceId: string,
  poolId: string,
  settings: Partial<
    Pick<
      typeof creditPool.$inferInsert,
      | "name"
      | "allowance"
      | "cap"
      | "renewalDay"
      | "refundPolicy"
      | "nextRenewalAt"
      | "lowThreshold"
      | "lowSince"
    >
  >,
) {
  const [row] = await db
    .update(creditPool)
    .set(settings)
    .where(and(eq(creditPool.workspaceId, workspaceId), eq(creditPool.id, poolId)))
    .returning({ id: creditPool.id });
  return row ?? null;
}

/** Points a sender account at a pool (or at none); null when the account is not found. */
export async function setAccountPool(
  db: Database,
  workspaceId: string,
  accountId: string,
  poolId: string | null,
) {
  const [row] = await db
    .update(senderAccount)
    .set({ creditPoolId: poolId })
    .where(and(eq(senderAccount.workspaceId, workspaceId), eq(senderAccount.id, accountId)))
    .returning({ id: senderAccount.id, name: senderAccount.name });
  return row ?? null;
}

export async function findAccount(db: Database, workspaceId: string, accountId: string) {
  const [row] = await db
    .select({
      id: senderAccount.id,
      name: senderAccount.name,
      creditPoolId: senderAccount.creditPoolId,
    })
    .from(senderAccount)
    .where(and(eq(senderAccount.workspaceId, workspaceId), eq(senderAccount.id, accountId)))
    .limit(1);
  return row ?? null;
}

export async function accountsOfWorkspace(db: Database, workspaceId: string) {
  return db
    .select({
      id: senderAccount.id,
      name: senderAccount.name,
      poolId: senderAccount.creditPoolId,
    })
    .from(senderAccount)
    .where(eq(senderAccount.workspaceId, workspaceId))
    .orderBy(senderAccount.name, senderAccount.id);
}

export type BalanceMove =
  | { ok: true; before: number; after: number }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "below_zero"; before: number };

/**
 * Moves a pool's balance by `delta` and appends the ledger entry that explains it, in one
 * transaction under the pool's row lock: the balance stays equal to the ledger and never goes
 * below zero, whatever else (the engine, another admin) writes at the same time.
 */
export async function moveBalance(
  db: Database,
  workspaceId: string,
  poolId: string,
  entry: { type: "purchase" | "adjustment"; delta: number; note: string; at: Date },
): Promise<BalanceMove> {
  return db.transaction(async (tx) => {
    const [pool] = await queryRows<{ balance: number }>(
      tx,
      sql`select balance from credit_pool
           where id = ${poolId} and workspace_id = ${workspaceId} for update`,
    );
    if (!pool) return { ok: false, reason: "not_found" };
    const before = Number(pool.balance);
    const after = before + entry.delta;
    if (after < 0) return { ok: false, reason: "below_zero", before };
    await tx.update(creditPool).set({ balance: after }).where(eq(creditPool.id, poolId));
    await tx.insert(creditLedger).values({
      workspaceId,
      poolId,
      at: entry.at,
      type: entry.type,
      // A purchase is positive by its type; an adjustment carries its sign.
      amount: entry.type === "purchase" ? Math.abs(entry.delta) : entry.delta,
      note: entry.note,
    });
    return { ok: true, before, after };
  });
}

/** The newest ledger entries of a pool, newest first. */
export async function recentLedgerOfPool(
  db: Database,
  workspaceId: string,
  poolId: string,
  limit: number,
) {
  return db
    .select({
      id: creditLedger.id,
      at: creditLedger.at,
      type: creditLedger.type,
      amount: creditLedger.amount,
      campaignId: creditLedger.campaignId,
      nodeId: creditLedger.nodeId,
      note: creditLedger.note,
    })
    .from(creditLedger)
    .where(and(eq(creditLedger.workspaceId, workspaceId), eq(creditLedger.poolId, poolId)))
    .orderBy(desc(creditLedger.at), desc(creditLedger.id))
    .limit(limit);
}

/** The sum of a pool's ledger as it moves the balance (a forfeit moves nothing). */
export async function ledgerBalance(db: Database, workspaceId: string, poolId: string) {
  const [row] = await queryRows<{ balance: number }>(
    db,
    sql`select coalesce(sum(${balanceDeltaSql("l")}), 0)::int as balance
          from credit_ledger l where workspace_id = ${workspaceId} and pool_id = ${poolId}`,
  );
  return Number(row?.balance ?? 0);
}

/** Ledger entries of the pool that a campaign's budget panel reads. */
export async function campaignEntriesOfPool(db: Database, workspaceId: string, poolId: string) {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from credit_ledger
         where workspace_id = ${workspaceId} and pool_id = ${poolId}
           and campaign_id is not null`,
  );
  return Number(row?.n ?? 0);
}

export async function deletePoolRow(db: Database, workspaceId: string, poolId: string) {
  const [row] = await db
    .delete(creditPool)
    .where(and(eq(creditPool.workspaceId, workspaceId), eq(creditPool.id, poolId)))
    .returning({ id: creditPool.id });
  return row ?? null;
}

export async function setCampaignBudgets(
  db: Database,
  workspaceId: string,
  campaignId: string,
  budgets: unknown,
) {
  const [row] = await db
    .update(campaign)
    .set({ budgets })
    .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)))
    .returning({ id: campaign.id });
  return row ?? null;
}
