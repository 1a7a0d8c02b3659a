import { EmptyState } from "@/components/ui/empty-state";
import { AccountsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Accounts · Outflow" };

export default function AccountsPage() {
  return (
    <>
      <PageHeader
        title="Sender accounts"
        description="The LinkedIn seats your campaigns send from, with their working hours, daily caps, warm-up and safety score."
      />
      <EmptyState
        icon={<AccountsIcon />}
        title="No sender accounts yet"
        description="Each account you connect shows here with its time zone, working hours, today's usage against every cap, its warm-up ramp and its status."
        steps={[
          "Add a sandbox account to try Outflow without touching LinkedIn.",
          "Or connect a real LinkedIn account through Unipile.",
          "Set its working hours and caps, then use it in a campaign.",
        ]}
      />
    </>
  );
}
