import { InboxView } from "@/components/inbox/inbox-view";
import { PageHeader } from "@/components/ui/page-header";
import { listAccounts } from "@/server/accounts/list-accounts";
import { listCampaigns } from "@/server/campaigns/list-campaigns";
import { requirePageCaller } from "@/server/http/page-caller";

export const metadata = { title: "Inbox · Outflow" };

export default async function InboxPage() {
  const caller = await requirePageCaller();
  const [{ accounts }, { campaigns }] = await Promise.all([
    listAccounts(caller),
    listCampaigns(caller),
  ]);
  return (
    <>
      <PageHeader
        title="Inbox"
        description="Every reply to your campaigns, from every sender account, with where each lead stands. Answer from here."
      />
      <InboxView
        accounts={accounts.map((a) => ({ id: a.id, name: a.name }))}
        campaigns={campaigns.map((c) => ({ id: c.id, name: c.name }))}
        userId={caller.user.id}
      />
    </>
  );
}
