/**
 * Forecasts beside the app's other requests: the p95 of a trivial endpoint (the session guard
 * and a JSON answer, through `withWorkspace`) while idle, then while ten forecasts are asked for
 * at once through `campaignForecast` (each 5 seeds in a worker thread; at most two workers run,
 * the rest wait their turn). Target: the p95 during the forecasts under twice the idle p95.
 *
 *   npx tsx bench/forecast-load.ts [leads]
 */
import { pathToFileURL } from "node:url";
import { createCampaign, createSenderAccount, enrollLeads, upsertLeads } from "@/db/queries/launch";
import { forecastLoad } from "@/server/forecast/forecast-workers";
import { campaignForecast } from "@/server/forecast/get-campaign-forecast";
import { resolveCaller, withWorkspace } from "@/server/http/guard";
import { signUp } from "@/test/auth-helpers";
import { createTestDatabase, installProcessDatabase } from "@/test/databases";
import { generateLeads } from "@/workflows/simulation/campaign-file";
import { starterTemplates } from "@/workflows/templates/index";
import { type LatencySummary, summarise } from "./dashboard";

export const CONCURRENT_FORECASTS = 10;
/** The p95 during the forecasts must stay under this many times the idle p95. */
export const TARGET_RATIO = 2;

export interface ForecastLoadResult {
  leads: number;
  forecasts: number;
  idle: LatencySummary;
  during: LatencySummary;
  ratio: number;
  /** Wall time until all ten forecasts answered. */
  forecastsMs: number;
  answered: number;
  refused: number;
  /** Why forecasts were refused, by error code. */
  refusals: Record<string, number>;
  maxRunning: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runForecastLoadBench(
  options: { leads?: number; idleRequests?: number; log?: (line: string) => void } = {},
): Promise<ForecastLoadResult> {
  const leads = options.leads ?? 300;
  const log = options.log ?? (() => {});
  const database = await createTestDatabase("pglite");
  try {
    installProcessDatabase(database);
    const { cookie } = await signUp("Bench Forecaster", `bench-forecast-${Date.now()}@example.com`);
    const headers = new Headers({ cookie });
    const caller = await resolveCaller(headers);
    const ws = caller.workspace.workspaceId;
    const seat = await createSenderAccount(database.db, ws, {
      name: "Seat",
      provider: "sandbox",
      providerAccountId: `bench-${ws}`,
      pacing: { timeZone: "Europe/London", warmup: { startDate: null } },
    });
    const graph = starterTemplates.find((t) => t.id === "connect-then-inmail")!.graph;
    const { campaignId } = await createCampaign(database.db, ws, {
      name: "Bench",
      graph,
      accountIds: [seat],
      seed: "bench-load",
      status: "running",
    });
    const leadIds = await upsertLeads(database.db, ws, generateLeads(leads, "bench-load"));
    await enrollLeads(database.db, ws, campaignId, leadIds, { now: new Date() });

    const trivial = withWorkspace(async () => Response.json({ ok: true }));
    const call = async () => {
      const start = performance.now();
      const response = await trivial(new Request("http://localhost:3000/api/ping", { headers }), {
        params: Promise.resolve({}),
      });
      await response.text();
      if (response.status !== 200) throw new Error(`ping: ${response.status}`);
      return performance.now() - start;
    };
    for (let i = 0; i < 20; i++) await call();
    const idle: number[] = [];
    for (let i = 0; i < (options.idleRequests ?? 200); i++) {
      idle.push(await call());
      await sleep(10);
    }
    log(`  idle: p95 ${summarise(idle).p95Ms} ms`);

    let answered = 0;
    let refused = 0;
    const refusals: Record<string, number> = {};
    let maxRunning = 0;
    const started = performance.now();
    const forecasts = Array.from({ length: CONCURRENT_FORECASTS }, () =>
      campaignForecast(caller, { campaignId, days: 90, seats: 2 }).then(
        () => {
          answered++;
        },
        (error: { code?: string }) => {
          refused++;
          const code = error.code ?? "error";
          refusals[code] = (refusals[code] ?? 0) + 1;
        },
      ),
    );
    let done = false;
    const all = Promise.all(forecasts).then(() => {
      done = true;
    });
    const during: number[] = [];
    while (!done) {
      maxRunning = Math.max(maxRunning, forecastLoad().running);
      during.push(await call());
      await sleep(10);
    }
    await all;
    const forecastsMs = performance.now() - started;
    const idleSummary = summarise(idle);
    const duringSummary = summarise(during);
    return {
      leads,
      forecasts: CONCURRENT_FORECASTS,
      idle: idleSummary,
      during: duringSummary,
      ratio: duringSummary.p95Ms / Math.max(idleSummary.p95Ms, 0.1),
      forecastsMs,
      answered,
      refused,
      refusals,
      maxRunning,
    };
  } finally {
    await database.destroy();
  }
}

export function formatForecastLoadBench(result: ForecastLoadResult): string[] {
  const row = (name: string, s: LatencySummary) =>
    `  ${name.padEnd(34)} p50 ${String(s.p50Ms).padStart(6)} ms   p95 ${String(s.p95Ms).padStart(6)} ms   max ${String(s.maxMs).padStart(7)} ms   (${s.requests} requests)`;
  return [
    row("trivial endpoint, idle", result.idle),
    row(`during ${result.forecasts} forecasts at once`, result.during),
    `  p95 during ÷ idle: ${result.ratio.toFixed(2)}× — ${result.ratio < TARGET_RATIO ? "under" : "OVER"} the ${TARGET_RATIO}× target; ` +
      `${result.answered} forecasts answered, ${result.refused} refused${
        result.refused > 0 ? ` (${JSON.stringify(result.refusals)})` : ""
      }, at most ${result.maxRunning} workers at once, ` +
      `all done in ${(result.forecastsMs / 1000).toFixed(1)} s (${result.leads} leads × 90 days, 2 seats, 5 seeds each)`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const leads = Number(process.argv[2] ?? 300);
  const result = await runForecastLoadBench({ leads, log: console.log });
  for (const line of formatForecastLoadBench(result)) console.log(line);
}
