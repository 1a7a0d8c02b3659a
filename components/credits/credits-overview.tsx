"use client";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { requestJson } from "@/components/ui/api";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { CreditsIcon } from "@/components/ui/icons";
import { NewPoolForm } from "./new-pool-form";
import { PoolPanel } from "./pool-panel";
import type { CreditsOverviewView } from "./types";
import { OVERVIEW_KEY } from "./use-credits-mutation";

const REFRESH_MS = 5000;

/** The workspace's Credits page: every pool, kept fresh while the engine spends. */
export function CreditsOverview({
  initial,
  canManage,
}: {
  initial: CreditsOverviewView;
  canManage: boolean;
}) {
  const query = useQuery({
    queryKey: OVERVIEW_KEY,
    queryFn: () => requestJson<CreditsOverviewView>("/api/credits/pools"),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
  const { pools, accounts, plans } = query.data;
  return (
    <div className="grid gap-6">
      {query.isError ? (
        <Alert tone="error">
          The latest numbers could not be loaded ({query.error.message}); showing the last ones.
        </Alert>
      ) : null}
      {pools.length === 0 ? (
        <EmptyState
          icon={<CreditsIcon />}
          title="No credit pools yet"
          description="A credit pool holds one plan's InMail credits (Premium, Sales Navigator, Recruiter), shared by the seats that draw on it. Here you will see each pool's balance, its next renewal, credits at risk of being forfeited, and its balance over time."
          steps={[
            "Create a pool for your LinkedIn plan below.",
            "Add the sender accounts that draw on it.",
            "Follow the spend per branch on each campaign's page.",
          ]}
        />
      ) : (
        pools.map((pool) => (
          <PoolPanel
            key={pool.id}
            pool={pool}
            accounts={accounts}
            settable={plans.find((plan) => plan.id === pool.plan)?.allowanceSettable ?? true}
            canManage={canManage}
          />
        ))
      )}
      <Card>
        <CardHeader
          title="New credit pool"
          description="One plan's InMail credits: the catalog's numbers for personal plans, your own for team contracts and custom plans."
        />
        <div className="px-5 py-4">
          <NewPoolForm plans={plans} canManage={canManage} />
        </div>
      </Card>
    </div>
  );
}
