import { AccountTable } from "@/components/accounts/account-table";
import { NewAccountForm } from "@/components/accounts/new-account-form";
import { UnipilePanel } from "@/components/accounts/unipile-panel";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { AccountsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { listAccounts } from "@/server/accounts/list-accounts";
import { requirePageCaller } from "@/server/http/page-caller";
import { getUnipilePanel } from "@/server/unipile/get-unipile-panel";

export const metadata = { title: "Accounts · Outflow" };

export default async function AccountsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requirePageCaller();
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const { accounts } = await listAccounts(caller);
  const unipile = await getUnipilePanel(caller);
  const query = await searchParams;
  const returned = query.connected ? "connected" : query.connection_failed ? "failed" : null;
  return (
    <>
      <PageHeader
        title="Sender accounts"
        description="The LinkedIn seats your campaigns send from, with their working hours, daily caps, warm-up and status."
      />
      <div className="grid gap-6">
        {accounts.length === 0 ? (
          <EmptyState
            icon={<AccountsIcon />}
            title="No sender accounts yet"
            description="Each account shows here with its time zone, working hours, today's usage against every cap, its warm-up and its status."
            steps={[
              "Add a sandbox account below to try Outflow without touching LinkedIn.",
              "Set its working hours and time zone: it only sends inside them.",
              "Pick it when you create a campaign.",
            ]}
          />
        ) : (
          <Card>
            <AccountTable accounts={accounts} canManage={canManage} />
          </Card>
        )}
        <Card>
          <CardHeader
            title="New sandbox account"
            description="A simulated LinkedIn seat: people accept, reply and ignore you as real ones would, and nothing leaves Outflow."
          />
          <div className="px-5 py-4">
            <NewAccountForm canManage={canManage} />
          </div>
        </Card>
        <Card>
          <CardHeader
            title="Real LinkedIn accounts"
            description="Connect LinkedIn seats through Unipile: campaigns send from them with the same hours, caps and warm-up as any seat."
          />
          <div className="px-5 py-4">
            <UnipilePanel view={unipile} canManage={canManage} returned={returned} />
          </div>
        </Card>
      </div>
    </>
  );
}
