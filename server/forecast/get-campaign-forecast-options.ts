import "server-only";

import { eq } from "drizzle-orm";
import { z } from "zod";
import { findCampaign } from "@/db/queries/campaigns";
import { senderAccount } from "@/db/schema/index";
import type { ForecastOptions } from "@/views/forecast";
import { parseBudgets } from "@/workflows/credits/budgets";
import { branchCreditRows } from "@/workflows/credits/report";
import type { AnyGraph } from "@/workflows/graph/index";
import { HttpError, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { forecastBasis, workspaceRates } from "./forecast-basis";
import { forecastInput } from "./get-campaign-forecast";

export const forecastOptionsInput = z.object({
  campaignId: z.string().min(1).max(100),
  /** Also answer the ETA (from the kept forecast, or one quick seed). */
  eta: z.boolean().default(true),
});

/** The seats and InMail branches the "what if" offers, the lead counts and the rates. */
export async function campaignForecastOptions(
  caller: Caller,
  input: { campaignId: string; draft?: boolean },
  now = engineNow(),
): Promise<ForecastOptions> {
  const { db } = caller;
  const ws = caller.workspace.workspaceId;
  const basis = await forecastBasis(db, ws, forecastInput.parse(input), now).catch((error) => {
    // A campaign without a seat yet still offers the workspace's seats.
    if (error instanceof HttpError && error.code === "no_seats") return null;
    throw error;
  });
  const campaign = basis?.campaign ?? (await findCampaign(db, ws, input.campaignId));
  if (!campaign) throw notFound("Campaign");
  const all = await db
    .select({ id: senderAccount.id, name: senderAccount.name })
    .from(senderAccount)
    .where(eq(senderAccount.workspaceId, ws))
    .orderBy(senderAccount.name, senderAccount.id)
    .limit(200);
  const inCampaign = new Set(basis?.seats.map((s) => s.id) ?? []);
  const graph = (basis?.graph ?? campaign.draftGraph) as AnyGraph;
  let branches: ForecastOptions["branches"] = [];
  try {
    branches = branchCreditRows({
      graph,
      attempts: [],
      ledger: [],
      pendingRefunds: [],
      replies: [],
      budgets: basis?.budgets ?? parseBudgets(campaign.budgets),
    }).map((row) => ({ key: row.key, label: row.label, budget: row.budget }));
  } catch {
    // A draft too broken to walk has no branches to offer yet.
  }
  return {
    seats: all.map((seat) => ({ ...seat, inCampaign: inCampaign.has(seat.id) })),
    branches,
    leadsEnrolled: basis?.leadsEnrolled ?? 0,
    leadsInFlight: basis?.leadsInFlight ?? 0,
    rates: basis?.rates ?? (await workspaceRates(db, ws, now)),
  };
}
