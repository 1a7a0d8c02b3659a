/**
 * Forecast speed: a campaign file of 1,000 leads × 90 days on two seats with an InMail branch
 * (examples/simulations/connect-then-inmail.json), run in memory with several seeds, beside
 * `outflow simulate` on the same file (a separate process, as a user runs it) and the embedded
 * database path (`outflow simulate --database`) on a slice of the leads, since the whole file
 * takes it many minutes.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { traceSimulation } from "@/db/engine/trace";
import { CampaignFileSchema, resolveCampaignFile } from "@/workflows/simulation/campaign-file";
import { simulateInMemory } from "@/workflows/simulation/memory-run";

export const FORECAST_FILE = "examples/simulations/connect-then-inmail.json";
export const FORECAST_LEADS = 1000;
export const FORECAST_DAYS = 90;
/** Seeds a forecast runs to give a range. */
export const FORECAST_SEEDS = 5;
/** A seed must finish within this. */
export const TARGET_MS_PER_SEED = 5000;

export interface ForecastBenchResult {
  leads: number;
  days: number;
  seeds: Array<{ seed: string; ms: number; cpuMs: number; actions: number; finished: number }>;
  medianMsPerSeed: number;
  maxMsPerSeed: number;
  /** CPU time per seed: what the run costs whatever else the machine is doing. */
  medianCpuMsPerSeed: number;
  cliMs: number;
  database: { leads: number; memoryMs: number; databaseMs: number; same: boolean };
}

function outflow(args: string[]): Promise<{ ms: number; code: number | null }> {
  const root = path.resolve(import.meta.dirname, "..");
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "bin/outflow.mjs"), ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("close", (code) => resolve({ ms: performance.now() - started, code }));
  });
}

export async function runForecastBench(options: {
  databaseLeads: number;
  log: (line: string) => void;
}): Promise<ForecastBenchResult> {
  const file = CampaignFileSchema.parse(JSON.parse(readFileSync(FORECAST_FILE, "utf8")));
  const seeds: ForecastBenchResult["seeds"] = [];
  for (let n = 0; n < FORECAST_SEEDS; n++) {
    const seed = `forecast-${n + 1}`;
    const spec = resolveCampaignFile(file, { leads: FORECAST_LEADS, days: FORECAST_DAYS, seed });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const trace = await simulateInMemory(spec);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    seeds.push({
      seed,
      ms,
      cpuMs,
      actions: trace.actions.length,
      finished: trace.enrollments.filter((e) => e.state !== "active").length,
    });
    options.log(
      `  seed ${seed}: ${Math.round(ms)} ms (CPU ${Math.round(cpuMs)} ms), ${trace.actions.length} actions`,
    );
  }
  const sorted = seeds.map((s) => s.ms).sort((a, b) => a - b);

  const cli = await outflow([
    "simulate",
    FORECAST_FILE,
    "--leads",
    String(FORECAST_LEADS),
    "--days",
    String(FORECAST_DAYS),
    "--json",
  ]);
  if (cli.code !== 0) options.log(`  outflow simulate exited ${cli.code}`);

  const slice = resolveCampaignFile(file, {
    leads: options.databaseLeads,
    days: FORECAST_DAYS,
    seed: "forecast-1",
  });
  let started = performance.now();
  const memory = await simulateInMemory(slice);
  const memoryMs = performance.now() - started;
  started = performance.now();
  const database = await traceSimulation(slice);
  const databaseMs = performance.now() - started;
  return {
    leads: FORECAST_LEADS,
    days: FORECAST_DAYS,
    seeds,
    medianMsPerSeed: sorted[Math.floor(sorted.length / 2)]!,
    maxMsPerSeed: sorted.at(-1)!,
    medianCpuMsPerSeed: seeds.map((x) => x.cpuMs).sort((a, b) => a - b)[
      Math.floor(seeds.length / 2)
    ]!,
    cliMs: cli.ms,
    database: {
      leads: options.databaseLeads,
      memoryMs,
      databaseMs,
      same: JSON.stringify(memory.actions) === JSON.stringify(database.actions),
    },
  };
}

export function formatForecastBench(result: ForecastBenchResult): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const d = result.database;
  return [
    `  in memory, ${result.seeds.length} seeds (what a forecast runs): median ${s(result.medianMsPerSeed)}, ` +
      `slowest ${s(result.maxMsPerSeed)} per seed (median CPU ${s(result.medianCpuMsPerSeed)}) — ` +
      `median ${result.medianMsPerSeed < TARGET_MS_PER_SEED ? "under" : "OVER"} the ${s(TARGET_MS_PER_SEED)} target; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`,
    `  outflow simulate on the same file (a new process, start-up included): ${s(result.cliMs)}`,
    `  embedded database (outflow simulate --database), ${d.leads} leads × ${result.days} days: ${s(d.databaseMs)}, ` +
      `in memory ${s(d.memoryMs)} (×${(d.databaseMs / Math.max(d.memoryMs, 1)).toFixed(0)}), ` +
      `same actions: ${d.same ? "yes" : "NO"}`,
  ];
}
