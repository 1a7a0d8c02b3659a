import Link from "next/link";
import { AutoRefresh } from "@/components/campaigns/auto-refresh";
import { CampaignTable } from "@/components/campaigns/campaign-table";
import { LoadDemoButton } from "@/components/campaigns/load-demo-button";
import { NewCampaignForm } from "@/components/campaigns/new-campaign-form";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { CampaignIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { listSenderAccounts } from "@/db/queries/accounts";
import { roleAtLeast } from "@/db/queries/workspaces";
import { listCampaignsWithFigures } from "@/server/dashboard/list-campaigns-with-figures";
import { requirePageCaller } from "@/server/http/page-caller";
import { starterTemplates } from "@/workflows/templates/index";

export const metadata = { title: "Campaigns · Outflow" };

export default async function CampaignsPage({
  searchParams,
}: {
  searchParams: Promise<{ archived?: string | string[] }>;
}) {
  const caller = await requirePageCaller();
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const archived = (await searchParams).archived === "1";
  const [{ campaigns }, accounts] = await Promise.all([
    listCampaignsWithFigures(caller, { archived }),
    listSenderAccounts(caller.db, caller.workspace.workspaceId),
  ]);
  return (
    <>
      {campaigns.some((campaign) => campaign.status === "running") ? <AutoRefresh /> : null}
      <PageHeader
        title="Campaigns"
        description="Outreach sequences drawn as graphs: visits, invitations, messages, InMails, waits and conditions, run in the cloud for every lead."
      />
      <div className="grid gap-6">
        <nav aria-label="Which campaigns" className="-mb-2 flex gap-4 text-sm">
          <Link
            href="/campaigns"
            aria-current={archived ? undefined : "page"}
            className={archived ? "text-brand-700 hover:underline" : "font-medium text-slate-900"}
          >
            Current
          </Link>
          <Link
            href="/campaigns?archived=1"
            aria-current={archived ? "page" : undefined}
            className={archived ? "font-medium text-slate-900" : "text-brand-700 hover:underline"}
          >
            Show archived
          </Link>
        </nav>
        {archived ? (
          campaigns.length === 0 ? (
            <p className="text-sm text-slate-600">No archived campaigns.</p>
          ) : (
            <Card>
              <CampaignTable campaigns={campaigns} canManage={canManage} />
            </Card>
          )
        ) : campaigns.length === 0 ? (
          <EmptyState
            icon={<CampaignIcon />}
            title="No campaigns yet"
            description="Load the demo to watch a campaign run on the sandbox LinkedIn, or create your own below from a starter template."
            steps={[
              "Add a sender account under Accounts (a sandbox one works).",
              "Create a campaign from a starter template and pick its accounts.",
              "Add leads by their LinkedIn public identifiers: they start at once.",
            ]}
            action={<LoadDemoButton canManage={canManage} />}
          />
        ) : (
          <Card>
            <CampaignTable campaigns={campaigns} canManage={canManage} />
          </Card>
        )}
        <Card>
          <CardHeader
            title="New campaign"
            description="Starts running at once from a starter template; its leads move inside each account's working hours."
          />
          <div className="px-5 py-4">
            <NewCampaignForm
              templates={starterTemplates.map(({ id, name, description }) => ({
                id,
                name,
                description,
              }))}
              accounts={accounts.map(({ id, name, status }) => ({ id, name, status }))}
              canManage={canManage}
            />
          </div>
        </Card>
      </div>
    </>
  );
}
