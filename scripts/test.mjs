#!/usr/bin/env node
// The whole test command: lint and format check, type check, unit and integration tests,
// production build, browser tests. Stops at the first failing step and prints a timing table.
//   node scripts/test.mjs                 every step
//   node scripts/test.mjs --quick         lint, types, and the tests on PGlite only, without the
//                                         long suites vitest.config.ts lists (no PostgreSQL, no
//                                         build, no browser): npm run test:quick
//   node scripts/test.mjs vitest tsc …    the steps whose names contain these words
//   node scripts/test.mjs build playwright -- e2e/x.spec.ts   files for the test runners
import { spawn } from "node:child_process";
import { currentBuild } from "./builds.mjs";

const argv = process.argv.slice(2);
const dashes = argv.indexOf("--");
const words = dashes >= 0 ? argv.slice(0, dashes) : argv;
const extra = dashes >= 0 ? argv.slice(dashes + 1) : [];
const quick = words.includes("--quick");

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", E2E_RUN_ID: String(Date.now()) };
if (quick) {
  delete env.TEST_DATABASE_URL;
  env.OUTFLOW_QUICK_TESTS = "1";
}
const steps = [
  ["lint and format (biome)", "node_modules/.bin/biome", ["ci", "."], { quick: true }],
  // Beside vitest (which leaves part of the two cores idle while its files wait on databases):
  // tsc prints nothing unless it finds an error.
  ["type check (tsc)", "node_modules/.bin/tsc", ["--noEmit"], { quick: true, alongside: true }],
  [
    "unit and integration (vitest)",
    "node_modules/.bin/vitest",
    ["run"],
    { quick: true, files: true },
  ],
  // npm start's own build (made only if the sources changed since the last one), which the
  // second-start test and the browser tests then serve: one build for both.
  [
    "production build (npm start --build-only)",
    process.execPath,
    ["scripts/start.mjs", "--build-only"],
  ],
  [
    "second start (vitest scripts/start.test.ts)",
    "node_modules/.bin/vitest",
    ["run", "--config", "vitest.start.config.ts"],
  ],
  [
    "browser (playwright on chromium)",
    "node_modules/.bin/playwright",
    ["test"],
    { serveBuild: true, files: true },
  ],
];

const only = words.filter((word) => word !== "--quick");
const timings = [];
const started = Date.now();
/** A step started beside the next one, awaited once that one ends. */
let beside = null;
for (const [name, command, stepArgs, options = {}] of steps) {
  const { serveBuild = false, quick: inQuick = false, files = false, alongside = false } = options;
  if (quick && !inQuick) continue;
  if (only.length > 0 && !only.some((word) => name.includes(word))) continue;
  const args = files ? [...stepArgs, ...extra] : stepArgs;
  console.log(
    `\n=== ${name}${alongside ? " (beside the next step)" : ""}: ${command} ${args.join(" ")}`,
  );
  const stepStart = Date.now();
  if (alongside) {
    beside = { name, stepStart, exit: run(command, args, env) };
    continue;
  }
  // The browser tests' server (playwright.config.ts) serves the build made above.
  const build = serveBuild ? currentBuild() : null;
  const result = await run(command, args, build ? { ...env, OUTFLOW_DIST_DIR: build.dir } : env);
  const seconds = ((Date.now() - stepStart) / 1000).toFixed(1);
  const besideFailed = await settleBeside();
  timings.push([name, seconds, result.status === 0 ? "ok" : "FAILED"]);
  if (result.status !== 0 || besideFailed) {
    report();
    process.exit(result.status || 1);
  }
}
if (await settleBeside()) {
  report();
  process.exit(1);
}
report();

/** Waits for the step started beside the last one; true when it failed. */
async function settleBeside() {
  if (!beside) return false;
  const { name, stepStart, exit } = beside;
  beside = null;
  const { status, at } = await exit;
  timings.push([name, ((at - stepStart) / 1000).toFixed(1), status === 0 ? "ok" : "FAILED"]);
  return status !== 0;
}

/** Runs a command with this terminal; answers its exit status and when it ended. */
function run(command, args, environment) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: environment });
    child.on("error", () => resolve({ status: 1, at: Date.now() }));
    child.on("exit", (code) => resolve({ status: code ?? 1, at: Date.now() }));
  });
}

function report() {
  console.log("\n=== summary");
  for (const [name, seconds, status] of timings) {
    console.log(`${status.padEnd(6)} ${seconds.padStart(7)} s  ${name}`);
  }
  console.log(`total  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s`);
}
