#!/usr/bin/env node
// `npm start`: serves the app on PORT (default 3000) with the embedded database (PGlite in
// ./.data unless DATABASE_URL is set), the in-process engine and the sandbox LinkedIn, building
// it first only when its sources changed since the last build (OUTFLOW_REBUILD=1 forces one).
// Builds go to fresh directories under .next-builds, so a running server's build is never
// written to. Ctrl-C stops the server. `--build-only` makes the build if needed and stops there
// (the test command's build step: its browser tests then serve that same build).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  currentBuild,
  markInUse,
  newBuildDir,
  processRecord,
  removeUnusedBuilds,
  setCurrentBuild,
  sourceHash,
} from "./builds.mjs";

const started = Date.now();
const say = (message) => console.log(`[outflow] ${message}`);
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const port = process.env.PORT ?? "3000";
const buildOnly = process.argv.includes("--build-only");
env.BETTER_AUTH_URL ??= `http://localhost:${port}`;

// 1. A second instance on the same embedded database stops here, before building anything.
const dataDir = path.resolve(process.env.OUTFLOW_DATA_DIR || "./.data/pglite");
// No lock file, no holder: the lock's own rules (db/lock.ts, loaded through tsx, which takes a
// moment) are needed only when there is one to judge.
if (!buildOnly && !process.env.DATABASE_URL && existsSync(`${dataDir}.lock`)) {
  // As bin/outflow.mjs does: TypeScript through tsx, and db/'s `server-only` marker resolved to
  // its empty module (this is not Next.js).
  const { register } = await import("tsx/esm/api");
  const { register: registerHooks } = await import("node:module");
  register();
  registerHooks("../bin/server-only-hook.mjs", import.meta.url);
  const { dataDirectoryHolder } = await import("../db/lock.ts");
  const holder = dataDirectoryHolder(dataDir);
  if (holder) {
    console.error(
      `[outflow] The embedded database ${dataDir} is in use by process ${holder.pid} ` +
        `(started ${holder.startedAt}): is the app already running? Stop it first, or set ` +
        "OUTFLOW_DATA_DIR to another directory, or DATABASE_URL to use PostgreSQL.",
    );
    process.exit(1);
  }
}

// 2. The build: the current one if it was made from these sources, else a new one.
say("checking whether the app needs building…");
const hash = sourceHash();
let build = currentBuild();
const forced = process.env.OUTFLOW_REBUILD === "1";
const skip = process.env.OUTFLOW_SKIP_BUILD === "1";
let use;
if (skip && !build) {
  console.error("[outflow] OUTFLOW_SKIP_BUILD=1, but there is no build yet: run without it once.");
  process.exit(1);
}
if (build && (skip || (!forced && build.hash === hash))) {
  say(`the sources did not change since the build of ${build.builtAt}: no build needed`);
  use = markInUse(build.dir, [processRecord(process.pid)]);
} else {
  const dir = newBuildDir(hash);
  use = markInUse(dir, [processRecord(process.pid)]);
  say(
    `${forced ? "building, as OUTFLOW_REBUILD=1 asks" : build ? "the sources changed: building" : "first start: building"} ` +
      `the app into ${dir} (a few minutes; later starts skip this)…`,
  );
  // `next build` adds its build directory to tsconfig.json and next-env.d.ts; put them back,
  // so the checkout stays as it was.
  const kept = ["tsconfig.json", "next-env.d.ts"].map((file) => [
    file,
    existsSync(file) ? readFileSync(file) : null,
  ]);
  const result = spawnSync("node_modules/.bin/next", ["build"], {
    stdio: "inherit",
    env: { ...env, OUTFLOW_DIST_DIR: dir, OUTFLOW_START_BUILD: "1" },
  });
  for (const [file, content] of kept) {
    if (content === null) rmSync(file, { force: true });
    else writeFileSync(file, content);
  }
  if (result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    use.forget();
    console.error("[outflow] the build failed; the previous build, if any, is left as it was.");
    process.exit(result.status ?? 1);
  }
  build = { dir, hash, builtAt: new Date().toISOString() };
  setCurrentBuild(build);
  say(`built in ${seconds()}`);
}
for (const removed of removeUnusedBuilds()) say(`removed the unused build ${removed}`);
if (buildOnly) {
  use.forget();
  say(`the build to serve is ${build.dir}`);
  process.exit(0);
}

// 3. Serve that build; it stays in place for as long as this server runs.
say(`starting on http://localhost:${port} (build ${build.dir})…`);
// Its own process group, so that stopping reaches every process `next start` runs, and this
// one exits only once they are all gone (never leaving one on the database or the build).
// scripts/serve.mjs is `next start` with client addresses taken from the connection.
const server = spawn(process.execPath, ["scripts/serve.mjs"], {
  stdio: "inherit",
  env: { ...env, PORT: port, OUTFLOW_DIST_DIR: build.dir },
  detached: true,
});
use.update([processRecord(process.pid), processRecord(server.pid)]);
const signalGroup = (signal) => {
  try {
    process.kill(-server.pid, signal);
    return true;
  } catch {
    return false;
  }
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => signalGroup(signal));
}
server.on("exit", async (code, signal) => {
  // The group may outlive its leader for a moment while the server closes the database.
  for (let waited = 0; signalGroup(0); waited += 100) {
    if (waited === 30_000) signalGroup("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  use.forget();
  process.exit(code ?? (signal ? 1 : 0));
});
