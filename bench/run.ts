// `npm run bench`: performance figures, printed as a table and written to
// bench/results/latest.json (git-ignored).
//
//   npm run bench                          every part
//   npm run bench -- --only engine         the engine: steps/s against two bare SQL loops, memory
//   npm run bench -- --only import         a 10,000-row CSV import against a bare multi-row INSERT
//   npm run bench -- --only dashboard      the dashboard API with 100,000 enrollments (PostgreSQL;
//                                          --dashboard-sizes 100000,1000000 for more)
//   npm run bench -- --only api            the REST API with 100,000 leads, in process and over HTTP
//                                          through `npm start` (--no-api-http leaves that out),
//                                          webhook delivery (PostgreSQL)
//   npm run bench -- --only inbox          the inbox with 50,000 conversations, reply to stop without
//                                          and with engine load (PostgreSQL; --inbox-conversations,
//                                          --inbox-load-workers 0 to leave the loaded run out)
//   npm run bench -- --only editor         the editor on Chromium: 200 steps against 5 (needs a
//                                          production build: npm run build)
//   npm run bench -- --only priorities     the engine's cost of seat priorities: the same simulated
//                                          runs with them on and off (--priorities-leads N,
//                                          --priorities-memory-only)
//   npm run bench -- --leads 5000 --seconds 5 --rounds 1     a quicker, noisier run
//   npm run bench -- --profile             engine workers write .cpuprofile files (DevTools)
//
// PostgreSQL rows need BENCH_DATABASE_URL or TEST_DATABASE_URL: a server on which the bench
// creates throwaway databases and drops them afterwards.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatApiBench, runApiBench } from "./api";
import { formatDashboardBench, runDashboardBench } from "./dashboard";
import { runEditorBench } from "./editor";
import { benchEngine, type EngineBenchResult, ensureDirectory } from "./engine";
import { formatForecastBench, runForecastBench } from "./forecast";
import { formatForecastLoadBench, runForecastLoadBench } from "./forecast-load";
import { formatImportBench, runImportBench } from "./import";
import { formatInboxBench, runInboxBench } from "./inbox";
import { formatPrioritiesBench, runPrioritiesBench } from "./priorities";
import { GRAPH_LABEL } from "./setup";

