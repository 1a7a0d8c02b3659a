import "server-only";

import type { z } from "zod";
import { accountsOfWorkspace, recentLedgerOfPool } from "@/db/queries/pools";
import { CREDIT_PLANS, type PlanId } from "@/workflows/credits/plans";
import type { RefundPolicySchema } from "@/workflows/credits/refunds";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { listPools, type PoolSummary } from "./list-pools";

export interface PoolLedgerEntry {
  id: number;
  at: string;
  type: string;
  amount: number;
  note: string | null;
  campaignId: string | null;
}

export interface PlanOption {
  id: PlanId;
  label: string;
  allowance: number;
  cap: number;
  allowanceSettable: boolean;
  addOnBlockSize: number | null;
  refundPolicy: z.infer<typeof RefundPolicySchema>;
}

export interface CreditsOverview {
  pools: Array<PoolSummary & { entries: PoolLedgerEntry[] }>;
  accounts: Array<{ id: string; name: string; poolId: string | null }>;
  plans: PlanOption[];
}

const ENTRIES_SHOWN = 8;

/** Everything the Credits page shows: pools with their latest entries, seats, the plans. */
export async function describePools(caller: Caller, now = engineNow()): Promise<CreditsOverview> {
  const { db, workspace } = caller;
  const [pools, accounts] = await Promise.all([
    listPools(caller, now),
    accountsOfWorkspace(db, workspace.workspaceId),
  ]);
  const withEntries = await Promise.all(
    pools.map(async (pool) => ({
      ...pool,
      entries: (await recentLedgerOfPool(db, workspace.workspaceId, pool.id, ENTRIES_SHOWN)).map(
        (entry) => ({
          id: entry.id,
          at: entry.at.toISOString(),
          type: entry.type,
          amount: entry.amount,
          note: entry.note,
          campaignId: entry.campaignId,
        }),
      ),
    })),
  );
  return {
    pools: withEntries,
    accounts,
    plans: Object.values(CREDIT_PLANS).map((plan) => ({
      id: plan.id,
      label: plan.label,
      allowance: plan.allowancePerMonth,
      cap: plan.cap,
      allowanceSettable: plan.allowanceSettable,
      addOnBlockSize: plan.addOnBlockSize,
      refundPolicy: plan.defaultRefundPolicy,
    })),
  };
}
