"use client";
import Link from "next/link";
import { LocalTime } from "@/components/campaigns/local-time";
import type { LeadListItem } from "@/views/leads";
import { WAITING_REASON_LABELS } from "@/workflows/engine/waiting-reason";

const STATE_STYLES: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  done: "bg-brand-50 text-brand-700 ring-brand-100",
  failed: "bg-red-50 text-red-800 ring-red-200",
  removed: "bg-slate-100 text-slate-600 ring-slate-200",
  paused: "bg-amber-50 text-amber-800 ring-amber-200",
};

export const ENROLLMENT_STATE_LABELS: Record<string, string> = {
  active: "in progress",
  done: "finished",
  failed: "failed",
  removed: "removed",
  paused: "paused",
};

/**
 * One page of leads: who, where they work, the campaigns they are in, and flags; with
 * `selection`, a box on every row and one in the header for the whole page.
 */
export function LeadTable({
  leads,
  selection,
}: {
  leads: LeadListItem[];
  selection?: { selected: ReadonlySet<string>; onChange: (ids: string[], on: boolean) => void };
}) {
  const allOnPage = leads.length > 0 && leads.every((lead) => selection?.selected.has(lead.id));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {selection ? (
              <th className="w-8 pl-5 py-2.5">
                <input
                  type="checkbox"
                  aria-label="Select every lead on this page"
                  checked={allOnPage}
                  onChange={(event) =>
                    selection.onChange(
                      leads.map((lead) => lead.id),
                      event.target.checked,
                    )
                  }
                  className="size-4 rounded border-slate-300"
                />
              </th>
            ) : null}
            <th className="px-5 py-2.5 font-medium">Lead</th>
            <th className="py-2.5 pr-3 font-medium">Company</th>
            <th className="py-2.5 pr-3 font-medium">Campaigns</th>
            <th className="py-2.5 pr-3 font-medium">Last action</th>
            <th className="py-2.5 pr-5 font-medium">Imported</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {leads.map((lead) => (
            <tr key={lead.id}>
              {selection ? (
                <td className="w-8 pl-5 py-2.5 align-top">
                  <input
                    type="checkbox"
                    aria-label={`Select ${lead.name}`}
                    checked={selection.selected.has(lead.id)}
                    onChange={(event) => selection.onChange([lead.id], event.target.checked)}
                    className="mt-0.5 size-4 rounded border-slate-300"
                  />
                </td>
              ) : null}
              <td className="px-5 py-2.5">
                <Link
                  href={`/leads/${lead.id}`}
                  className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                >
                  {lead.name}
                </Link>
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className="font-mono text-xs text-slate-500">{lead.publicIdentifier}</span>
                  {lead.replied ? (
                    <span className="rounded-full bg-emerald-50 px-1.5 text-xs font-medium text-emerald-800 ring-1 ring-inset ring-emerald-200">
                      Replied
                    </span>
                  ) : null}
                  {lead.blocklisted ? (
                    <span className="rounded-full bg-red-50 px-1.5 text-xs font-medium text-red-800 ring-1 ring-inset ring-red-200">
                      Blocklisted
                    </span>
                  ) : null}
                </div>
              </td>
              <td className="py-2.5 pr-3 text-slate-700">
                {lead.company}
                {lead.title ? <div className="text-xs text-slate-500">{lead.title}</div> : null}
              </td>
              <td className="py-2.5 pr-3">
                {lead.campaigns.length === 0 ? (
                  <span className="text-xs text-slate-500">none</span>
                ) : (
                  <ul className="flex flex-wrap gap-1">
                    {lead.campaigns.map((campaign) => {
                      // In progress in a paused campaign: the lead does not move until it resumes.
                      const state =
                        campaign.state === "active" && campaign.paused ? "paused" : campaign.state;
                      return (
                        <li key={campaign.campaignId} className="max-w-xs">
                          <span
                            className={`inline-block rounded-full px-2 py-0.5 text-xs ring-1 ring-inset ${STATE_STYLES[state] ?? STATE_STYLES.removed}`}
                          >
                            {campaign.name} · {ENROLLMENT_STATE_LABELS[state] ?? state}
                          </span>
                          {/* Under a "paused" badge, "Campaign paused" would say it twice. */}
                          {campaign.waiting &&
                          !(
                            state === "paused" &&
                            campaign.waiting === WAITING_REASON_LABELS.campaign_paused
                          ) ? (
                            <span className="mt-0.5 block text-xs text-slate-500">
                              {campaign.waiting}
                            </span>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </td>
              <td className="whitespace-nowrap py-2.5 pr-3 text-slate-600">
                <LocalTime
                  iso={lead.lastActivityAt ? new Date(lead.lastActivityAt).toISOString() : null}
                />
              </td>
              <td className="whitespace-nowrap py-2.5 pr-5 text-slate-600">
                <LocalTime iso={new Date(lead.createdAt).toISOString()} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
