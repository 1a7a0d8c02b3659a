import "server-only";

import { accountsOfWorkspace, recentLedgerOfPool } from "@/db/queries/pools";
import type { CreditsOverview } from "@/views/credits";
import { CREDIT_PLANS } from "@/workflows/credits/plans";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { listPools } from "./list-pools";

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
