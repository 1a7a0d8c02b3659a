import { Alert } from "@/components/ui/alert";
import { formatDay, plural } from "./format";
import type { ProjectionView } from "./types";

/** "Runs out on 5 April 2026 — 30 leads will take the not-sent exit." and how it was worked out. */
export function ProjectionNote({ projection }: { projection: ProjectionView }) {
  const basis =
    projection.basis === "forecast"
      ? "from the campaign's forecast"
      : projection.basis === "observed"
        ? "from this campaign's own rates so far"
        : projection.basis === "blended"
          ? "from this campaign's first figures mixed with the defaults (its own weigh in fully from 40 leads on), so a few early leads do not swing it"
          : "from the defaults, until the campaign has data of its own";
  const range = projection.range;
  const spread = range
    ? range.dryRuns === 0
      ? ` The pool did not run dry in any of the forecast's ${range.runs} runs.`
      : ` The pool ran dry in ${range.dryRuns} of the forecast's ${range.runs} runs${
          range.first && range.last && range.first !== range.last
            ? `, between ${formatDay(range.first)} and ${formatDay(range.last)}`
            : range.first
              ? `, on ${formatDay(range.first)}`
              : ""
        }.`
    : "";
  const need =
    projection.creditsNeeded === 0
      ? `No lead still in flight needs a credit (${plural(projection.inFlight, "lead")} in flight).`
      : `${plural(projection.inFlight, "lead")} still in flight will need about ${plural(projection.creditsNeeded, "credit")}, ${basis}, set against the balance and the coming renewals.`;
  if (projection.type === "runs_out") {
    return (
      <Alert tone="warning">
        <p className="font-medium">
          Runs out on {formatDay(projection.runsOutOn)} — {plural(projection.leadsNotSent, "lead")}{" "}
          will take the not-sent exit.
        </p>
        <p className="mt-1">
          {need}
          {spread}
        </p>
      </Alert>
    );
  }
  return (
    <Alert tone="success">
      <p className="font-medium">Enough until the campaign ends.</p>
      <p className="mt-1">
        {need}
        {projection.lastSpendOn
          ? ` The last of them should be spent around ${formatDay(projection.lastSpendOn)}.`
          : ""}
        {spread}
      </p>
    </Alert>
  );
}
