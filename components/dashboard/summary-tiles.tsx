import { useForecastEta } from "@/components/forecast/forecast-eta";
import { useCampaignReplies } from "@/components/inbox/replies-by-category";
import { formatDate } from "@/components/ui/format";
import type { CampaignDashboard } from "@/views/dashboard";
import { integer, percent } from "./format";

function Tile({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  note?: string;
  testId: string;
}) {
  return (
    <div className="rounded-lg bg-white px-4 py-3 ring-1 ring-slate-200">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
      {note ? <dd className="text-xs text-slate-500">{note}</dd> : null}
    </div>
  );
}

/**
 * Health at a glance — acceptance, reply and interested rates (the replies' categories, shared
 * with the funnel's "Replies by category"), leads finished and still to go, when the last
 * one finishes (the header's forecast, one request for both) — then the
 * leads per state. The rates are the funnel's own figures (one definition of each).
 */
export function SummaryTiles({
  campaignId,
  launched,
  enrollments,
  rates,
  funnel,
}: {
  campaignId: string;
  /** Running or paused: only then is there a forecast to read. */
  launched: boolean;
  enrollments: CampaignDashboard["enrollments"];
  rates: CampaignDashboard["rates"];
  funnel: CampaignDashboard["funnel"];
}) {
  const stage = (name: string) => funnel.find((s) => s.stage === name)?.leads ?? 0;
  const eta = useForecastEta(campaignId, launched);
  const replies = useCampaignReplies(campaignId).data;
  const ended = enrollments.finished + enrollments.failed + enrollments.removed;
  const states = [
    { key: "enrolled", label: "Enrolled", value: enrollments.enrolled },
    { key: "active", label: "In progress", value: enrollments.active },
    { key: "finished", label: "Finished", value: enrollments.finished },
    { key: "failed", label: "Failed", value: enrollments.failed },
    { key: "removed", label: "Removed", value: enrollments.removed },
  ];
  return (
    <div className="grid grid-cols-1 gap-3">
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-5" aria-label="Campaign health">
        <Tile
          label="Acceptance rate"
          value={percent(rates.acceptance)}
          note={`${integer(stage("accepted"))} of ${integer(stage("invited"))} invitations accepted`}
          testId="rate-acceptance"
        />
        <Tile
          label="Reply rate"
          value={percent(rates.reply)}
          note={`${integer(stage("replied"))} of ${integer(rates.texted)} contacted with a note, message or InMail`}
          testId="rate-reply"
        />
        <Tile
          label="Interested rate"
          value={replies ? percent(replies.interestedRate) : "…"}
          note={
            replies
              ? `${integer(replies.byCategory.interested)} of ${integer(replies.contacted)} written to replied with interest`
              : "Reading the replies' categories"
          }
          testId="rate-interested"
        />
        <Tile
          label="Leads done · to go"
          value={`${integer(ended)} · ${integer(enrollments.active)}`}
          note="Ended (finished, failed or removed) · still in progress"
          testId="leads-progress"
        />
        <Tile
          label="Finishes around"
          value={eta?.finish ? formatDate(eta.finish) : eta === undefined ? "…" : "—"}
          note={
            eta === undefined
              ? "Working out when the last lead finishes"
              : eta === null
                ? "No forecast yet"
                : eta.finish
                  ? "When the last lead finishes, from the forecast"
                  : `Not every lead finishes within ${eta.days} days`
          }
          testId="campaign-eta-tile"
        />
      </dl>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" aria-label="Leads by state">
        {states.map((tile) => (
          <Tile
            key={tile.key}
            label={tile.label}
            value={integer(tile.value)}
            testId={`leads-${tile.key}`}
          />
        ))}
      </dl>
    </div>
  );
}
