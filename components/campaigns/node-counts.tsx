import type { CampaignDetail } from "@/server/campaigns";

/** How many leads stand at each step of the workflow, in the graph's order. */
export function NodeCounts({ nodes }: { nodes: CampaignDetail["nodes"] }) {
  return (
    <ol className="divide-y divide-slate-100">
      {nodes.map((node) => (
        <li key={node.nodeId} className="flex items-center justify-between gap-4 px-5 py-2.5">
          <div className="min-w-0">
            <div className="truncate text-sm font-medium text-slate-900">{node.summary}</div>
            <div className="text-xs text-slate-500">{node.label}</div>
          </div>
          <div className="flex shrink-0 gap-4 text-right text-sm tabular-nums">
            <div>
              <div className="font-semibold text-slate-900">{node.waiting}</div>
              <div className="text-xs text-slate-500">waiting here</div>
            </div>
            {node.ended > 0 || node.kind === "end" ? (
              <div>
                <div className="font-semibold text-slate-900">{node.ended}</div>
                <div className="text-xs text-slate-500">ended here</div>
              </div>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
