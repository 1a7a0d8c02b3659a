import { EmptyState } from "@/components/ui/empty-state";
import { CampaignIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Campaigns · Outflow" };

export default function CampaignsPage() {
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Outreach sequences drawn as graphs: visits, invitations, messages, InMails, waits and conditions, run in the cloud for every lead."
      />
      <EmptyState
        icon={<CampaignIcon />}
        title="No campaigns yet"
        description="This page will list your campaigns with their status, sender accounts, enrolled leads, acceptance and reply rates, and the InMail credits they used."
        steps={[
          "Connect a LinkedIn sender account under Accounts.",
          "Import your leads from a CSV under Leads.",
          "Create a campaign from a starter template and launch it.",
        ]}
      />
    </>
  );
}
