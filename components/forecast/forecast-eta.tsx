"use client";
import { useEffect, useState } from "react";
import { requestJson } from "@/components/ui/api";
import { formatDate } from "@/components/ui/format";
import type { ForecastEta as Eta } from "@/server/forecast";

/**
 * "Last lead finishes around 3 Mar 2026", from the campaign's kept forecast (recomputed on the
 * server only when the campaign changed). Says nothing when it cannot tell.
 */
export function ForecastEta({ campaignId }: { campaignId: string }) {
  const [eta, setEta] = useState<Eta | null | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    requestJson<{ eta: Eta | null }>(`/api/campaigns/${campaignId}/forecast`, {
      signal: controller.signal,
    })
      .then((answer) => setEta(answer.eta))
      .catch(() => {
        if (!controller.signal.aborted) setEta(null);
      });
    return () => controller.abort();
  }, [campaignId]);
  if (eta === undefined) {
    return <p className="text-sm text-slate-500">Working out when the last lead finishes…</p>;
  }
  if (eta === null) return null;
  return (
    <p className="text-sm text-slate-700" data-testid="campaign-eta" data-finish={eta.finish ?? ""}>
      {eta.finish
        ? `Last lead finishes around ${formatDate(eta.finish)}`
        : `Not every lead finishes within ${eta.days} days`}{" "}
      <span className="text-slate-500">
        (forecast of {eta.seeds === 1 ? "one run" : `${eta.seeds} runs`} on{" "}
        {formatDate(eta.computedAt)})
      </span>
    </p>
  );
}
