"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { campaignKeys } from "@/components/campaigns/query-keys";
import { Alert } from "@/components/ui/alert";
import { requestJson } from "@/components/ui/api";
import { Card, CardHeader } from "@/components/ui/card";
import { BranchTable } from "./branch-table";
import { BudgetForm } from "./budget-form";
import { plural } from "./format";
import { describePool, PoolSummary } from "./pool-summary";
import { ProjectionNote } from "./projection";
import type { CampaignCreditsView } from "./types";

/** The campaign dashboard's budget panel: where its InMail credits go, branch by branch. */
export function CampaignCreditsPanel({
  campaignId,
  canManage,
}: {
  campaignId: string;
  canManage: boolean;
}) {
  const query = useQuery({
    queryKey: campaignKeys.credits(campaignId),
    queryFn: () => requestJson<CampaignCreditsView>(`/api/campaigns/${campaignId}/credits`),
    // No poll of its own: the campaign page's one poll (the dashboard) invalidates this key.
  });
  const data = query.data;
  return (
    <Card>
      <CardHeader
        title="InMail credits"
        description="Where this campaign's paid InMail credits go, branch by branch, and whether the pool will last. Kept up to date with the figures above."
        action={
          <Link href="/credits" className="text-sm text-brand-700 hover:underline">
            All credit pools
          </Link>
        }
      />
      <div className="space-y-5 px-5 py-4">
        {query.isPending ? <p className="text-sm text-slate-500">Loading InMail credits…</p> : null}
        {query.isError && !data ? (
          <Alert tone="error">The credits could not be loaded: {query.error.message}</Alert>
        ) : null}
        {data ? <PanelBody campaignId={campaignId} data={data} canManage={canManage} /> : null}
      </div>
    </Card>
  );
}

function PanelBody({
  campaignId,
  data,
  canManage,
}: {
  campaignId: string;
  data: CampaignCreditsView;
  canManage: boolean;
}) {
  if (data.rows.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        This campaign has no InMail step: it spends no InMail credits.
      </p>
    );
  }
  const budget = data.budget;
  return (
    <>
      {data.pools.length === 0 ? (
        <Alert tone="info">
          This campaign's sender accounts draw on no credit pool, so its InMails are not counted
          against one.{" "}
          <Link href="/credits" className="font-medium underline">
            Assign them to a pool
          </Link>{" "}
          to follow the balance, renewals and refunds here.
        </Alert>
      ) : (
        data.pools.map((pool) => (
          <section key={pool.id} aria-label={`${pool.name} pool`} className="space-y-2">
            <div>
              <h3 className="text-sm font-semibold text-slate-900">{pool.name}</h3>
              <p className="text-xs text-slate-500">{describePool(pool)}</p>
            </div>
            <PoolSummary pool={pool} />
          </section>
        ))
      )}
      {data.projection ? <ProjectionNote projection={data.projection} /> : null}
      <p className="text-sm text-slate-700">
        {budget.campaign === null
          ? `No budget for the whole campaign: ${plural(budget.used, "credit")} used, net of refunds.`
          : `Campaign budget: ${budget.used} of ${plural(budget.campaign, "credit")} used, net of refunds.`}
      </p>
      <BranchTable rows={data.rows} totals={data.totals} />
      <BudgetForm
        // Re-mounted when the saved budgets change, so the fields show what is stored.
        key={JSON.stringify([budget.campaign, data.rows.map((row) => [row.key, row.budget])])}
        campaignId={campaignId}
        campaignBudget={budget.campaign}
        rows={data.rows}
        canManage={canManage}
      />
    </>
  );
}
