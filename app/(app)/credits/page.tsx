import { CreditsOverview } from "@/components/credits/credits-overview";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { describePools } from "@/server/credits/describe-pools";
import { requirePageCaller } from "@/server/http/page-caller";

export const metadata = { title: "Credits · Outflow" };

export default async function CreditsPage() {
  const caller = await requirePageCaller();
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const initial = await describePools(caller);
  return (
    <>
      <PageHeader
        title="InMail credits"
        description="Where every paid InMail credit goes: pools, renewals, refunds, purchases and corrections. Each campaign's page shows its spend branch by branch."
      />
      <CreditsOverview initial={initial} canManage={canManage} />
    </>
  );
}
