import Link from "next/link";
import { ImportWizard } from "@/components/leads/import-wizard";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { listCampaigns } from "@/server/campaigns/list-campaigns";
import { requirePageCaller } from "@/server/http/page-caller";

export const metadata = { title: "Import leads · Outflow" };

export default async function ImportLeadsPage({
  searchParams,
}: {
  searchParams: Promise<{ campaign?: string | string[] }>;
}) {
  const caller = await requirePageCaller();
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const { campaign } = await searchParams;
  const { campaigns } = await listCampaigns(caller);
  return (
    <>
      <nav className="mb-2 text-sm">
        <Link href="/leads" className="text-slate-500 hover:text-slate-800">
          ← Leads
        </Link>
      </nav>
      <PageHeader
        title="Import leads"
        description="From a CSV export: map its columns, check the preview and the rows that cannot be taken, then import, straight into a campaign if you like."
      />
      <Card className="px-5 py-5">
        <ImportWizard
          campaigns={campaigns
            // Only campaigns that can take leads: published, not finished.
            .filter((c) => c.published && c.status !== "finished")
            .map(({ id, name, status }) => ({ id, name, status }))}
          initialCampaignId={Array.isArray(campaign) ? campaign[0] : campaign}
          canManage={canManage}
        />
      </Card>
    </>
  );
}
