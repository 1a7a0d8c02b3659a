import { EmptyState } from "@/components/ui/empty-state";
import { CreditsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Credits · Outflow" };

export default function CreditsPage() {
  return (
    <>
      <PageHeader
        title="InMail credits"
        description="Where every paid InMail credit goes: pools, renewals, refunds, and the spend of each campaign branch."
      />
      <EmptyState
        icon={<CreditsIcon />}
        title="No credit pools yet"
        description="Credit pools hold your plans' InMail credits (Premium, Sales Navigator, Recruiter). This page will show each pool's balance, its next renewal, credits at risk of being forfeited, and a forecast for your running campaigns."
        steps={[
          "Create a pool for your LinkedIn plan.",
          "Attach the sender accounts that draw on it.",
          "Watch the spend per branch on each campaign's dashboard.",
        ]}
      />
    </>
  );
}
