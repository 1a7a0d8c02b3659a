import { AccountTable } from "@/components/accounts/account-table";
import { NewAccountForm } from "@/components/accounts/new-account-form";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { AccountsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { listAccounts } from "@/server/accounts";
import { requirePageCaller } from "@/server/page-caller";

export const metadata = { title: "Accounts · Outflow" };

export default async function AccountsPage() {
  const caller = await requirePageCaller();
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const { accounts } = await listAccounts(caller);
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
      </div>
    </>
  );
}
