import "server-only";

import { LOW_CREDIT_SHARE } from "@/db/engine/credit-alerts";
import {
  accountsOfPools,
  dailyBalances,
  pendingRefundsOfPools,
  poolsOfWorkspace,
} from "@/db/queries/credits";
import type { PoolSummary } from "@/views/credits";
import { CREDIT_PLANS, type PlanId } from "@/workflows/credits/plans";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import { forecastRenewal } from "@/workflows/credits/renewal";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";

export async function listPools(caller: Caller, now = engineNow()): Promise<PoolSummary[]> {
  const { db, workspace } = caller;
  const pools = await poolsOfWorkspace(db, workspace.workspaceId);
  const [accounts, pending] = await Promise.all([
    accountsOfPools(
      db,
      workspace.workspaceId,
      pools.map((p) => p.id),
    ),
    pendingRefundsOfPools(db, workspace.workspaceId),
  ]);
  return Promise.all(
    pools.map(async (pool): Promise<PoolSummary> => {
      const plan = CREDIT_PLANS[pool.plan as PlanId];
      const forecast = forecastRenewal(
        {
          renewalAnchorDay: pool.renewalDay,
          timeZone: "UTC",
          allowancePerMonth: pool.allowance,
          cap: pool.cap,
        },
        pool.balance,
        now,
      );
      const policy = RefundPolicySchema.safeParse(pool.refundPolicy);
      return {
        id: pool.id,
        name: pool.name,
        plan: pool.plan,
        planLabel: plan?.label ?? pool.plan,
        allowance: pool.allowance,
        cap: pool.cap,
        renewalDay: pool.renewalDay,
        refundPolicy: policy.success ? policy.data : { type: "none" },
        addOnBlockSize: plan?.addOnBlockSize ?? null,
        balance: pool.balance,
        lowThreshold: pool.lowThreshold,
        lowMark: pool.lowThreshold ?? pool.allowance * LOW_CREDIT_SHARE,
        refundsPending: pending.find((p) => p.pool_id === pool.id)?.n ?? 0,
        accounts: accounts
          .filter((a) => a.poolId === pool.id)
          .map((a) => ({ id: a.id, name: a.name })),
        nextRenewal: {
          at: (pool.nextRenewalAt ?? forecast.at).toISOString(),
          grant: forecast.grant,
          forfeit: forecast.forfeit,
        },
        history: await dailyBalances(db, workspace.workspaceId, pool.id),
      };
    }),
  );
}
