"use client";
import { useQuery } from "@tanstack/react-query";
import { campaignKeys } from "@/components/campaigns/query-keys";
import { requestJson } from "@/components/ui/api";
import { formatDate } from "@/components/ui/format";
import type { ForecastEta as Eta } from "@/views/forecast";

/**
 * The campaign's kept forecast (recomputed on the server only when the campaign changed): one
 * request shared by every place that shows it. `undefined` while loading, `null` when it cannot
 * tell or is not asked (`enabled` false: a campaign not launched has no forecast to show).
 */
export function useForecastEta(campaignId: string, enabled = true): Eta | null | undefined {
  const query = useQuery({
    enabled,
    queryKey: campaignKeys.eta(campaignId),
    queryFn: ({ signal }) =>
      requestJson<{ eta: Eta | null }>(`/api/campaigns/${campaignId}/forecast`, { signal }).then(
        (answer) => answer.eta,
      ),
    retry: false,
  });
  if (query.isError || !enabled) return null;
  return query.data;
}

/** "Last lead finishes around 3 Mar 2026", or why it cannot be said. */
export function etaHeadline(eta: Eta): string {
  return eta.finish
    ? `Last lead finishes around ${formatDate(eta.finish)}`
    : `Not every lead finishes within ${eta.days} days`;
}

/** The campaign header's finish date, from the kept forecast. Says nothing when it cannot tell. */
export function ForecastEta({ campaignId }: { campaignId: string }) {
  const eta = useForecastEta(campaignId);
  if (eta === undefined) {
    return <p className="text-sm text-slate-500">Working out when the last lead finishes…</p>;
  }
  if (eta === null) return null;
  return (
    <p className="text-sm text-slate-700" data-testid="campaign-eta" data-finish={eta.finish ?? ""}>
      {etaHeadline(eta)}{" "}
      <span className="text-slate-500">
        (forecast of {eta.seeds === 1 ? "one run" : `${eta.seeds} runs`} on{" "}
        {formatDate(eta.computedAt)})
      </span>
    </p>
  );
}
