import Link from "next/link";
import { notFound } from "next/navigation";
import { AddLeadsForm } from "@/components/campaigns/add-leads-form";
import { AutoRefresh } from "@/components/campaigns/auto-refresh";
import { CampaignLeads } from "@/components/campaigns/campaign-leads";
import { CampaignStatusButton } from "@/components/campaigns/campaign-status-button";
import { NodeCounts } from "@/components/campaigns/node-counts";
import { RecentActions } from "@/components/campaigns/recent-actions";
import { StatusBadge } from "@/components/campaigns/status-badge";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { describeCampaign, listCampaignLeads } from "@/server/campaigns";
import { HttpError } from "@/server/errors";
import { requirePageCaller } from "@/server/page-caller";

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
  let campaign: Awaited<ReturnType<typeof describeCampaign>>;
  let leads: Awaited<ReturnType<typeof listCampaignLeads>>["leads"];
  try {
    campaign = await describeCampaign(caller, { campaignId: id });
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
  const stepOf = new Map(campaign.nodes.map((node) => [node.nodeId, node.summary]));
  const { counts } = campaign;
  const stats = [
    { label: "Enrolled", value: counts.enrolled },
    { label: "In progress", value: counts.active },
    { label: "Finished", value: counts.done },
    { label: "Failed", value: counts.failed },
    { label: "Removed", value: counts.removed },
  ];

  return (
    <>
      {campaign.status === "running" ? <AutoRefresh /> : null}
      <nav className="mb-2 text-sm">
        <Link href="/campaigns" className="text-slate-500 hover:text-slate-800">
          ← Campaigns
        </Link>
      </nav>
      <PageHeader
        title={campaign.name}
        description={`${plural(counts.enrolled, "lead")} · sends from ${
          campaign.accounts.map((account) => account.name).join(", ") || "no account"
        }${campaign.liveVersion ? ` · version ${campaign.liveVersion.version}` : ""}${
          campaign.stopOnReply ? " · stops when a lead replies" : ""
        }`}
        actions={
          <>
            <StatusBadge status={campaign.status} className="px-2.5 py-1 text-sm" />
            <CampaignStatusButton
              campaignId={campaign.id}
              campaignName={campaign.name}
              status={campaign.status}
              canManage={canManage}
            />
          </>
        }
      />
      <div className="grid gap-6">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
          {stats.map((stat) => (
            <div key={stat.label} className="rounded-lg bg-white px-4 py-3 ring-1 ring-slate-200">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">
                {stat.label}
              </dt>
              <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">
                {stat.value}
              </dd>
            </div>
          ))}
        </dl>
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader
              title="Where leads are"
              description="Leads waiting at each step of the live version, and where finished runs ended."
            />
            <NodeCounts nodes={campaign.nodes} />
          </Card>
          <Card>
            <CardHeader
              title="Add leads"
              description="Blocklisted people are skipped, and so are leads another campaign is contacting, unless you allow it."
            />
            <div className="px-5 py-4">
              <AddLeadsForm
                campaignId={campaign.id}
                canManage={canManage}
                closed={
                  campaign.status === "finished"
                    ? "This campaign has finished: it takes no new leads."
                    : undefined
                }
              />
            </div>
          </Card>
        </div>
        <Card>
          <CardHeader
            title="Recent actions"
            description="What the engine attempted last, newest first, with why anything was not sent."
          />
          <RecentActions actions={campaign.recentActions} />
        </Card>
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
            leads={leads.map((lead) => ({
              leadId: lead.leadId,
              publicIdentifier: lead.publicIdentifier,
              name: `${lead.firstName} ${lead.lastName}`.trim() || lead.publicIdentifier,
              company: lead.company,
              title: lead.title,
              step: stepOf.get(lead.nodeId) ?? lead.nodeId,
              state: lead.state,
              outcome: lead.outcome,
              enrolledAt: new Date(lead.enrolledAt).toISOString(),
            }))}
          />
        </Card>
      </div>
    </>
  );
}
