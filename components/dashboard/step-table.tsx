import Link from "next/link";
import type { CampaignDashboard } from "@/views/dashboard";
import { integer } from "./format";

/** The canvas's counts as a table: every step, where leads are, how they left. */
export function StepTable({
  nodes,
  campaignId,
}: {
  nodes: CampaignDashboard["nodes"];
  campaignId: string;
}) {
  return (
    <div className="overflow-x-auto px-5 py-3">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 font-medium">Step</th>
            <th className="py-2 text-right font-medium">Waiting here</th>
            <th className="py-2 text-right font-medium">Passed</th>
            <th className="py-2 text-right font-medium">Failed</th>
            <th className="py-2 text-right font-medium">Ended here</th>
            <th className="py-2 pl-4 font-medium">Exits taken</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {nodes.map((node) => (
            <tr key={node.nodeId} data-step={node.nodeId}>
              <td className="py-2 pr-3">
                <div className="text-slate-900">{node.summary}</div>
                <div className="text-xs text-slate-500">
                  {node.label}
                  {node.inLiveVersion ? "" : " · earlier version"}
                </div>
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {node.waiting > 0 ? (
                  <Link
                    href={`/leads?${new URLSearchParams({ campaign: campaignId, step: node.nodeId })}`}
                    className="text-brand-700 hover:underline"
                    aria-label={`${integer(node.waiting)} waiting at ${node.summary}: see these leads`}
                  >
                    {integer(node.waiting)}
                  </Link>
                ) : (
                  integer(node.waiting)
                )}
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">{integer(node.passed)}</td>
              <td className="py-2 pr-3 text-right tabular-nums">{integer(node.failed)}</td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {integer(node.finished + node.removed)}
              </td>
              <td className="py-2 pl-4 text-slate-600">
                {node.exits.length === 0
                  ? "—"
                  : node.exits.map((exit) => `${exit.label} ${integer(exit.count)}`).join(" · ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