const PARTS = [
  "engine",
  "import",
  "dashboard",
  "api",
  "inbox",
  "editor",
  "forecast",
  "priorities",
] as const;
const RESULTS_DIR = path.resolve("bench/results");

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    leads: { type: "string", default: "20000" },
    "memory-leads": { type: "string", default: "100000" },
    accounts: { type: "string", default: "5" },
    batch: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    "memory-seconds": { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    "no-api-http": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "forecast-database-leads": { type: "string", default: "100" },
    "dashboard-sizes": { type: "string", default: "100000" },
    "webhook-backlog": { type: "string", default: "100000" },
    "inbox-conversations": { type: "string", default: "50000" },
    "inbox-load-workers": { type: "string", default: "2" },
    "priorities-leads": { type: "string", default: "500" },
    "priorities-memory-only": { type: "boolean", default: false },
  },
});

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a number ≥ 0 (got ${value})`);
    process.exit(2);
  }
  return n;
}

const only = values.only;
if (only && !PARTS.includes(only as (typeof PARTS)[number])) {
  console.error(`--only must be one of: ${PARTS.join(", ")}`);
  process.exit(2);
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function printEngine(result: EngineBenchResult) {
  const o = result.options;
  console.log("");
  console.log(
    `Engine throughput: ${int(o.leads)} leads, ${GRAPH_LABEL}, ${o.accounts} sandbox accounts,`,
  );
  console.log(
    `caps lifted, 1 ms gaps, working hours 24/7, batch ${o.batchSize}, instant provider; ` +
      `${o.warmupSeconds} s warm-up + ${o.seconds} s measured per run, median of ${o.rounds} (bare, set-based bare, engine) rounds.`,
  );
  console.log("");
  console.log(
    table(
      [
        "database",
        "workers",
        "bare loop steps/s",
        "engine steps/s",
        "steps ÷ bare",
        "set-based steps/s",
        "steps ÷ set-based",
        "bare node moves/s",
        "set-based moves/s",
        "engine node moves/s",
        "moves ÷ bare",
        "moves ÷ set-based",
        "engine sends/s",
        "engine peak RSS/worker",
      ],
      result.rows.map((row) => [
        row.database,
        String(row.workers),
        int(row.bareStepsPerSecond),
        int(row.engineStepsPerSecond),
        percent(row.ratio),
        int(row.setStepsPerSecond),
        percent(row.setRatio),
        int(row.bareMovesPerSecond),
        int(row.setMovesPerSecond),
        int(row.engineMovesPerSecond),
        percent(row.movesRatio),
        percent(row.setMovesRatio),
        int(row.engineSendsPerSecond),
        mb(row.enginePeakRssPerWorker),
      ]),
    ),
  );
  console.log("");
  console.log(
    "step = one claimed lead walked until it sleeps or ends: here start → visit → follow → connect → sleeps on the",
  );
  console.log(
    "wait (4 node moves, 3 sends), or wait → end → done (2 moves). The bare loop claims with the engine's own statement",
  );
  console.log(
    "and walks each row through the same nodes, one plain UPDATE per move, with no history, sends, caps or other domain",
  );
  console.log(
    "logic; the engine commits every move with its history line and each send's intent before it and outcome after.",
  );
  console.log(
    "The set-based bare loop (the floor) claims the same way and moves every claimed row still walking with one UPDATE",
  );
  console.log("per move: 1 + 4 statements for a batch entering the wait, whatever the batch size.");
  console.log("Target: engine steps ≥ 50 % of the bare loop's.");
  for (const note of result.notes) console.log(note);
  const errors = result.rows.flatMap((r) => r.runs).filter((r) => r.errors > 0);
  if (errors.length > 0) console.log(`${errors.length} runs had errors: see the log above.`);
  console.log("");
  console.log(
    "Where an engine step's time goes (worker-ms per step, by store call; other = JS, provider):",
  );
  const order = ["applyDueCredits", "claimDue", "flush", "safetyCounts"];
  for (const row of result.rows) {
    const ms = row.engineMsPerStep;
    const parts = [
      ...order.map((name) => `${name} ${(ms[name] ?? 0).toFixed(1)}`),
      `other ${(ms.other ?? 0).toFixed(1)}`,
    ];
    const cpu = `; worker CPU ${(ms.workerCpu ?? 0).toFixed(1)} ms/step`;
    console.log(
      `  ${`${row.database} ×${row.workers}`.padEnd(14)} ${(ms.total ?? 0).toFixed(1).padStart(6)} ms = ${parts.join(" · ")}${cpu}`,
    );
  }
  console.log(
    `The shared claim statement (sorts every due row), ms per batch of ${o.batchSize} in the bare runs: ` +
      result.rows
        .map((r) => `${r.database} ×${r.workers} ${r.bareClaimMsPerBatch.toFixed(0)}`)
        .join(", "),
  );
  if (result.memory) {
    const m = result.memory;
    const verdict = m.peakRss < m.targetBytes ? "under" : "OVER";
    console.log("");
    console.log(
      `Memory: 1 engine worker, ${int(m.enrollments)} enrollments due on ${m.database}, ${m.seconds} s ` +
        `(${int(m.steps)} steps, claim ${int(m.claimMsPerBatch)} ms per batch): peak RSS ${mb(m.peakRss)} — ${verdict} the ${mb(m.targetBytes)} target` +
        (m.database === "PGlite" ? " (the database runs inside the worker on PGlite)" : "") +
        (m.errors > 0 ? `; ${m.errors} errors` : ""),
    );
  }
  console.log("");
  console.log(
    `Noise: ${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), ${mb(totalmem())} RAM, and the database ` +
      "server shares them with the workers. Both sides run in the same invocation on the same rows, reset and",
  );
  console.log(
    "vacuumed before every run, alternating the bare loops and the engine; compare ratios rather than absolute rates across machines.",
  );
}

const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? null,
    memoryBytes: totalmem(),
    node: process.version,
    platform: process.platform,
  },
};

if (!only || only === "engine") {
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null;
  const profileDir = path.join(RESULTS_DIR, "profiles");
  if (values.profile) ensureDirectory(profileDir);
  const engine = await benchEngine({
    leads: positive("leads", values.leads),
    memoryLeads: positive("memory-leads", values["memory-leads"]),
    accounts: Math.max(1, positive("accounts", values.accounts)),
    batchSize: Math.max(1, positive("batch", values.batch)),
    seconds: Math.max(1, positive("seconds", values.seconds)),
    warmupSeconds: positive("warmup", values.warmup),
    memorySeconds: Math.max(1, positive("memory-seconds", values["memory-seconds"])),
    rounds: Math.max(1, positive("rounds", values.rounds)),
    clockScale: 3600,
    postgresUrl,
    engineExecArgv: values.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    log: (line) => console.log(line),
  });
  results.engine = engine;
  printEngine(engine);
  if (values.profile) console.log(`CPU profiles of the engine workers: ${profileDir}`);
}

if (!only || only === "import") {
  console.log("");
  console.log("CSV import: 10,000 rows, against a bare multi-row INSERT of the same rows");
  const imported = await runImportBench({ log: (line) => console.log(line) });
  results.import = imported;
  for (const line of formatImportBench(imported)) console.log(line);
}

if (!only || only === "dashboard") {
  console.log("");
  if (process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL) {
    const sizes = (values["dashboard-sizes"] ?? "100000")
      .split(",")
      .map((size) => positive("dashboard-sizes", size));
    console.log(
      `Dashboard API: ${sizes.map(int).join(" and ")} enrollments, five actions each, against a trivial endpoint`,
    );
    const dashboard = await runDashboardBench({ sizes });
    results.dashboard = dashboard;
    for (const line of formatDashboardBench(dashboard)) console.log(line);
  } else {
    console.log(
      "Dashboard API: skipped — set BENCH_DATABASE_URL or TEST_DATABASE_URL (PostgreSQL).",
    );
  }
}

if (!only || only === "api") {
  console.log("");
  console.log(
    "API and webhooks: 100,000 leads against a trivial endpoint; delivery latency and backlog",
  );
  const api = await runApiBench({
    log: (line) => console.log(line),
    backlog: positive("webhook-backlog", values["webhook-backlog"]),
    http: !values["no-api-http"],
  });
  results.api = api;
  for (const line of formatApiBench(api)) console.log(line);
}

if (!only || only === "inbox") {
  console.log("");
  console.log(
    "Inbox: the list and a thread against a trivial endpoint; reply to stop, without and with engine load",
  );
  const inbox = await runInboxBench({
    log: (line) => console.log(line),
    conversations: Math.max(1, positive("inbox-conversations", values["inbox-conversations"])),
    loadWorkers: positive("inbox-load-workers", values["inbox-load-workers"]),
  });
  results.inbox = inbox;
  for (const line of formatInboxBench(inbox)) console.log(line);
}

if (!only || only === "editor") {
  console.log("");
  console.log("Editor on Chromium: a 200-step campaign against a 5-step one, same run");
  const editor = await runEditorBench({ rounds: 3, log: (line) => console.log(line) });
  results.editor = editor;
  const row = (name: string, f: typeof editor.large) =>
    `  ${name.padEnd(9)} ready ${int(f.readyMs).padStart(6)} ms   panning ${f.panFps.toFixed(1).padStart(5)} fps   p95 frame ${int(f.panP95FrameMs).padStart(4)} ms`;
  console.log(row("200 steps", editor.large));
  console.log(row("5 steps", editor.small));
  console.log(
    `  ratio     ready ×${editor.readyRatio.toFixed(2)} (200 ÷ 5)   panning ${percent(editor.fpsRatio)} of the small graph's frame rate`,
  );
}

