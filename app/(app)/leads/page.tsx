import Link from "next/link";
import { notFound } from "next/navigation";
import { LeadFilters } from "@/components/leads/lead-filters";
import { LeadList } from "@/components/leads/lead-list";
import { Pager } from "@/components/leads/pager";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatNumber } from "@/components/ui/format";
import { LeadsIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { listCampaigns } from "@/server/campaigns/list-campaigns";
import { HttpError } from "@/server/http/errors";
import { requirePageCaller } from "@/server/http/page-caller";
import { leadFilterChoices } from "@/server/leads/list-lead-filter-choices";
import { listLeads, listLeadsInput, WAITING_FILTER_LIMIT } from "@/server/leads/list-leads";

export const metadata = { title: "Leads · Outflow" };

const first = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) ?? "";

export default async function LeadsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requirePageCaller();
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const params = await searchParams;
  const query = {
    q: first(params.q).trim().slice(0, 100),
    campaign: first(params.campaign),
    status: first(params.status),
    reply: first(params.reply),
    step: first(params.step),
    waiting: first(params.waiting),
    field: first(params.field),
    value: first(params.value).trim().slice(0, 100),
  };
  const parsed = listLeadsInput.safeParse({
    search: query.q,
    campaignId: query.campaign,
    status: query.status,
    replyCategory: query.reply,
    stepId: query.step,
    waiting: query.waiting,
    field: query.field,
    value: query.value,
    page: first(params.page) || undefined,
  });
  const input = parsed.success ? parsed.data : listLeadsInput.parse({});
  let result: Awaited<ReturnType<typeof listLeads>>;
  try {
    result = await listLeads(caller, input);
  } catch (error) {
    // Another workspace's campaign is as absent as one that never existed.
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
  const [{ campaigns }, choices] = await Promise.all([
    listCampaigns(caller),
    leadFilterChoices(caller, input.campaignId),
  ]);
  const filtered = Boolean(
    input.search ||
      input.campaignId ||
      input.status ||
      input.replyCategory ||
      input.waiting ||
      input.field,
  );
  const actions = (
    <>
      <Link href="/leads/blocklist" className={buttonClass("secondary")}>
        Blocklist
      </Link>
      {canManage ? (
        <Link href="/leads/import" className={buttonClass("primary")}>
          Import a CSV
        </Link>
      ) : null}
    </>
  );

  if (result.total === 0 && !filtered) {
    return (
      <>
        <PageHeader
          title="Leads"
          description="Everyone your campaigns reach, once per workspace, with their timeline across campaigns."
          actions={actions}
        />
        <EmptyState
          icon={<LeadsIcon />}
          title="No leads yet"
          description="Leads appear here once imported: each with its LinkedIn identity, company, title and custom fields for your message templates, and a timeline of every action and reply."
          steps={[
            "Export a list from Sales Navigator or your lead tool as CSV.",
            "Import it here and map its columns.",
            "Enroll the leads in a campaign, during the import or later.",
          ]}
          action={
            canManage ? (
              <Link href="/leads/import" className={buttonClass("primary")}>
                Import a CSV
              </Link>
            ) : undefined
          }
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Leads"
        description="Everyone your campaigns reach, once per workspace, with their timeline across campaigns."
        actions={actions}
      />
      <div className="grid gap-4">
        {!parsed.success ? (
          <Alert tone="warning">
            Some filters in the address were not understood: showing all leads.
          </Alert>
        ) : null}
        <LeadFilters
          search={input.search ?? ""}
          campaignId={input.campaignId ?? ""}
          status={input.status ?? ""}
          replyCategory={input.replyCategory ?? ""}
          stepId={input.stepId ?? ""}
          waiting={input.waiting ?? ""}
          field={input.field ?? ""}
          value={input.value ?? ""}
          campaigns={campaigns.map(({ id, name }) => ({ id, name }))}
          steps={choices.steps}
          fields={choices.fields}
        />
        {result.waitingCapped ? (
          <Alert tone="info">
            Why leads wait is worked out for the {formatNumber(WAITING_FILTER_LIMIT)} leads of this
            campaign due soonest; choose a step to look at others.
          </Alert>
        ) : null}
        <Card>
          {result.leads.length === 0 ? (
            <p className="px-5 py-6 text-sm text-slate-600">No lead matches these filters.</p>
          ) : (
            <LeadList
              leads={result.leads}
              total={result.total}
              totalCapped={result.totalCapped}
              canManage={canManage}
              filter={{
                search: input.search,
                campaignId: input.campaignId,
                status: input.status,
                replyCategory: input.replyCategory,
                stepId: input.stepId,
                waiting: input.waiting,
                field: input.field,
                value: input.value,
              }}
              campaigns={campaigns.map((campaign) => ({
                id: campaign.id,
                name: campaign.name,
                takesLeads:
                  campaign.published &&
                  campaign.status !== "finished" &&
                  campaign.status !== "archived",
              }))}
            />
          )}
          <div className="border-t border-slate-100 px-5 py-3">
            <Pager
              path="/leads"
              query={{
                q: input.search ?? "",
                campaign: input.campaignId ?? "",
                status: input.status ?? "",
                reply: input.replyCategory ?? "",
                step: input.stepId ?? "",
                waiting: input.waiting ?? "",
                field: input.field ?? "",
                value: input.value ?? "",
              }}
              page={result.page}
              pageSize={result.pageSize}
              total={result.total}
              capped={result.totalCapped}
              rows={result.leads.length}
              hasNext={result.next !== null}
            />
          </div>
        </Card>
      </div>
    </>
  );
}
