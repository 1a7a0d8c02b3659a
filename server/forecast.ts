/**
 * Forecast of a campaign: its graph (live, or the draft before launch), its seats with their
 * working hours, caps, warm-up and today's usage, its credit pool, and its leads still in
 * flight (or a number typed before importing), simulated with several seeds in a worker thread
 * on the in-memory engine store against the sandbox. Never real data or providers: the worker
 * gets a copy of the settings and nothing else. "What if" changes the seats, a cap or the
 * lead count before the run.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import {
  campaignAccount,
  creditPool,
  enrollment,
  lead,
  senderAccount,
  usageCounter,
} from "@/db/schema";
import type { PlanId } from "@/workflows/credits/plans";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { type PacingSettings, PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import type {
  SimulationAccount,
  SimulationLead,
  SimulationSpec,
} from "@/workflows/simulation/assemble";
import { generateLeads, MAX_LEADS } from "@/workflows/simulation/campaign-file";
import { FORECAST_SEEDS, type ForecastSummary } from "@/workflows/simulation/forecast";
import { engineNow } from "./boot";
import { HttpError, notFound } from "./errors";
import type { Caller } from "./guard";

/** A forecast that takes longer than this is stopped. */
export const FORECAST_TIMEOUT_MS = 60_000;
/** The worker's heap limit. */
export const FORECAST_MEMORY_MB = 256;
/** Leads a forecast runs when the campaign has none yet and none were typed. */
const DEFAULT_LEADS = 100;

export const forecastInput = z.object({
  campaignId: z.string().min(1).max(100),
  /** What if: this many seats (copies of the first are added; the last are left out). */
  seats: z.number().int().min(1).max(20).optional(),
  /** What if: this many invitations per seat and day. */
  connectCap: z.number().int().min(0).max(200).optional(),
  /** What if: this many leads (the campaign's own first, then made-up ones). */
  leads: z.number().int().min(1).max(MAX_LEADS).optional(),
  days: z.number().int().min(7).max(180).default(90),
});
export type ForecastInput = z.infer<typeof forecastInput>;

export interface Forecast extends ForecastSummary {
  start: string;
  days: number;
  seats: string[];
  leads: number;
  /** Acceptance and reply rates: the sandbox's defaults (observed rates are not used yet). */
  rates: "defaults";
}

function withConnectCap(pacing: PacingSettings, cap: number | undefined): PacingSettings {
  if (cap === undefined) return pacing;
  return PacingSettingsSchema.parse({
    ...pacing,
    caps: { ...pacing.caps, perDay: { ...pacing.caps.perDay, connect: cap } },
  });
}

/** The simulation a forecast runs for one seed, read from the campaign's rows. */
export async function forecastSpecs(
  db: Database,
  workspaceId: string,
  input: ForecastInput,
  now: Date,
): Promise<{ specs: SimulationSpec[]; seats: string[]; leads: number }> {
  const campaign = await findCampaign(db, workspaceId, input.campaignId);
  if (!campaign) throw notFound("Campaign");
  const live = campaign.liveVersionId
    ? await findLiveVersion(db, workspaceId, campaign.liveVersionId)
    : undefined;
  const graph = live?.graph ?? campaign.draftGraph;

  const seats = await db
    .select({
      id: senderAccount.id,
      name: senderAccount.name,
      pacing: senderAccount.pacing,
      creditPoolId: senderAccount.creditPoolId,
    })
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
  if (seats.length === 0) {
    throw new HttpError(400, "no_seats", "Add a LinkedIn account to the campaign to forecast it.");
  }
  const usage = await db
    .select()
    .from(usageCounter)
    .where(
      inArray(
        usageCounter.accountId,
        seats.map((s) => s.id),
      ),
    );
  const accounts: SimulationAccount[] = seats.map((seat) => {
    const pacing = withConnectCap(PacingSettingsSchema.parse(seat.pacing), input.connectCap);
    const today = localDate(now, pacing.timeZone);
    const usedToday: Record<string, number> = {};
    for (const row of usage) {
      if (row.accountId === seat.id && row.localDate === today) usedToday[row.kind] = row.used;
    }
    return { id: seat.name, pacing, usedToday };
  });
  const wanted = input.seats ?? accounts.length;
  while (accounts.length < wanted) {
    const first = accounts[0]!;
    accounts.push({ id: `${first.id} (added ${accounts.length + 1})`, pacing: first.pacing });
  }
  accounts.length = wanted;

  const poolId = seats.find((s) => s.creditPoolId)?.creditPoolId ?? null;
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
  const count = input.leads ?? (inFlight.length > 0 ? inFlight.length : DEFAULT_LEADS);
  const leads: SimulationLead[] = inFlight.slice(0, count);
  if (leads.length < count) {
    const known = new Set(leads.map((l) => l.publicIdentifier));
    leads.push(...generateLeads(count - leads.length, campaign.seed, known));
  }

  const specs = Array.from({ length: FORECAST_SEEDS }, (_, n) => ({
    graph,
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
  }));
  return { specs, seats: accounts.map((a) => a.id), leads: count };
}

/**
 * The worker's bootstrap, found at run time in the project's folder (the bundler must not
 * follow it: it loads TypeScript through tsx in the worker).
 */
function workerFile(): string {
  return [process.cwd(), "server", "forecast-worker.mjs"].join(path.sep);
}

/**
 * Runs the seeds in a worker thread with a time and a heap limit; the worker is stopped when
 * `signal` aborts (the user left) or the time runs out.
 */
export function runForecastInWorker(
  specs: SimulationSpec[],
  options: { signal?: AbortSignal; timeoutMs?: number; memoryMb?: number } = {},
): Promise<ForecastSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(/* turbopackIgnore: true */ workerFile(), {
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? FORECAST_MEMORY_MB },
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new HttpError(503, "forecast_timeout", "The forecast took too long. Try fewer leads."),
          ),
        ),
      options.timeoutMs ?? FORECAST_TIMEOUT_MS,
    );
    const onAbort = () => finish(() => reject(new HttpError(499, "cancelled", "Cancelled.")));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort);
    worker.once(
      "message",
      (reply: { ok: true; summary: ForecastSummary } | { ok: false; message: string }) =>
        finish(() =>
          reply.ok
            ? resolve(reply.summary)
            : reject(
                new HttpError(
                  422,
                  "forecast_failed",
                  `The forecast could not run: ${reply.message}`,
                ),
              ),
        ),
    );
    worker.once("error", (error) =>
      finish(() =>
        reject(
          (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new HttpError(
                503,
                "forecast_memory",
                "The forecast needed too much memory. Try fewer leads.",
              )
            : error,
        ),
      ),
    );
    worker.once("exit", () =>
      finish(() => reject(new HttpError(503, "forecast_stopped", "The forecast stopped."))),
    );
    worker.postMessage(specs);
  });
}

/** The campaign's forecast for the caller's workspace. */
export async function campaignForecast(
  caller: Caller,
  input: ForecastInput,
  options: { signal?: AbortSignal; now?: Date } = {},
): Promise<Forecast> {
  const now = options.now ?? engineNow();
  const { specs, seats, leads } = await forecastSpecs(
    caller.db,
    caller.workspace.workspaceId,
    input,
    now,
  );
  const summary = await runForecastInWorker(specs, { signal: options.signal });
  return {
    ...summary,
    start: now.toISOString(),
    days: input.days,
    seats,
    leads,
    rates: "defaults",
  };
}