if (!only || only === "forecast") {
  console.log("");
  console.log(
    "Forecast: 1,000 leads × 90 days, two seats, an InMail branch (connect-then-inmail.json), the real engine on a virtual clock",
  );
  const forecast = await runForecastBench({
    databaseLeads: Math.max(
      1,
      positive("forecast-database-leads", values["forecast-database-leads"]),
    ),
    log: (line) => console.log(line),
  });
  results.forecast = forecast;
  for (const line of formatForecastBench(forecast)) console.log(line);
  console.log("");
  console.log(
    "Forecasts beside other requests: a trivial endpoint idle, then during 10 forecasts asked at once",
  );
  const load = await runForecastLoadBench({ log: (line) => console.log(line) });
  results.forecastLoad = load;
  for (const line of formatForecastLoadBench(load)) console.log(line);
}

if (!only || only === "priorities") {
  const priorities = await runPrioritiesBench({
    leads: Math.max(1, positive("priorities-leads", values["priorities-leads"])),
    rounds: Math.max(1, positive("rounds", values.rounds)),
    database: values["priorities-memory-only"] !== true,
    log: (line) => console.log(line),
  });
  results.priorities = priorities;
  console.log(formatPrioritiesBench(priorities));
}

ensureDirectory(RESULTS_DIR);
const file = path.join(RESULTS_DIR, "latest.json");
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`Written to ${path.relative(process.cwd(), file)}`);
