/**
 * The engine part of `npm run bench`: steps per second of the real engine against two bare SQL
 * loops on the same rows (one UPDATE per move of each row; one UPDATE per move of the whole
 * claimed batch, the floor), on PGlite (1 worker) and PostgreSQL (1 and 4 workers), and the peak
 * resident memory of one worker with 100,000 enrollments.
 */
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DatabaseConfig, type DatabaseHandle, openDatabase } from "@/db/client";
import { createTestDatabase } from "@/test/databases";
import { addLeads, resetBench, type Seeded, seedBench } from "./setup";
import type { WorkerConfig, WorkerReport } from "./worker";

const WORKER = path.resolve("bench/worker.ts");
/** Long enough that no lease runs out during a run, at any clock scale used here. */
const LEASE_MS = 365 * 24 * 3_600_000;
const MEMORY_TARGET_BYTES = 300 * 1024 * 1024;

export interface EngineBenchOptions {
  leads: number;
  memoryLeads: number;
  accounts: number;
  batchSize: number;
  warmupSeconds: number;
  seconds: number;
  memorySeconds: number;
  rounds: number;
  clockScale: number;
  /** PostgreSQL server to create throwaway databases on; null skips the PostgreSQL rows. */
  postgresUrl: string | null;
  /** Extra node flags for engine workers (e.g. --cpu-prof). */
  engineExecArgv: string[];
  log: (line: string) => void;
}

export type Timings = Record<string, { calls: number; ms: number }>;

export interface RunResult {
  mode: "engine" | "bare" | "bare-set";
  round: number;
  workers: number;
  measureMs: number;
  steps: number;
  moves: number;
  sends: number;
  /** Over the whole run, warm-up included: steps, and worker-milliseconds spent. */
  stepsAll: number;
  workerMs: number;
  /** CPU the worker processes used over the run (not the database server's), ms. */
  workerCpuMs: number;
  /** The slowest worker's database opening and (PGlite) reset, ms: set-up, not measured. */
  openMs: number;
  resetMs: number;
  stepsPerSecond: number;
  movesPerSecond: number;
  sendsPerSecond: number;
  emptyClaims: number;
  errors: number;
  firstError: string | null;
  timings: Timings;
  /** The largest peak RSS among the run's workers, bytes. */
  peakRssPerWorker: number;
}

export interface ThroughputRow {
  database: "PGlite" | "PostgreSQL";
  workers: number;
  /** Claimed rows walked until they sleep or end, per second. */
  bareStepsPerSecond: number;
  /** Node moves (one UPDATE each) per second. */
  bareMovesPerSecond: number;
  /** The set-based bare loop: one statement per claimed batch per move. */
  setStepsPerSecond: number;
  setMovesPerSecond: number;
  engineStepsPerSecond: number;
  engineMovesPerSecond: number;
  engineSendsPerSecond: number;
  /** engine steps/s ÷ bare steps/s: the target (both walk each claimed lead the same way) */
  ratio: number;
  /** engine node moves/s ÷ bare node moves/s */
  movesRatio: number;
  /** engine steps/s ÷ set-based bare steps/s, and the same for moves */
  setRatio: number;
  setMovesRatio: number;
  enginePeakRssPerWorker: number;
  /**
   * Worker-milliseconds per engine step by store method, over the engine runs (warm-up
   * included); "other" is the JS between store calls.
   */
  engineMsPerStep: Record<string, number>;
  /** The shared claim statement, ms per batch, in the bare runs. */
  bareClaimMsPerBatch: number;
  runs: RunResult[];
}

export interface MemoryResult {
  database: "PGlite" | "PostgreSQL";
  enrollments: number;
  seconds: number;
  steps: number;
  claimMsPerBatch: number;
  peakRss: number;
  targetBytes: number;
  errors: number;
}

export interface EngineBenchResult {
  options: Omit<EngineBenchOptions, "postgresUrl" | "log" | "engineExecArgv">;
  rows: ThroughputRow[];
  memory: MemoryResult | null;
  notes: string[];
}

