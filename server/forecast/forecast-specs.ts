import "server-only";

import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { creditPool, enrollment, lead, usageCounter } from "@/db/schema/index";
import type { ForecastRates } from "@/views/forecast";
import type { CampaignBudgets } from "@/workflows/credits/budgets";
import type { PlanId } from "@/workflows/credits/plans";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { type PacingSettings, PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import { SandboxReplySchema } from "@/workflows/providers/sandbox/world-settings";
import type {
  SimulationAccount,
  SimulationLead,
  SimulationSpec,
} from "@/workflows/simulation/assemble";
import { generateLeads, MAX_LEADS } from "@/workflows/simulation/campaign-file";
import { FORECAST_SEEDS } from "@/workflows/simulation/forecast";
import { type ForecastBasis, forecastBasis } from "./forecast-basis";
import { fingerprint } from "./forecast-cache";
import type { ForecastInput } from "./get-campaign-forecast";
import { DEFAULT_REPLY } from "./observed-rates";

/** Leads a forecast runs when the campaign has none yet and none were typed. */
export const DEFAULT_FORECAST_LEADS = 100;

const DEFAULT_INMAIL_REPLY = SandboxReplySchema.parse({}).afterInmail;

function withConnectCap(pacing: PacingSettings, cap: number | undefined): PacingSettings {
  if (cap === undefined) return pacing;
  return PacingSettingsSchema.parse({
    ...pacing,
    caps: { ...pacing.caps, perDay: { ...pacing.caps.perDay, connect: cap } },
  });
}

/** The sandbox world a forecast runs in: the default world, with the workspace's own rates. */
function sandboxWith(rates: ForecastRates): SimulationSpec["sandbox"] {
  if (rates.source === "defaults") return undefined;
  return {
    defaults: {
      acceptance: { probability: rates.acceptance },
      // InMails keep the defaults' ratio to messages.
      reply: {
        afterMessage: rates.reply,
        afterInmail: Math.min(1, (rates.reply * DEFAULT_INMAIL_REPLY) / DEFAULT_REPLY),
      },
    },
  };
}

function budgetsWith(
  budgets: CampaignBudgets | null,
  changes: ForecastInput["branchBudgets"],
): CampaignBudgets | null {
  if (!changes) return budgets;
  const branches = { ...(budgets?.branches ?? {}) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete branches[key];
    else branches[key] = value;
  }
  return { campaign: budgets?.campaign ?? null, branches };
}

/** The simulation a forecast runs for each seed, read from the campaign's rows. */
export async function forecastSpecs(
  db: Database,
  workspaceId: string,
  input: ForecastInput,
  now: Date,
  basis?: ForecastBasis,
): Promise<{
  specs: SimulationSpec[];
  seats: string[];
  leads: number;
  rates: ForecastRates;
  fingerprint: string;
}> {
  const b = basis ?? (await forecastBasis(db, workspaceId, input, now));
  const { campaign } = b;
  const usage = await db
    .select()
    .from(usageCounter)
    .where(
      inArray(
        usageCounter.accountId,
        b.seats.map((s) => s.id),
      ),
    );
  const accounts: SimulationAccount[] = b.seats.map((seat) => {
    const pacing = withConnectCap(PacingSettingsSchema.parse(seat.pacing), input.connectCap);
    const today = localDate(now, pacing.timeZone);
    const usedToday: Record<string, number> = {};
    for (const row of usage) {
      if (row.accountId === seat.id && row.localDate === today) usedToday[row.kind] = row.used;
    }
    return { id: seat.name, pacing, usedToday };
  });
  // Two seats of the same name stay two seats.
  const names = new Set<string>();
  for (const account of accounts) {
    let name = account.id;
    for (let n = 2; names.has(name); n++) name = `${account.id} (${n})`;
    account.id = name;
    names.add(name);
  }
  const wanted = input.seats ?? accounts.length;
  while (accounts.length < wanted) {
    const first = accounts[0]!;
    accounts.push({ id: `${first.id} (added ${accounts.length + 1})`, pacing: first.pacing });
  }
  accounts.length = wanted;

  const poolId = b.seats.find((s) => s.creditPoolId)?.creditPoolId ?? null;
  const [pool] = poolId
    ? await db
        .select()
        .from(creditPool)
        .where(and(eq(creditPool.workspaceId, workspaceId), eq(creditPool.id, poolId)))
    : [];
  const policy = pool ? RefundPolicySchema.safeParse(pool.refundPolicy) : null;

  const inFlight = await db
    .select({
      publicIdentifier: lead.publicIdentifier,
      firstName: lead.firstName,
      lastName: lead.lastName,
      company: lead.company,
      title: lead.title,
    })
    .from(enrollment)
    .innerJoin(lead, eq(lead.id, enrollment.leadId))
    .where(
      and(
        eq(enrollment.workspaceId, workspaceId),
        eq(enrollment.campaignId, campaign.id),
        eq(enrollment.state, "active"),
      ),
    )
    .orderBy(lead.publicIdentifier)
    .limit(MAX_LEADS);
  const leadCount = input.leads ?? (inFlight.length > 0 ? inFlight.length : DEFAULT_FORECAST_LEADS);
  const leads: SimulationLead[] = inFlight.slice(0, leadCount);
  if (leads.length < leadCount) {
    const known = new Set(leads.map((l) => l.publicIdentifier));
    leads.push(...generateLeads(leadCount - leads.length, campaign.seed, known));
  }
  const budgets = budgetsWith(b.budgets, input.branchBudgets);
  const sandbox = sandboxWith(b.rates);

  const specs = Array.from({ length: FORECAST_SEEDS }, (_, n) => ({
    graph: b.graph,
    accounts,
    pool: pool
      ? {
          plan: pool.plan as PlanId,
          balance: pool.balance,
          renewalDay: pool.renewalDay,
          allowance: pool.allowance,
          cap: pool.cap,
          ...(policy?.success ? { refundPolicy: policy.data } : {}),
        }
      : null,
    leads,
    seed: `${campaign.seed}:forecast:${n + 1}`,
    start: now,
    days: input.days,
    stopOnReply: campaign.stopOnReply,
    ...(budgets ? { budgets } : {}),
    ...(sandbox ? { sandbox } : {}),
  }));
  return {
    specs,
    seats: accounts.map((a) => a.id),
    leads: leadCount,
    rates: b.rates,
    fingerprint: fingerprint(b, input.days),
  };
}
