"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, useTransition } from "react";
import { removeLeadAction } from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { inputClass } from "@/components/ui/field";
import { type ApiLead, type CampaignLeadRow, toRow } from "./lead-rows";
import { LocalTime } from "./local-time";
import { campaignKeys } from "./query-keys";

const STATE_LABELS: Record<string, string> = {
  active: "In progress",
  done: "Finished",
  failed: "Failed",
  removed: "Removed",
};

/** The campaign's leads, a search over them, and a way to take one out. */
export function CampaignLeads({
  campaignId,
  leads: initialLeads,
  steps,
  total: initialTotal,
  search,
  limit,
  canManage,
}: {
  campaignId: string;
  leads: CampaignLeadRow[];
  /** Each step's readable summary, by step. */
  steps: Record<string, string>;
  total: number;
  search: string;
  limit: number;
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  // Refetched when the dashboard's figures move (its poll invalidates this key), never polled.
  const query = useQuery({
    queryKey: campaignKeys.leads(campaignId, search),
    queryFn: async () => {
      const params = new URLSearchParams({ limit: String(limit) });
      if (search) params.set("search", search);
      const { leads } = await requestJson<{ leads: ApiLead[] }>(
        `/api/campaigns/${encodeURIComponent(campaignId)}/leads?${params}`,
      );
      return leads.map((lead) => toRow(lead, steps));
    },
    initialData: initialLeads,
  });
  const leads = query.data;
  const dashboard = useQuery<{ enrollments: { enrolled: number } }>({
    queryKey: campaignKeys.dashboard(campaignId),
    enabled: false,
  });
  const total = dashboard.data?.enrollments.enrolled ?? initialTotal;
  const [pending, startTransition] = useTransition();
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<CampaignLeadRow | null>(null);

  function remove(lead: CampaignLeadRow) {
    setConfirming(null);
    setRemoving(lead.leadId);
    startTransition(async () => {
      const result = await removeLeadAction({ campaignId, leadId: lead.leadId });
      setError(result.ok ? null : result.error.message);
      setRemoving(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: campaignKeys.allLeads(campaignId) }),
        queryClient.invalidateQueries({ queryKey: campaignKeys.dashboard(campaignId) }),
      ]);
    });
  }

  return (
    <div className="space-y-3 px-5 py-4">
      <form method="get" className="flex flex-wrap items-center gap-2">
        <label htmlFor="lead-search" className="sr-only">
          Search leads
        </label>
        <input
          id="lead-search"
          name="q"
          defaultValue={search}
          placeholder="Name, company or public identifier"
          className={`${inputClass} max-w-sm`}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
        <span className="text-sm text-slate-500">
          {search
            ? `${leads.length} matching`
            : leads.length < total
              ? `Showing the ${leads.length} latest of ${total}: search to find others.`
              : `${total} in all`}
        </span>
      </form>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <ConfirmDialog
        open={confirming !== null}
        title={`Remove ${confirming?.name ?? "this lead"} from the campaign?`}
        confirmLabel="Remove"
        tone="danger"
        onConfirm={() => confirming && remove(confirming)}
        onCancel={() => setConfirming(null)}
      >
        <p>
          Their run stops here and cannot be picked up again in this campaign; an action already
          under way is not undone.
        </p>
      </ConfirmDialog>
      {leads.length === 0 ? (
        <p className="py-4 text-sm text-slate-600">
          {search ? "No lead of this campaign matches." : "No leads yet: add some above."}
        </p>
      ) : (
        <div className="max-h-[28rem] overflow-y-auto">
          <table className="w-full text-left text-sm">
            <thead className="sticky top-0 bg-white text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 font-medium">Lead</th>
                <th className="py-2 font-medium">Company</th>
                <th className="py-2 font-medium">Current step</th>
                <th className="py-2 font-medium">State</th>
                <th className="py-2 font-medium">Enrolled</th>
                <th className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {leads.map((lead) => (
                <tr key={lead.leadId}>
                  <td className="py-2 pr-3">
                    <Link
                      href={`/leads/${encodeURIComponent(lead.leadId)}`}
                      className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                    >
                      {lead.name}
                    </Link>
                    <div className="font-mono text-xs text-slate-500">{lead.publicIdentifier}</div>
                  </td>
                  <td className="py-2 pr-3 text-slate-700">
                    {lead.company}
                    {lead.title ? <div className="text-xs text-slate-500">{lead.title}</div> : null}
                  </td>
                  <td className="py-2 pr-3 text-slate-700">{lead.step}</td>
                  <td className="py-2 pr-3 text-slate-700">
                    {STATE_LABELS[lead.state] ?? lead.state}
                    {lead.outcome && lead.state !== "removed" ? (
                      <div className="text-xs text-slate-500">{lead.outcome}</div>
                    ) : null}
                    {lead.waiting ? (
                      <div className="text-xs text-slate-500" data-testid="lead-waiting">
                        {lead.waiting}
                      </div>
                    ) : null}
                  </td>
                  <td className="py-2 pr-3 text-slate-600">
                    <LocalTime iso={lead.enrolledAt} />
                  </td>
                  <td className="py-2 text-right">
                    {lead.state === "active" ? (
                      <Button
                        variant="ghost"
                        className="px-2 py-1 text-xs text-red-700"
                        disabled={pending || !canManage}
                        title={canManage ? undefined : "Only owners and admins can remove leads."}
                        aria-label={`Remove ${lead.name} from the campaign`}
                        onClick={() => setConfirming(lead)}
                      >
                        {removing === lead.leadId ? "Removing…" : "Remove"}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
