import Link from "next/link";
import { notFound } from "next/navigation";
import { LocalTime } from "@/components/campaigns/local-time";
import { StatusBadge } from "@/components/campaigns/status-badge";
import { LeadBlockButton } from "@/components/leads/lead-block-button";
import { ENROLLMENT_STATE_LABELS } from "@/components/leads/lead-table";
import { LeadTimeline } from "@/components/leads/lead-timeline";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { HttpError } from "@/server/http/errors";
import { requirePageCaller } from "@/server/http/page-caller";
import { describeLead } from "@/server/leads/describe-lead";
import { leadTimeline } from "@/server/leads/get-lead-timeline";

export const metadata = { title: "Lead · Outflow" };

const DISTANCE = { 1: "1st degree", 2: "2nd degree", 3: "3rd degree" } as Record<number, string>;

export default async function LeadPage({ params }: { params: Promise<{ leadId: string }> }) {
  const caller = await requirePageCaller();
  const { leadId } = await params;
  let detail: Awaited<ReturnType<typeof describeLead>>;
  let timeline: Awaited<ReturnType<typeof leadTimeline>>;
  try {
    [detail, timeline] = await Promise.all([
      describeLead(caller, { leadId }),
      leadTimeline(caller, { leadId }),
    ]);
  } catch (error) {
    // Another workspace's lead is as absent as one that never existed.
    if (error instanceof HttpError && (error.status === 404 || error.status === 400)) notFound();
    throw error;
  }
  const { lead, blocklisted, enrollments } = detail;
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const fields = [
    { label: "First name", value: lead.firstName },
    { label: "Last name", value: lead.lastName },
    { label: "Company", value: lead.company },
    { label: "Title", value: lead.title },
    ...Object.entries(lead.custom).map(([key, value]) => ({
      label: `{{custom.${key}}}`,
      value: String(value),
    })),
  ];
  const profile = lead.profile;

  return (
    <>
      <nav className="mb-2 text-sm">
        <Link href="/leads" className="text-slate-500 hover:text-slate-800">
          ← Leads
        </Link>
      </nav>
      <PageHeader
        title={lead.name}
        description={[lead.title, lead.company].filter(Boolean).join(" · ") || undefined}
        actions={
          <LeadBlockButton
            leadId={lead.id}
            leadName={lead.name}
            blocked={blocklisted !== null}
            canManage={canManage}
          />
        }
      />
      <div className="grid gap-6">
        {blocklisted ? (
          <Alert tone="warning">
            On the workspace blocklist
            {blocklisted.reason ? `: ${blocklisted.reason}` : ""}. No campaign will enroll this
            lead.
          </Alert>
        ) : null}
        <div className="grid gap-6 lg:grid-cols-3">
          <Card className="lg:col-span-1">
            <CardHeader title="Profile" />
            <dl className="divide-y divide-slate-100 px-5 py-2 text-sm">
              <div className="py-2">
                <dt className="text-xs text-slate-500">LinkedIn</dt>
                <dd>
                  <a
                    href={lead.profileUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="font-mono text-xs text-brand-700 hover:underline"
                  >
                    {lead.publicIdentifier}
                  </a>
                </dd>
              </div>
              {fields.map((field) => (
                <div key={field.label} className="py-2">
                  <dt className="font-mono text-xs text-slate-500">{field.label}</dt>
                  <dd className="break-words text-slate-900">
                    {field.value || <span className="text-slate-500">—</span>}
                  </dd>
                </div>
              ))}
              {profile ? (
                <div className="py-2">
                  <dt className="text-xs text-slate-500">Last profile visit</dt>
                  <dd className="text-slate-900">
                    {[
                      profile.networkDistance
                        ? DISTANCE[profile.networkDistance]
                        : "out of network",
                      profile.isPremium ? "Premium" : null,
                      profile.isOpenProfile ? "open profile" : null,
                      profile.canSendInmail === false ? "takes no InMail" : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </dd>
                </div>
              ) : null}
              <div className="py-2">
                <dt className="text-xs text-slate-500">Imported</dt>
                <dd className="text-slate-900">
                  <LocalTime iso={new Date(lead.createdAt).toISOString()} />
                </dd>
              </div>
            </dl>
          </Card>
          <div className="grid content-start gap-6 lg:col-span-2">
            <Card>
              <CardHeader
                title="Campaigns"
                description="Where this lead stands in each campaign it was enrolled in."
              />
              {enrollments.length === 0 ? (
                <p className="px-5 py-4 text-sm text-slate-600">Not enrolled in any campaign.</p>
              ) : (
                <ul className="divide-y divide-slate-100">
                  {enrollments.map((enrollment) => (
                    <li
                      key={enrollment.id}
                      className="flex flex-wrap justify-between gap-3 px-5 py-3"
                    >
                      {/* Takes the row's room and wraps its own text, so the seat and the next
                          step stay on the right rather than falling under it, right-aligned. */}
                      <div className="min-w-0 flex-1">
                        <Link
                          href={`/campaigns/${enrollment.campaign.id}`}
                          className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                        >
                          {enrollment.campaign.name}
                        </Link>{" "}
                        <StatusBadge status={enrollment.campaign.status} />
                        <p className="text-xs text-slate-600">
                          {ENROLLMENT_STATE_LABELS[enrollment.state] ?? enrollment.state} · at{" "}
                          {enrollment.step} · branch: {enrollment.branch}
                        </p>
                        {enrollment.waiting ? (
                          <p className="text-xs text-slate-700">{enrollment.waiting.text}</p>
                        ) : null}
                        {enrollment.outcome || enrollment.reason ? (
                          <p className="text-xs text-slate-500">
                            {[enrollment.outcome, enrollment.reason].filter(Boolean).join(": ")}
                          </p>
                        ) : null}
                      </div>
                      <div className="text-right text-xs text-slate-500">
                        {enrollment.accountName ? <div>from {enrollment.accountName}</div> : null}
                        {enrollment.nextRunAt ? (
                          <div>
                            next step{" "}
                            <LocalTime iso={new Date(enrollment.nextRunAt).toISOString()} />
                          </div>
                        ) : null}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
            <Card>
              <CardHeader
                title="Timeline"
                description="Every action, reply, branch taken and credit spent, across campaigns, oldest first."
              />
              <LeadTimeline items={timeline.items} />
            </Card>
          </div>
        </div>
      </div>
    </>
  );
}
