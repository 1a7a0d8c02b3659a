"use client";
import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import type { CampaignDashboard as Dashboard } from "@/server/dashboard";
import { ActivityFeed } from "./activity-feed";
import { DailyActivity } from "./daily-activity";
import { Funnel } from "./funnel";
import { LiveGraph } from "./live-graph";
import { DashboardQueryProvider } from "./query-provider";
import { StepTable } from "./step-table";
import { SummaryTiles } from "./summary-tiles";
import { VariantResults } from "./variant-results";

/** How often the figures are fetched again: a running campaign's within 2 s of the engine. */
const RUNNING_POLL_MS = 2_000;
const IDLE_POLL_MS = 5_000;

const pollMs = (status: string | undefined) =>
  status === "running" ? RUNNING_POLL_MS : IDLE_POLL_MS;

async function fetchDashboard(campaignId: string): Promise<Dashboard> {
  const response = await fetch(`/api/campaigns/${encodeURIComponent(campaignId)}/dashboard`, {
    cache: "no-store",
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(
      body?.error?.message ?? `The dashboard could not be loaded (${response.status}).`,
    );
  }
  return body as Dashboard;
}

function Panels({ campaignId, initial }: Props) {
  const query = useQuery({
    queryKey: ["campaign-dashboard", campaignId],
    queryFn: () => fetchDashboard(campaignId),
    initialData: initial,
    refetchInterval: (q) => pollMs(q.state.data?.campaign.status),
  });
  const dashboard = query.data;
  return (
    <div className="grid gap-6">
      {query.error ? (
        <Alert tone="error">
          {query.error.message} The figures below are from{" "}
          {new Date(dashboard.generatedAt).toLocaleTimeString()}.
        </Alert>
      ) : null}
      <div className="grid gap-2">
        <SummaryTiles enrollments={dashboard.enrollments} />
        <p className="text-right text-xs text-slate-500">
          Figures as of{" "}
          <time
            dateTime={dashboard.generatedAt}
            data-testid="dashboard-updated"
            suppressHydrationWarning
          >
            {new Date(dashboard.generatedAt).toLocaleTimeString()}
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
          <StepTable nodes={dashboard.nodes} />
        </details>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Funnel"
            description="Leads who reached each stage, out of everyone enrolled."
          />
          <Funnel funnel={dashboard.funnel} rates={dashboard.rates} />
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

/** The live campaign dashboard: polls the dashboard API and redraws what changed. */
export function CampaignDashboard(props: Props) {
  return (
    <DashboardQueryProvider>
      <Panels {...props} />
    </DashboardQueryProvider>
  );
}
