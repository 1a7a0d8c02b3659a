"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { campaignKeys } from "@/components/campaigns/query-keys";
import { RepliesByCategory } from "@/components/inbox/replies-by-category";
import { Alert } from "@/components/ui/alert";
import { requestJson } from "@/components/ui/api";
import { Card, CardHeader } from "@/components/ui/card";
import { formatTime } from "@/components/ui/format";
import type { CampaignDashboard as Dashboard } from "@/views/dashboard";
import { ActivityFeed } from "./activity-feed";
import { DailyActivity } from "./daily-activity";
import { Funnel } from "./funnel";
import { LiveGraph } from "./live-graph";
import { StepTable } from "./step-table";
import { SummaryTiles } from "./summary-tiles";
import { VariantResults } from "./variant-results";

/** How often the figures are fetched again: a running campaign's within 2 s of the engine. */
const RUNNING_POLL_MS = 2_000;
const IDLE_POLL_MS = 5_000;

const pollMs = (status: string | undefined) =>
  status === "running" ? RUNNING_POLL_MS : IDLE_POLL_MS;

function fetchDashboard(campaignId: string): Promise<Dashboard> {
  return requestJson<Dashboard>(`/api/campaigns/${encodeURIComponent(campaignId)}/dashboard`);
}

/** The live campaign dashboard: polls the dashboard API and redraws what changed. */
export function CampaignDashboard({ campaignId, initial }: Props) {
  const queryClient = useQueryClient();
  // The page's one poll: the other live views follow it by invalidation.
  const query = useQuery({
    queryKey: campaignKeys.dashboard(campaignId),
    queryFn: () => fetchDashboard(campaignId),
    initialData: initial,
    refetchInterval: (q) => pollMs(q.state.data?.campaign.status),
  });
  const dashboard = query.data;
  const fingerprint = JSON.stringify([dashboard.enrollments, dashboard.campaign.status]);
  const seen = useRef(fingerprint);
  useEffect(() => {
    if (seen.current === fingerprint) return;
    seen.current = fingerprint;
    void queryClient.invalidateQueries({ queryKey: campaignKeys.credits(campaignId) });
    void queryClient.invalidateQueries({ queryKey: campaignKeys.allLeads(campaignId) });
  }, [fingerprint, campaignId, queryClient]);
  return (
    // grid-cols-1 (minmax(0, 1fr)): the column never grows past the page to fit a wide child.
    <div className="grid grid-cols-1 gap-6">
      {query.error ? (
        <Alert tone="error">
          {query.error.message} The figures below are from {formatTime(dashboard.generatedAt)}.
        </Alert>
      ) : null}
      <div className="grid grid-cols-1 gap-2">
        <SummaryTiles
          campaignId={campaignId}
          launched={
            dashboard.campaign.status === "running" || dashboard.campaign.status === "paused"
          }
          enrollments={dashboard.enrollments}
          rates={dashboard.rates}
          funnel={dashboard.funnel}
        />
        <p className="text-right text-xs text-slate-500">
          Figures as of{" "}
          <time
            dateTime={dashboard.generatedAt}
            data-testid="dashboard-updated"
            suppressHydrationWarning
          >
            {formatTime(dashboard.generatedAt)}
          </time>
          , refreshed every {Math.round(pollMs(dashboard.campaign.status) / 1000)} seconds
        </p>
      </div>
      <Card>
        <CardHeader
          title="Workflow"
          description="The published version, live: leads waiting at each step, how many passed or failed there, and how many took each exit."
          action={
            <a
              href={`/api/campaigns/${encodeURIComponent(campaignId)}/export`}
              download
              className="whitespace-nowrap rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            >
              Export CSV
            </a>
          }
        />
        <LiveGraph dashboard={dashboard} />
        <details className="border-t border-slate-100">
          <summary className="cursor-pointer px-5 py-2.5 text-sm text-slate-600 hover:text-slate-900">
            The same counts as a table
          </summary>
          <StepTable nodes={dashboard.nodes} campaignId={dashboard.campaign.id} />
        </details>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Funnel"
            description="Leads who reached each stage, out of everyone enrolled."
          />
          <Funnel funnel={dashboard.funnel} rates={dashboard.rates} />
          <div className="border-t border-slate-100">
            <h3 className="px-5 pt-3 text-sm font-medium text-slate-800">Replies by category</h3>
            <RepliesByCategory campaignId={dashboard.campaign.id} />
          </div>
        </Card>
        <Card>
          <CardHeader
            title="Daily activity"
            description="Sent actions per day, by kind, on each sender's calendar."
          />
          <DailyActivity days={dashboard.daily} />
        </Card>
      </div>
      <Card>
        <CardHeader
          title="A/B results"
          description="Each variant of a step side by side: how many drew it, got it and answered."
        />
        <VariantResults variants={dashboard.variants} />
      </Card>
      <Card>
        <CardHeader
          title="Activity"
          description="The latest actions, newest first, with why anything was not sent."
        />
        <ActivityFeed feed={dashboard.feed} />
      </Card>
    </div>
  );
}

interface Props {
  campaignId: string;
  /** The figures the page was rendered with; fresh ones follow every few seconds. */
  initial: Dashboard;
}
