import { Alert } from "@/components/ui/alert";
import { formatDay, plural } from "./format";
import type { ProjectionView } from "./types";

/** "Runs out on 5 April 2026 — 30 leads will take the not-sent exit." and how it was worked out. */
export function ProjectionNote({ projection }: { projection: ProjectionView }) {
  const basis =
    projection.basis === "observed"
      ? "from this campaign's own rates so far"
      : "from the sandbox defaults, until the campaign has data of its own";
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
        <p className="mt-1">{need}</p>
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
      </p>
    </Alert>
  );
}