/** What an interrupted run must still delete: the PGlite directory, the PostgreSQL database. */
const cleanups = new Set<() => Promise<void> | void>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    console.error(`\n${signal}: removing what the benchmark created…`);
    // Newest first: the workers stop before their database goes.
    for (const cleanup of [...cleanups].reverse()) {
      try {
        await cleanup();
      } catch {
        // best effort: the next one may still succeed
      }
    }
    process.exit(130);
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function startWorker(config: WorkerConfig, execArgv: string[]) {
  const child = fork(WORKER, [JSON.stringify(config)], {
    execArgv: ["--conditions=react-server", "--import", "tsx", ...execArgv],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let report: WorkerReport | null = null;
  let markReady: () => void = () => {};
  const readyMessage = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const done = new Promise<WorkerReport>((resolve, reject) => {
    child.on("message", (message: { type?: string }) => {
      if (message.type === "ready") markReady();
      if (message.type === "done") report = message as WorkerReport;
    });
    child.on("exit", (code, signal) => {
      if (report && code === 0) resolve(report);
      else reject(new Error(`bench worker ${config.index} exited with ${signal ?? code}`));
    });
  });
  done.catch(() => {}); // awaited by the caller; this only keeps an early death from going unhandled
  // A worker that dies before it is ready must not leave the parent waiting.
  const ready = Promise.race([
    readyMessage,
    done.then(() => {
      throw new Error(`bench worker ${config.index} finished before it was ready`);
    }),
  ]);
  return { child, ready, done };
}

/** Starts `workers` processes, lets them all begin at the same instant, and sums their counts. */
async function runWorkers(
  count: number,
  base: Omit<WorkerConfig, "index">,
  execArgv: string[],
  round: number,
): Promise<RunResult> {
  const started = Array.from({ length: count }, (_, index) =>
    startWorker({ ...base, index }, execArgv),
  );
  const children: ChildProcess[] = started.map((s) => s.child);
  const killChildren = () => {
    for (const child of children) if (child.exitCode === null) child.kill();
  };
  cleanups.add(killChildren);
  try {
    await Promise.all(started.map((s) => s.ready));
    const at = Date.now() + 100;
    for (const child of children) child.send({ type: "go", at });
    const reports = await Promise.all(started.map((s) => s.done));
    const seconds = base.measureMs / 1000;
    const sum = (pick: (r: WorkerReport) => number) => reports.reduce((t, r) => t + pick(r), 0);
    const timings: Timings = {};
    for (const report of reports) {
      for (const [name, t] of Object.entries(report.timings)) {
        const entry = timings[name] ?? { calls: 0, ms: 0 };
        entry.calls += t.calls;
        entry.ms += t.ms;
        timings[name] = entry;
      }
    }
    return {
      mode: base.mode,
      round,
      workers: count,
      measureMs: base.measureMs,
      steps: sum((r) => r.steps),
      moves: sum((r) => r.moves),
      sends: sum((r) => r.sends),
      stepsAll: sum((r) => r.stepsAll),
      workerMs: sum((r) => r.ranMs),
      workerCpuMs: sum((r) => r.cpuMs),
      openMs: Math.max(...reports.map((r) => r.openMs)),
      resetMs: Math.max(...reports.map((r) => r.resetMs)),
      stepsPerSecond: sum((r) => r.steps) / seconds,
      movesPerSecond: sum((r) => r.moves) / seconds,
      sendsPerSecond: sum((r) => r.sends) / seconds,
      emptyClaims: sum((r) => r.emptyClaims),
      errors: sum((r) => r.errors),
      firstError: reports.find((r) => r.firstError)?.firstError ?? null,
      timings,
      peakRssPerWorker: Math.max(...reports.map((r) => r.peakRss)),
    };
  } finally {
    cleanups.delete(killChildren);
    killChildren();
  }
}

/** Worker-milliseconds per step by store method, plus "other": the JS between them. */
function msPerStep(runs: RunResult[]): Record<string, number> {
  const steps = runs.reduce((t, r) => t + r.stepsAll, 0);
  if (steps === 0) return {};
  const busy = runs.reduce((t, r) => t + r.workerMs, 0);
  const out: Record<string, number> = {};
  let inStore = 0;
  for (const run of runs) {
    for (const [name, t] of Object.entries(run.timings)) {
      out[name] = (out[name] ?? 0) + t.ms;
      inStore += t.ms;
    }
  }
  for (const name of Object.keys(out)) out[name] = out[name]! / steps;
  out.other = Math.max(0, busy - inStore) / steps;
  out.workerCpu = runs.reduce((t, r) => t + r.workerCpuMs, 0) / steps;
  out.total = busy / steps;
  return out;
}

function claimMsPerBatch(runs: RunResult[], name: string): number {
  const calls = runs.reduce((t, r) => t + (r.timings[name]?.calls ?? 0), 0);
  const ms = runs.reduce((t, r) => t + (r.timings[name]?.ms ?? 0), 0);
  return calls > 0 ? ms / calls : 0;
}

function summarise(
  database: ThroughputRow["database"],
  workers: number,
  runs: RunResult[],
): ThroughputRow {
  const bare = runs.filter((r) => r.mode === "bare");
  const set = runs.filter((r) => r.mode === "bare-set");
  const setSteps = median(set.map((r) => r.stepsPerSecond));
  const setMoves = median(set.map((r) => r.movesPerSecond));
  const engine = runs.filter((r) => r.mode === "engine");
  const bareSteps = median(bare.map((r) => r.stepsPerSecond));
  const bareMoves = median(bare.map((r) => r.movesPerSecond));
  const engineSteps = median(engine.map((r) => r.stepsPerSecond));
  const engineMoves = median(engine.map((r) => r.movesPerSecond));
  return {
    database,
    workers,
    bareStepsPerSecond: bareSteps,
    bareMovesPerSecond: bareMoves,
    setStepsPerSecond: setSteps,
    setMovesPerSecond: setMoves,
    engineStepsPerSecond: engineSteps,
    engineMovesPerSecond: engineMoves,
    engineSendsPerSecond: median(engine.map((r) => r.sendsPerSecond)),
    ratio: bareSteps > 0 ? engineSteps / bareSteps : 0,
    movesRatio: bareMoves > 0 ? engineMoves / bareMoves : 0,
    setRatio: setSteps > 0 ? engineSteps / setSteps : 0,
    setMovesRatio: setMoves > 0 ? engineMoves / setMoves : 0,
    enginePeakRssPerWorker: Math.max(...engine.map((r) => r.peakRssPerWorker)),
    engineMsPerStep: msPerStep(engine),
    bareClaimMsPerBatch: claimMsPerBatch(bare, "claim"),
    runs,
  };
}

function describeRun(label: string, run: RunResult) {
  const errors = run.errors > 0 ? `, ${run.errors} errors (${run.firstError})` : "";
  const unit = "steps/s";
  const setup = `open ${(run.openMs / 1000).toFixed(1)} s${run.resetMs > 0 ? `, reset ${(run.resetMs / 1000).toFixed(1)} s` : ""}`;
  return `  ${label} round ${run.round} ${run.mode.padEnd(8)} ${run.stepsPerSecond.toFixed(1).padStart(7)} ${unit} ${run.movesPerSecond.toFixed(1).padStart(7)} moves/s  (${setup})${errors}`;
}

interface Target {
  label: string;
  database: DatabaseConfig;
  seeded: Seeded;
  /** PostgreSQL: the parent resets the rows. PGlite: null, each worker resets them itself. */
  reset: (() => Promise<void>) | null;
}

function workerConfig(
  options: EngineBenchOptions,
  target: Target,
  mode: WorkerConfig["mode"],
  warmupMs: number,
  measureMs: number,
): Omit<WorkerConfig, "index"> {
  return {
    database: target.database,
    mode,
    batchSize: options.batchSize,
    leaseMs: LEASE_MS,
    clockScale: options.clockScale,
    warmupMs,
    measureMs,
    ...(target.reset
      ? {}
      : {
          reset: { workspaceId: target.seeded.workspaceId, campaignId: target.seeded.campaignId },
        }),
  };
}

/** bare, set-based bare, engine, bare…: every side sees the same machine state as far as possible. */
async function alternate(options: EngineBenchOptions, target: Target, workers: number) {
  const runs: RunResult[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const mode of ["bare", "bare-set", "engine"] as const) {
      await target.reset?.();
      const run = await runWorkers(
        workers,
        workerConfig(options, target, mode, options.warmupSeconds * 1000, options.seconds * 1000),
        mode === "engine" ? options.engineExecArgv : [],
        round,
      );
      options.log(describeRun(`${target.label} ×${workers}`, run));
      runs.push(run);
    }
  }
  return runs;
}

/** One engine worker with `memoryLeads` enrollments due, for `memorySeconds`: its peak RSS. */
async function measureMemory(
  options: EngineBenchOptions,
  target: Target,
  db: DatabaseHandle | null,
  kind: MemoryResult["database"],
): Promise<MemoryResult> {
  const handle = db ?? (await openDatabase(target.database));
  try {
    const started = performance.now();
    await addLeads(handle.db, target.seeded, options.memoryLeads);
    options.log(
      `${target.label}: ${options.memoryLeads} enrollments after ${((performance.now() - started) / 1000).toFixed(1)} s more seeding`,
    );
  } finally {
    if (!db) await handle.close();
  }
  await target.reset?.();
  const run = await runWorkers(
    1,
    workerConfig(options, target, "engine", 0, options.memorySeconds * 1000),
    [],
    1,
  );
  return {
    database: kind,
    enrollments: options.memoryLeads,
    seconds: options.memorySeconds,
    steps: run.steps,
    claimMsPerBatch: claimMsPerBatch([run], "claimDue"),
    peakRss: run.peakRssPerWorker,
    targetBytes: MEMORY_TARGET_BYTES,
    errors: run.errors,
  };
}

export async function benchEngine(options: EngineBenchOptions): Promise<EngineBenchResult> {
  const began = performance.now();
  const log = (line: string) =>
    options.log(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}`);
  const opts = { ...options, log };
  const rows: ThroughputRow[] = [];
  const notes: string[] = [];
  let memory: MemoryResult | null = null;
  const memoryWanted = options.memoryLeads > 0;

  // PGlite, one worker: nobody else may open the directory, so each worker resets the rows.
  {
    const root = mkdtempSync(path.join(tmpdir(), "outflow-bench-"));
    const removeRoot = () => rmSync(root, { recursive: true, force: true });
    cleanups.add(removeRoot);
    try {
      const dataDir = path.join(root, "pglite");
      const handle = await openDatabase({ kind: "pglite", dataDir });
      let seeded: Seeded;
      try {
        seeded = await seedBench(handle.db, { leads: options.leads, accounts: options.accounts });
      } finally {
        await handle.close();
      }
      log(`PGlite: created and seeded ${options.leads} enrollments`);
      const target: Target = {
        label: "PGlite",
        database: { kind: "pglite", dataDir },
        seeded,
        reset: null,
      };
      rows.push(summarise("PGlite", 1, await alternate(opts, target, 1)));
      // Without PostgreSQL the memory figure comes from PGlite, whose database lives in the worker.
      if (memoryWanted && !options.postgresUrl) {
        memory = await measureMemory(opts, target, null, "PGlite");
      }
    } finally {
      removeRoot();
      cleanups.delete(removeRoot);
    }
  }
  notes.push(
    "PGlite × 4 workers: not run — a PGlite directory admits one process (db/lock.ts); several workers need PostgreSQL.",
  );

  if (options.postgresUrl) {
    process.env.TEST_DATABASE_URL = options.postgresUrl;
    const database = await createTestDatabase("postgres");
    const drop = () => database.destroy();
    cleanups.add(drop);
    try {
      const seeded = await seedBench(database.db, {
        leads: options.leads,
        accounts: options.accounts,
      });
      log(`PostgreSQL: created and seeded ${options.leads} enrollments`);
      const target: Target = {
        label: "PostgreSQL",
        database: { kind: "postgres", url: database.url! },
        seeded,
        reset: () => resetBench(database.db, seeded),
      };
      for (const workers of [1, 4]) {
        rows.push(summarise("PostgreSQL", workers, await alternate(opts, target, workers)));
      }
      if (memoryWanted) memory = await measureMemory(opts, target, database, "PostgreSQL");
    } finally {
      cleanups.delete(drop);
      await database.destroy();
    }
  } else {
    notes.push(
      "PostgreSQL rows skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL (a server the bench may create and drop throwaway databases on).",
    );
  }
  log("done");

  return {
    options: {
      leads: options.leads,
      memoryLeads: options.memoryLeads,
      accounts: options.accounts,
      batchSize: options.batchSize,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      memorySeconds: options.memorySeconds,
      rounds: options.rounds,
      clockScale: options.clockScale,
    },
    rows,
    memory,
    notes,
  };
}

export function ensureDirectory(dir: string) {
  mkdirSync(dir, { recursive: true });
}
