import type { CampaignDashboard } from "@/views/dashboard";
import { integer, percent } from "./format";

/** Below this many sends a rate says little: shown, but marked as an early read. */
const SMALL_SAMPLE = 30;

/** A/B results: per variant of each step, who drew it, who got it, who answered. */
export function VariantResults({ variants }: { variants: CampaignDashboard["variants"] }) {
  if (variants.length === 0) {
    return (
      <p className="px-5 py-6 text-sm text-slate-600">
        No variant has been drawn yet. Steps with several texts send each lead one of them, by
        weight; their results appear here side by side.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto px-5 py-3">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 font-medium">Step and variant</th>
            <th className="py-2 text-right font-medium">Sample</th>
            <th className="py-2 text-right font-medium">Sent</th>
            <th className="py-2 text-right font-medium">Accepted or replied</th>
            <th className="py-2 text-right font-medium">Rate</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {variants.map((v) => (
            <tr key={`${v.nodeId}-${v.variant}`}>
              <td className="py-2 pr-3">
                <div className="text-slate-900">
                  <span className="mr-2 inline-flex size-5 items-center justify-center rounded bg-slate-100 text-xs font-semibold text-slate-700">
                    {v.letter}
                  </span>
                  {v.node}
                </div>
                {v.preview ? (
                  <div className="mt-0.5 truncate text-xs text-slate-500" title={v.preview}>
                    {v.preview}
                  </div>
                ) : null}
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">{integer(v.drawn)}</td>
              <td className="py-2 pr-3 text-right tabular-nums">{integer(v.sent)}</td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {integer(v.converted)}{" "}
                <span className="text-xs text-slate-500">
                  {v.metric === "accepted" ? "accepted" : "replied"}
                </span>
              </td>
              <td className="py-2 text-right tabular-nums">
                {percent(v.rate)}
                {v.sent > 0 && v.sent < SMALL_SAMPLE ? (
                  <div className="text-xs text-slate-500">early: {integer(v.sent)} sent</div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="py-2 text-xs text-slate-500">
        Sample: leads who drew the variant. Rate: accepted (invitations) or replied (messages and
        InMails) after it was sent, out of those it was sent to.
      </p>
    </div>
  );
}
