import Link from "next/link";
import { LocalTime } from "@/components/campaigns/local-time";
import type { CampaignDashboard } from "@/views/dashboard";
import { kindLabel, OUTCOME_LABELS, reasonText } from "./format";

const OUTCOME_STYLES: Record<string, string> = {
  sent: "text-emerald-700",
  intent: "text-slate-500",
  not_sent: "text-amber-800",
  skipped: "text-amber-800",
  failed: "text-red-700",
};

/** The latest actions of the campaign: who, at which step, what came of it and why. */
export function ActivityFeed({ feed }: { feed: CampaignDashboard["feed"] }) {
  if (feed.length === 0) {
    return (
      <p className="px-5 py-6 text-sm text-slate-600">
        Nothing attempted yet. Leads move inside the sender's working hours, one human-paced step at
        a time.
      </p>
    );
  }
  return (
    <div className="max-h-[26rem] overflow-y-auto px-5 py-3">
      <table className="w-full text-left text-sm">
        <thead className="sticky top-0 bg-white text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 font-medium">Time</th>
            <th className="py-2 font-medium">Lead</th>
            <th className="py-2 font-medium">Step</th>
            <th className="py-2 font-medium">Outcome</th>
            <th className="py-2 font-medium">Reason</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid="activity-feed">
          {feed.map((action) => (
            <tr key={action.id}>
              <td className="whitespace-nowrap py-2 pr-3 text-slate-600">
                <LocalTime iso={action.sentAt ?? action.at} />
              </td>
              <td className="py-2 pr-3 font-medium text-slate-900">
                <Link
                  href={`/leads/${encodeURIComponent(action.lead.id)}`}
                  className="hover:text-brand-700 hover:underline"
                >
                  {action.lead.name}
                </Link>
              </td>
              <td className="py-2 pr-3 text-slate-700">
                {action.node}
                <div className="text-xs text-slate-500">
                  {kindLabel(action.kind)}
                  {action.variant ? ` · variant ${action.variant.toUpperCase()}` : ""}
                  {action.credits > 0
                    ? ` · ${action.credits} credit${action.credits === 1 ? "" : "s"}`
                    : ""}
                </div>
              </td>
              <td className={`py-2 pr-3 font-medium ${OUTCOME_STYLES[action.outcome] ?? ""}`}>
                {OUTCOME_LABELS[action.outcome] ?? action.outcome}
              </td>
              <td className="py-2 text-slate-600">{reasonText(action.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
