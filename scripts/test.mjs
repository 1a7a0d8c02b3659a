#!/usr/bin/env node
// The whole test command: lint and format check, type check, unit and integration tests,
// production build, browser tests. Stops at the first failing step and prints a timing table.
import { spawnSync } from "node:child_process";
import { currentBuild } from "./builds.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", E2E_RUN_ID: String(Date.now()) };
const steps = [
  ["lint and format (biome)", "node_modules/.bin/biome", ["ci", "."]],
  ["type check (tsc)", "node_modules/.bin/tsc", ["--noEmit"]],
  ["unit and integration (vitest)", "node_modules/.bin/vitest", ["run"]],
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
    { serveBuild: true },
  ],
];

const only = process.argv.slice(2);
const timings = [];
const started = Date.now();
for (const [name, command, args, { serveBuild = false } = {}] of steps) {
  if (only.length > 0 && !only.some((word) => name.includes(word))) continue;
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const stepStart = Date.now();
  // The browser tests' server (playwright.config.ts) serves the build made above.
  const build = serveBuild ? currentBuild() : null;
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: build ? { ...env, OUTFLOW_DIST_DIR: build.dir } : env,
  });
  const seconds = ((Date.now() - stepStart) / 1000).toFixed(1);
  timings.push([name, seconds, result.status === 0 ? "ok" : "FAILED"]);
  if (result.status !== 0) {
    report();
    process.exit(result.status ?? 1);
  }
}
report();

function report() {
  console.log("\n=== summary");
  for (const [name, seconds, status] of timings) {
    console.log(`${status.padEnd(6)} ${seconds.padStart(7)} s  ${name}`);
  }
  console.log(`total  ${((Date.now() - started) / 1000).toFixed(1).padStart(7)} s`);
}
