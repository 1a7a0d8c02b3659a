import type { CampaignDashboard } from "@/views/dashboard";
import { integer, percent } from "./format";

/** Enrolled → visited → invited → accepted → messaged → replied, as bars against enrolled. */
export function Funnel({
  funnel,
  rates,
}: {
  funnel: CampaignDashboard["funnel"];
  rates: CampaignDashboard["rates"];
}) {
  const enrolled = funnel[0]?.leads ?? 0;
  return (
    <div className="space-y-4 px-5 py-4">
      <ol className="space-y-2.5" aria-label="Funnel">
        {funnel.map((stage) => {
          const share = enrolled === 0 ? 0 : stage.leads / enrolled;
          return (
            <li key={stage.stage} className="grid grid-cols-[6rem_1fr_4.5rem] items-center gap-3">
              <span className="text-sm text-slate-700">{stage.label}</span>
              <span className="h-5 overflow-hidden rounded bg-slate-100" aria-hidden="true">
                <span
                  className="block h-full rounded bg-brand-500 transition-[width] duration-500"
                  style={{ width: `${Math.max(share * 100, stage.leads > 0 ? 1 : 0)}%` }}
                />
              </span>
              <span
                className="text-right text-sm font-semibold tabular-nums text-slate-900"
                data-testid={`funnel-${stage.stage}`}
              >
                {integer(stage.leads)}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="text-sm text-slate-600">
        Acceptance rate <strong className="tabular-nums">{percent(rates.acceptance)}</strong> of
        invitations · reply rate <strong className="tabular-nums">{percent(rates.reply)}</strong> of
        the {integer(rates.texted)} contacted with a note, message or InMail.
      </p>
    </div>
  );
}
