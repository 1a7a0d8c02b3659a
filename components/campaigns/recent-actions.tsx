import type { CampaignDetail } from "@/server/campaigns";
import { LocalTime } from "./local-time";

const KIND_LABELS: Record<string, string> = {
  visit: "Visit",
  follow: "Follow",
  connect: "Invitation",
  message: "Message",
  inmail: "InMail",
};

const OUTCOME_STYLES: Record<string, string> = {
  sent: "text-emerald-700",
  intent: "text-slate-500",
  not_sent: "text-amber-800",
  skipped: "text-amber-800",
  failed: "text-red-700",
};

const OUTCOME_LABELS: Record<string, string> = {
  sent: "Sent",
  intent: "Sending…",
  not_sent: "Not sent",
  skipped: "Skipped",
  failed: "Failed",
};

/** The latest side effects the engine attempted for this campaign, newest first. */
export function RecentActions({ actions }: { actions: CampaignDetail["recentActions"] }) {
  if (actions.length === 0) {
    return (
      <p className="px-5 py-6 text-sm text-slate-600">
        Nothing sent yet. Leads move inside the sender's working hours, one human-paced step at a
        time.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto px-5 py-3">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 font-medium">Time</th>
            <th className="py-2 font-medium">Lead</th>
            <th className="py-2 font-medium">Step</th>
            <th className="py-2 font-medium">Action</th>
            <th className="py-2 font-medium">Outcome</th>
            <th className="py-2 font-medium">Reason</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {actions.map((action) => (
            <tr key={action.id}>
              <td className="whitespace-nowrap py-2 pr-3 text-slate-600">
                <LocalTime iso={new Date(action.sentAt ?? action.at).toISOString()} />
              </td>
              <td className="py-2 pr-3">
                <span className="font-medium text-slate-900">{action.lead.name}</span>
              </td>
              <td className="py-2 pr-3 text-slate-700">{action.node}</td>
              <td className="py-2 pr-3 text-slate-700">
                {KIND_LABELS[action.kind] ?? action.kind}
                {action.credits > 0 ? (
                  <span className="ml-1 text-xs text-slate-500">
                    ({action.credits} credit{action.credits === 1 ? "" : "s"})
                  </span>
                ) : null}
              </td>
              <td className={`py-2 pr-3 font-medium ${OUTCOME_STYLES[action.outcome] ?? ""}`}>
                {OUTCOME_LABELS[action.outcome] ?? action.outcome}
              </td>
              <td className="py-2 text-slate-600">{action.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
