// One benchmark worker process: the real engine (runDueBatch → stepEnrollment → the drizzle
// store) or one of the bare SQL loops (an UPDATE per move, or one per move of the whole batch), on PGlite or PostgreSQL. Started by bench/engine.ts with
// `node --import tsx bench/worker.ts '<json config>'` and an IPC channel:
//   worker → {type: "ready"}    once the database is open (and reset, when asked)
//   parent → {type: "go", at}   the shared real start time (the virtual clock's origin)
//   worker → {type: "done", …}  counts inside the measurement window, peak memory
import { readFileSync } from "node:fs";
import { type DatabaseConfig, openDatabase } from "@/db/client";
import { createEngineStore } from "@/db/engine/store";
import type { EngineStore } from "@/workflows/engine/ports";
import type { EngineDeps } from "@/workflows/engine/step";
import { runDueBatch } from "@/workflows/engine/worker";
import { bareBatch, bareSetBatch, benchClock, instantProvider, resetBench } from "./setup";

export interface WorkerConfig {
  database: DatabaseConfig;
  mode: "engine" | "bare" | "bare-set";
  index: number;
  batchSize: number;
  leaseMs: number;
  clockScale: number;
  warmupMs: number;
  measureMs: number;
  /** PGlite: the worker resets the rows itself, as nobody else may open the directory. */
  reset?: { workspaceId: string; campaignId: string };
}

export interface WorkerReport {
  type: "done";
  index: number;
  mode: WorkerConfig["mode"];
  /** Claimed rows stepped until they sleep or end (engine: stepEnrollment calls). */
  steps: number;
  /** Node moves (engine: committed moves along the graph; bare: UPDATEs). */
  moves: number;
  /** Provider calls (engine only). */
  sends: number;
  /** Batches that found nothing due. */
  emptyClaims: number;
  errors: number;
  firstError: string | null;
  /** Steps over the whole run, warm-up included, and how long that run took (ms). */
  stepsAll: number;
  ranMs: number;
  /** CPU time this process used over the run (user + system), ms. */
  cpuMs: number;
  /** Time in each store method (engine) or statement (bare) over the whole run. */
  timings: Record<string, { calls: number; ms: number }>;
  /** Opening the database, and resetting the rows (PGlite workers only), ms. */
  openMs: number;
  resetMs: number;
  /** Peak resident set size in bytes: VmHWM where the system has it, else the sampled maximum. */
  peakRss: number;
  sampledPeakRss: number;
}

/** The kernel's high-water mark of this process's resident memory (Linux), in bytes. */
function vmHwm(): number | null {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const config = JSON.parse(process.argv[2] ?? "") as WorkerConfig;
if (!process.send) throw new Error("bench/worker.ts runs under bench/run.ts (it needs IPC)");
const send = (message: object) => process.send!(message);

const opening = performance.now();
const handle = await openDatabase(
  config.database.kind === "postgres" ? { ...config.database, poolSize: 2 } : config.database,
);
const openMs = performance.now() - opening;
const resetting = performance.now();
if (config.reset) await resetBench(handle.db, config.reset);
const resetMs = performance.now() - resetting;

const goAt = await new Promise<number>((resolve) => {
  process.on("message", (message: { type?: string; at?: number }) => {
    if (message.type === "go" && typeof message.at === "number") resolve(message.at);
  });
  send({ type: "ready" });
});
while (Date.now() < goAt) await new Promise((r) => setTimeout(r, Math.max(1, goAt - Date.now())));

const cpuAtGo = process.cpuUsage();
const measureFrom = goAt + config.warmupMs;
const measureUntil = measureFrom + config.measureMs;
const inWindow = () => {
  const t = Date.now();
  return t >= measureFrom && t < measureUntil;
};

// Counted inside the measurement window…
let steps = 0;
let moves = 0;
let sends = 0;
// …and over the whole run (warm-up included), for the time breakdown.
let stepsAll = 0;
let emptyClaims = 0;
let errors = 0;
let firstError: string | null = null;
let sampledPeakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage.rss());
}, 100);

const timings: WorkerReport["timings"] = {};
const record = (name: string, ms: number) => {
  const entry = timings[name] ?? { calls: 0, ms: 0 };
  entry.calls++;
  entry.ms += ms;
  timings[name] = entry;
};
const countStep = () => {
  stepsAll++;
  if (inWindow()) steps++;
};

const clock = benchClock(goAt, config.clockScale);
const owner = `bench-${config.mode}-${config.index}-${process.pid}`;
const inner = createEngineStore(handle.db);
type Method = (...args: unknown[]) => Promise<unknown>;
// Every store method timed: where an engine step's time goes.
const store = Object.fromEntries(
  Object.entries(inner as unknown as Record<string, Method>).map(([name, method]) => [
    name,
    async (...args: unknown[]) => {
      const started = performance.now();
      const result = await method(...args);
      record(name, performance.now() - started);
      return result;
    },
  ]),
) as unknown as EngineStore;
const deps: EngineDeps = {
  store,
  provider: instantProvider(() => {
    if (inWindow()) sends++;
  }),
  clock,
  owner,
};

while (Date.now() < measureUntil) {
  try {
    if (config.mode === "engine") {
      const stepped = await runDueBatch(deps, {
        batchSize: config.batchSize,
        leaseMs: config.leaseMs,
        onStep: countStep,
        onBatch: (stats) => {
          if (inWindow()) moves += stats.moves;
        },
      });
      if (stepped === 0) emptyClaims++;
    } else if (config.mode === "bare-set") {
      const moved = await bareSetBatch(handle.db, {
        clock,
        owner,
        leaseMs: config.leaseMs,
        batchSize: config.batchSize,
        record,
        onRow: countStep,
        onMove: () => {
          if (inWindow()) moves++;
        },
      });
      if (moved === 0) emptyClaims++;
    } else {
      const moved = await bareBatch(handle.db, {
        clock,
        owner,
        leaseMs: config.leaseMs,
        batchSize: config.batchSize,
        until: measureUntil,
        record,
        onRow: countStep,
        onMove: () => {
          if (inWindow()) moves++;
        },
      });
      if (moved === 0) emptyClaims++;
    }
  } catch (error) {
    errors++;
    firstError ??= error instanceof Error ? error.message : String(error);
  }
}
const ranMs = Date.now() - goAt;
const cpu = process.cpuUsage(cpuAtGo);
const cpuMs = (cpu.user + cpu.system) / 1000;
clearInterval(sampler);
sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage.rss());

const report: WorkerReport = {
  type: "done",
  index: config.index,
  mode: config.mode,
  steps,
  moves,
  sends,
  emptyClaims,
  errors,
  firstError,
  stepsAll,
  ranMs,
  cpuMs,
  timings,
  openMs,
  resetMs,
  peakRss: vmHwm() ?? sampledPeakRss,
  sampledPeakRss,
};
send(report);
await handle.close();
process.disconnect();
