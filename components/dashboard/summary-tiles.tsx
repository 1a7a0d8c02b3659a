import type { CampaignDashboard } from "@/server/dashboard";
import { integer } from "./format";

/** Enrolled, in progress, finished, failed and removed leads. */
export function SummaryTiles({ enrollments }: { enrollments: CampaignDashboard["enrollments"] }) {
  const tiles = [
    { key: "enrolled", label: "Enrolled", value: enrollments.enrolled },
    { key: "active", label: "In progress", value: enrollments.active },
    { key: "finished", label: "Finished", value: enrollments.finished },
    { key: "failed", label: "Failed", value: enrollments.failed },
    { key: "removed", label: "Removed", value: enrollments.removed },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
      {tiles.map((tile) => (
        <div key={tile.key} className="rounded-lg bg-white px-4 py-3 ring-1 ring-slate-200">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">
            {tile.label}
          </dt>
          <dd
            className="mt-1 text-2xl font-semibold tabular-nums text-slate-900"
            data-testid={`leads-${tile.key}`}
          >
            {integer(tile.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
