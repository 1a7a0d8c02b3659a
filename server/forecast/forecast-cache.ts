import "server-only";

import { createHash } from "node:crypto";
import type { ForecastSummary } from "@/workflows/simulation/forecast";
import type { ForecastBasis } from "./forecast-basis";
import type { CachedForecast } from "./get-campaign-forecast";

export const CACHE_ENTRIES = 500;

/**
 * What a forecast without "what if" depends on: the graph, the seats' settings, the budgets,
 * the number of leads enrolled and where the rates come from. Leads moving on, or today's
 * usage, do not change it: the ETA is recomputed when the campaign changes, not on every view.
 */
export function fingerprint(basis: ForecastBasis, days: number): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        basis.graphId,
        basis.seats.map((s) => [s.id, s.pacing, s.creditPoolId]),
        basis.budgets,
        basis.leadsEnrolled,
        basis.rates.source,
        basis.campaign.stopOnReply,
        days,
      ]),
    )
    .digest("hex");
}

export const cache = new Map<string, CachedForecast>();

export function remember(campaignId: string, entry: CachedForecast) {
  cache.delete(campaignId);
  cache.set(campaignId, entry);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
}

export function cachedEntry(
  fingerprint: string,
  summary: ForecastSummary,
  now: Date,
  days: number,
): CachedForecast {
  return {
    fingerprint,
    computedAt: now.toISOString(),
    seeds: summary.seeds.length,
    finish: summary.finish,
    unfinishedSeeds: summary.unfinishedSeeds,
    days,
    creditsByBranch: summary.creditsByBranch,
    poolDryBySeed: summary.seeds.map((s) => s.poolDryAt),
    creditsBySeed: summary.seeds.map((s) =>
      Object.values(s.creditsByBranch).reduce((sum, n) => sum + n, 0),
    ),
    refusalsBySeed: summary.seeds.map((s) => s.creditRefusals),
  };
}
