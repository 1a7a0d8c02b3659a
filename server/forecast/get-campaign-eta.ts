import "server-only";

import type { ForecastEta } from "@/views/forecast";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { forecastBasis } from "./forecast-basis";
import { cachedEntry, fingerprint, remember } from "./forecast-cache";
import { forecastSpecs } from "./forecast-specs";
import { runForecastInWorker } from "./forecast-workers";
import { forecastInput, lastForecast } from "./get-campaign-forecast";

/** The header's ETA: the kept forecast while the campaign is unchanged, else one quick seed. */
export async function campaignEta(
  caller: Caller,
  campaignId: string,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<ForecastEta> {
  const now = options.now ?? engineNow();
  const input = forecastInput.parse({ campaignId });
  const { db } = caller;
  const ws = caller.workspace.workspaceId;
  const basis = await forecastBasis(db, ws, input, now);
  let entry = lastForecast(campaignId, now);
  if (!entry || entry.fingerprint !== fingerprint(basis, input.days)) {
    const { specs, fingerprint: key } = await forecastSpecs(db, ws, input, now, basis);
    const summary = await runForecastInWorker(specs.slice(0, 1), { signal: options.signal });
    entry = cachedEntry(key, summary, now, input.days);
    remember(campaignId, entry);
  }
  return {
    finish: entry.finish?.median ?? null,
    days: entry.days,
    seeds: entry.seeds,
    computedAt: entry.computedAt,
  };
}
