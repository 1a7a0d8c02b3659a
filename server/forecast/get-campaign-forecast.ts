/**
 * Forecast of a campaign: its graph (live, or the draft before launch), its seats with their
 * working hours, caps, warm-up and today's usage, its credit pool and budgets, and its leads
 * still in flight (or a number typed before importing), simulated with several seeds in a
 * worker thread on the in-memory engine store against the sandbox. Never real data or
 * providers: the worker gets a copy of the settings and nothing else. "What if" changes the
 * seats, a cap, the lead count or a branch's budget before the run. Acceptance and reply rates
 * are the workspace's own once it has enough settled invitations, the sandbox's defaults before.
 */
import "server-only";

import { z } from "zod";
import type { Forecast } from "@/views/forecast";
import { MAX_LEADS } from "@/workflows/simulation/campaign-file";
import type { ForecastSummary } from "@/workflows/simulation/forecast";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { recentRates } from "./forecast-basis";
import { cache, cachedEntry, remember } from "./forecast-cache";
import { forecastSpecs } from "./forecast-specs";
import { runForecastInWorker } from "./forecast-workers";

/** A cached forecast stands for the header's ETA and the budget panel for this long at most. */
const CACHE_TTL_MS = 6 * 60 * 60 * 1000;

export const forecastInput = z.object({
  campaignId: z.string().min(1).max(100),
  /** Forecast the draft as it stands in the editor rather than the live version. */
  draft: z.boolean().optional(),
  /** What if: these seats of the workspace instead of the campaign's. */
  seatIds: z.array(z.string().min(1).max(100)).min(1).max(20).optional(),
  /** What if: this many seats (copies of the first are added; the last are left out). */
  seats: z.number().int().min(1).max(20).optional(),
  /** What if: this many invitations per seat and day. */
  connectCap: z.number().int().min(0).max(200).optional(),
  /** What if: this many leads (the campaign's own first, then made-up ones). */
  leads: z.number().int().min(1).max(MAX_LEADS).optional(),
  /** What if: credits per InMail branch (its budget key); null takes the budget away. */
  branchBudgets: z
    .record(z.string().max(2000), z.number().int().min(0).max(100_000).nullable())
    .refine((budgets) => Object.keys(budgets).length <= 50, "At most 50 branches")
    .optional(),
  days: z.number().int().min(7).max(180).default(90),
});

export type ForecastInput = z.infer<typeof forecastInput>;

/** Whether the input asks for anything but the campaign as it is. */
function isWhatIf(input: ForecastInput): boolean {
  return (
    input.draft === true ||
    input.seatIds !== undefined ||
    input.seats !== undefined ||
    input.connectCap !== undefined ||
    input.leads !== undefined ||
    input.branchBudgets !== undefined
  );
}

// ---- The last forecast of each campaign ---------------------------------------------------

/** The figures kept of a campaign's last forecast without "what if". */
export interface CachedForecast {
  fingerprint: string;
  computedAt: string;
  /** Seeds it ran: 1 for the header's own quick run, 5 for a forecast from the panel. */
  seeds: number;
  finish: ForecastSummary["finish"];
  unfinishedSeeds: number;
  days: number;
  creditsByBranch: Record<string, number>;
  /** Per seed: when the pool ran dry (null: it did not). */
  poolDryBySeed: Array<string | null>;
  /** Per seed: credits used in all. */
  creditsBySeed: number[];
  /** Per seed: InMails refused for want of credit. */
  refusalsBySeed: number[];
}

/**
 * The campaign's last forecast as the campaign stands (a workspace-scoped read: the id comes
 * from a campaign the caller could read), if it is recent. The budget panel's projection uses it.
 */
export function lastForecast(campaignId: string, now: Date): CachedForecast | null {
  const entry = cache.get(campaignId);
  if (!entry) return null;
  return now.getTime() - Date.parse(entry.computedAt) <= CACHE_TTL_MS ? entry : null;
}

/** Forgets every kept forecast and rate (tests). */
export function clearForecastCache() {
  cache.clear();
  recentRates.clear();
}

/** The campaign's forecast for the caller's workspace. */
export async function campaignForecast(
  caller: Caller,
  input: ForecastInput,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<Forecast> {
  const now = options.now ?? engineNow();
  const { specs, seats, leads, rates, fingerprint } = await forecastSpecs(
    caller.db,
    caller.workspace.workspaceId,
    input,
    now,
  );
  const summary = await runForecastInWorker(specs, { signal: options.signal });
  if (!isWhatIf(input)) {
    remember(input.campaignId, cachedEntry(fingerprint, summary, now, input.days));
  }
  return {
    ...summary,
    start: now.toISOString(),
    days: input.days,
    seats,
    leads,
    rates,
  };
}
