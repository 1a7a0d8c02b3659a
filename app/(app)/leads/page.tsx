import { EmptyState } from "@/components/ui/empty-state";
import { LeadsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Leads · Outflow" };

export default function LeadsPage() {
  return (
    <>
      <PageHeader
        title="Leads"
        description="Everyone your campaigns reach, once per workspace, with their timeline across campaigns."
      />
      <EmptyState
        icon={<LeadsIcon />}
        title="No leads yet"
        description="Leads will appear here once imported: each with its LinkedIn identity, company, title and custom fields for your message templates, and a timeline of every action and reply."
        steps={[
          "Export a list from Sales Navigator or your lead tool as CSV.",
          "Import it here and map its columns.",
          "Enroll the leads in a campaign.",
        ]}
      />
    </>
  );
}
