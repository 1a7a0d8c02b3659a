import Link from "next/link";
import { notFound } from "next/navigation";
import { AddLeadsForm } from "@/components/campaigns/add-leads-form";
import { CampaignAlerts } from "@/components/campaigns/campaign-alerts";
import { CampaignLeads } from "@/components/campaigns/campaign-leads";
import { CampaignManage } from "@/components/campaigns/campaign-manage";
import { CampaignStatusButton } from "@/components/campaigns/campaign-status-button";
import { toRow } from "@/components/campaigns/lead-rows";
import { StatusBadge } from "@/components/campaigns/status-badge";
import { CampaignCreditsPanel } from "@/components/credits/budget-panel";
import { CampaignDashboard } from "@/components/dashboard/campaign-dashboard";
import { ForecastEta } from "@/components/forecast/forecast-eta";
import { ForecastPanel } from "@/components/forecast/forecast-panel";
import { ReplySettingsForm } from "@/components/inbox/reply-settings-form";
import { Card, CardHeader } from "@/components/ui/card";
import { formatNumber } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { listCampaignAlerts } from "@/server/campaigns/list-campaign-alerts";
import { listCampaignLeads } from "@/server/campaigns/list-campaign-leads";
import { campaignDashboard } from "@/server/dashboard/get-campaign-dashboard";
import { sandboxDelivery } from "@/server/demo/get-sandbox-delivery";
import { HttpError } from "@/server/http/errors";
import { requirePageCaller } from "@/server/http/page-caller";
import { replySettingsOf } from "@/server/inbox/get-reply-settings";
import { engineClockSlowed } from "@/server/runtime/boot";

export const metadata = { title: "Campaign · Outflow" };

const LEADS_SHOWN = 200;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export default async function CampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const caller = await requirePageCaller();
  const { id } = await params;
  const query = (await searchParams).q;
  const search = (Array.isArray(query) ? query[0] : query)?.trim().slice(0, 100) ?? "";
  let dashboard: Awaited<ReturnType<typeof campaignDashboard>>;
  let leads: Awaited<ReturnType<typeof listCampaignLeads>>["leads"];
  let alerts: Awaited<ReturnType<typeof listCampaignAlerts>>;
  let delivery: Awaited<ReturnType<typeof sandboxDelivery>>;
  try {
    dashboard = await campaignDashboard(caller, { campaignId: id });
    alerts = await listCampaignAlerts(caller, { campaignId: id });
    delivery = await sandboxDelivery(caller, { campaignId: id });
    ({ leads } = await listCampaignLeads(caller, {
      campaignId: id,
      search: search || undefined,
      limit: LEADS_SHOWN,
    }));
  } catch (error) {
    // Another workspace's campaign is as absent as one that never existed.
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const { campaign } = dashboard;
  const replySettings = await replySettingsOf(caller, campaign.id);
  const steps = Object.fromEntries(dashboard.nodes.map((node) => [node.nodeId, node.summary]));
  const counts = dashboard.enrollments;
  const clockSlowed = campaign.status === "running" && engineClockSlowed();

  return (
    <>
      <nav className="mb-2 text-sm">
        <Link href="/campaigns" className="text-slate-500 hover:text-slate-800">
          ← Campaigns
        </Link>
      </nav>
      <PageHeader
        title={campaign.name}
        description={`${plural(counts.enrolled, "lead")} · sends from ${
          campaign.accounts.map((account) => account.name).join(", ") || "no account"
        }${campaign.version ? ` · version ${campaign.version.version}` : ""}${
          campaign.stopOnReply ? " · stops when a lead replies" : ""
        }`}
        actions={
          <>
            <Link
              href={`/campaigns/${campaign.id}/edit`}
              className="rounded-md bg-white px-3.5 py-2 text-sm font-medium text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            >
              Edit workflow
            </Link>
            <StatusBadge status={campaign.status} className="px-2.5 py-1 text-sm" />
            <CampaignStatusButton
              campaignId={campaign.id}
              campaignName={campaign.name}
              status={campaign.status}
              published={campaign.version !== null}
              leadCount={counts.enrolled}
              canManage={canManage}
            />
          </>
        }
      />
      {campaign.status === "running" || campaign.status === "paused" || delivery || clockSlowed ? (
        <div className="-mt-4 mb-4 grid gap-1">
          {campaign.status === "running" || campaign.status === "paused" ? (
            <ForecastEta campaignId={campaign.id} />
          ) : null}
          {clockSlowed ? (
            <p className="text-sm text-amber-700" data-testid="demo-clock-slowed">
              The demo clock is slowed to keep up: virtual time waits for the sends that are due.
            </p>
          ) : null}
          {delivery ? (
            <p className="text-sm text-slate-600" data-testid="sandbox-delivery">
              Sandbox LinkedIn: sent {formatNumber(delivery.sent)} · received by LinkedIn{" "}
              {formatNumber(delivery.received)} · duplicates {formatNumber(delivery.duplicates)}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="mb-6">
        <CampaignManage
          campaign={{
            id: campaign.id,
            name: campaign.name,
            status: campaign.status,
            published: campaign.version !== null,
            leadCount: counts.enrolled,
          }}
          canManage={canManage}
        />
      </div>
      <div className="grid grid-cols-1 gap-6">
        <CampaignAlerts
          canManage={canManage}
          alerts={alerts.map((alert) => ({
            id: alert.id,
            step: steps[alert.nodeId] ?? "a step",
            title: alert.title,
            detail: alert.detail,
            leads: Number(alert.leads),
            createdAt: new Date(alert.createdAt).toISOString(),
          }))}
        />
        <CampaignDashboard campaignId={campaign.id} initial={dashboard} />
        <Card>
          <CardHeader
            title="Add leads"
            description="Blocklisted people are skipped, and so are leads another campaign is contacting, unless you allow it."
            action={
              // A draft never published is no import target: it cannot take leads yet.
              campaign.version !== null &&
              campaign.status !== "finished" &&
              campaign.status !== "archived" ? (
                <Link
                  href={`/leads/import?campaign=${campaign.id}`}
                  className="text-sm text-brand-700 hover:underline"
                >
                  Import a CSV
                </Link>
              ) : undefined
            }
          />
          <div className="px-5 py-4">
            <AddLeadsForm
              campaignId={campaign.id}
              canManage={canManage}
              closed={
                campaign.status === "finished"
                  ? "This campaign has finished: it takes no new leads."
                  : campaign.status === "archived"
                    ? "This campaign is archived: it takes no new leads."
                    : campaign.version === null
                      ? "Publish the workflow first: a draft takes no leads."
                      : undefined
              }
            />
          </div>
        </Card>
        <ForecastPanel campaignId={campaign.id} />
        {replySettings ? (
          <Card>
            <CardHeader
              title="Out-of-office replies"
              description="By default an out-of-office reply is not a reply: the lead's steps pause until the person is back, then go on."
            />
            <ReplySettingsForm
              campaignId={campaign.id}
              canManage={canManage}
              initial={replySettings}
            />
          </Card>
        ) : null}
        <CampaignCreditsPanel campaignId={campaign.id} canManage={canManage} />
        <Card>
          <CardHeader
            title="Leads"
            description="Removing a lead stops its run; an action already under way is not undone."
          />
          <CampaignLeads
            campaignId={campaign.id}
            search={search}
            total={counts.enrolled}
            canManage={canManage}
            limit={LEADS_SHOWN}
            steps={steps}
            leads={leads.map((lead) =>
              toRow({ ...lead, enrolledAt: new Date(lead.enrolledAt).toISOString() }, steps),
            )}
          />
        </Card>
      </div>
    </>
  );
}
