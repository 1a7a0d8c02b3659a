// A campaign's leads as its table shows them: shared by the page (server) and the live table
// (browser), so it lives outside the client component.

export interface CampaignLeadRow {
  leadId: string;
  publicIdentifier: string;
  name: string;
  company: string;
  title: string;
  step: string;
  state: string;
  outcome: string | null;
  /** Why an active lead waits, in words ("Waiting for acceptance until …"). */
  waiting: string | null;
  enrolledAt: string;
}

export interface ApiLead {
  leadId: string;
  publicIdentifier: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  nodeId: string;
  state: string;
  outcome: string | null;
  waiting?: string | null;
  enrolledAt: string;
}

/** One lead as the table shows it; a step no longer in the graph is named as such. */
export function toRow(lead: ApiLead, steps: Record<string, string>): CampaignLeadRow {
  return {
    leadId: lead.leadId,
    publicIdentifier: lead.publicIdentifier,
    name: `${lead.firstName} ${lead.lastName}`.trim() || lead.publicIdentifier,
    company: lead.company,
    title: lead.title,
    step: steps[lead.nodeId] ?? "A step of an earlier version",
    state: lead.state,
    outcome: lead.outcome,
    waiting: lead.waiting ?? null,
    enrolledAt: new Date(lead.enrolledAt).toISOString(),
  };
}
