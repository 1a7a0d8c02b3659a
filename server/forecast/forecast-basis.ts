import "server-only";

import { and, count, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import { campaignAccount, enrollment, senderAccount } from "@/db/schema/index";
import type { ForecastRates } from "@/views/forecast";
import { type CampaignBudgets, parseBudgets } from "@/workflows/credits/budgets";
import { HttpError, notFound } from "../http/errors";
import { CACHE_ENTRIES } from "./forecast-cache";
import type { ForecastInput } from "./get-campaign-forecast";
import { observedRates } from "./observed-rates";

/** Rates read for a workspace in the last minutes: every forecast and ETA would scan again. */
export const recentRates = new Map<string, { at: number; rates: ForecastRates }>();

const RATES_TTL_MS = 10 * 60 * 1000;

export async function workspaceRates(db: Database, workspaceId: string, now: Date) {
  const kept = recentRates.get(workspaceId);
  if (kept && Math.abs(now.getTime() - kept.at) < RATES_TTL_MS) return kept.rates;
  const rates = await observedRates(db, workspaceId, now);
  recentRates.delete(workspaceId);
  recentRates.set(workspaceId, { at: now.getTime(), rates });
  while (recentRates.size > CACHE_ENTRIES) recentRates.delete(recentRates.keys().next().value!);
  return rates;
}

export interface ForecastBasis {
  campaign: NonNullable<Awaited<ReturnType<typeof findCampaign>>>;
  graph: unknown;
  /** The graph's identity: the live version, or the draft's hash. */
  graphId: string;
  seats: Array<{ id: string; name: string; pacing: unknown; creditPoolId: string | null }>;
  budgets: CampaignBudgets | null;
  rates: ForecastRates;
  leadsEnrolled: number;
  leadsInFlight: number;
}

/** Everything a forecast is read from except the leads themselves. */
export async function forecastBasis(
  db: Database,
  workspaceId: string,
  input: ForecastInput,
  now: Date,
): Promise<ForecastBasis> {
  const campaign = await findCampaign(db, workspaceId, input.campaignId);
  if (!campaign) throw notFound("Campaign");
  const live =
    campaign.liveVersionId && !input.draft
      ? await findLiveVersion(db, workspaceId, campaign.liveVersionId)
      : undefined;
  const seatColumns = {
    id: senderAccount.id,
    name: senderAccount.name,
    pacing: senderAccount.pacing,
    creditPoolId: senderAccount.creditPoolId,
  };
  const seats = input.seatIds
    ? await db
        .select(seatColumns)
        .from(senderAccount)
        .where(
          and(eq(senderAccount.workspaceId, workspaceId), inArray(senderAccount.id, input.seatIds)),
        )
        .orderBy(senderAccount.name, senderAccount.id)
    : await db
        .select(seatColumns)
        .from(campaignAccount)
        .innerJoin(senderAccount, eq(senderAccount.id, campaignAccount.accountId))
        .where(
          and(
            eq(campaignAccount.workspaceId, workspaceId),
            eq(senderAccount.workspaceId, workspaceId),
            eq(campaignAccount.campaignId, campaign.id),
          ),
        )
        .orderBy(senderAccount.name, senderAccount.id);
  if (input.seatIds && seats.length !== new Set(input.seatIds).size) {
    throw new HttpError(400, "unknown_seat", "One of the chosen seats does not exist any more.");
  }
  if (seats.length === 0) {
    throw new HttpError(400, "no_seats", "Add a LinkedIn account to the campaign to forecast it.");
  }
  const enrolled = await db
    .select({ state: enrollment.state, n: count() })
    .from(enrollment)
    .where(and(eq(enrollment.workspaceId, workspaceId), eq(enrollment.campaignId, campaign.id)))
    .groupBy(enrollment.state);
  return {
    campaign,
    graph: live?.graph ?? campaign.draftGraph,
    graphId: live ? `version:${live.id}` : `draft:${campaign.draftHash}`,
    seats,
    budgets: parseBudgets(campaign.budgets),
    rates: await workspaceRates(db, workspaceId, now),
    leadsEnrolled: enrolled.reduce((sum, row) => sum + Number(row.n), 0),
    leadsInFlight: Number(enrolled.find((row) => row.state === "active")?.n ?? 0),
  };
}
