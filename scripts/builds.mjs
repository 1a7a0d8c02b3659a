// The app's builds for `npm start`: each in a directory of its own under .next-builds, named
// after a hash of what it was built from, so a build is made only when the sources changed and
// never into a directory a running server reads. current.json names the build to serve.
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";

export const BUILDS_DIR = ".next-builds";

/** What a build is made from: the app's sources, configuration and locked dependencies. */
const SOURCE_ROOTS = ["app", "components", "db", "server", "workflows", "lib", "public"];
const SOURCE_FILES = [
  "instrumentation.ts",
  "proxy.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
/** Never part of a build: tests and generated migrations' snapshots. */
const SKIPPED = /\.test\.tsx?$|(^|\/)db\/migrations\/meta\//;

function listFiles(root, into) {
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) listFiles(full, into);
    else if (entry.isFile() && !SKIPPED.test(full)) into.push(full);
  }
}

/**
 * The hash of everything a build depends on: every source file's path and content, the
 * configuration, the lockfile, the Node version and the NEXT_PUBLIC_ settings inlined into it.
 * tsconfig.json counts without the lines `next build` adds for its own build directory.
 */
export function sourceHash(cwd = process.cwd(), env = process.env) {
  const files = [];
  for (const root of SOURCE_ROOTS) listFiles(path.join(cwd, root), files);
  for (const file of SOURCE_FILES)
    if (existsSync(path.join(cwd, file))) files.push(path.join(cwd, file));
  files.sort();
  const hash = createHash("sha256");
  hash.update(`node ${process.versions.node}\n`);
  for (const [key, value] of Object.entries(env).sort()) {
    if (key.startsWith("NEXT_PUBLIC_")) hash.update(`${key}=${value}\n`);
  }
  for (const file of files) {
    hash.update(`${path.relative(cwd, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest("hex");
}

/** The build to serve, if one was finished: `{ dir, hash, builtAt }` (dir relative to cwd). */
export function currentBuild(cwd = process.cwd()) {
  try {
    const current = JSON.parse(readFileSync(path.join(cwd, BUILDS_DIR, "current.json"), "utf8"));
    if (typeof current?.dir !== "string" || typeof current?.hash !== "string") return null;
    if (!existsSync(path.join(cwd, current.dir, "BUILD_ID"))) return null;
    return current;
  } catch {
    return null;
  }
}

/** Names a finished build as the one to serve, in one rename: readers see the old or the new. */
export function setCurrentBuild(build, cwd = process.cwd()) {
  const file = path.join(cwd, BUILDS_DIR, "current.json");
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, JSON.stringify(build, null, 2));
  renameSync(draft, file);
}

/** A fresh directory name for a build of `hash`. */
export function newBuildDir(hash) {
  return path.join(
    BUILDS_DIR,
    `${hash.slice(0, 12)}-${Date.now()}-${randomBytes(3).toString("hex")}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Which builds are in use

function processStart(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** The process as recorded: a later process with the same pid does not match it. */
export function processRecord(pid) {
  return { pid, start: processStart(pid) };
}

function recordAlive(record) {
  if (!isAlive(record.pid)) return false;
  const start = processStart(record.pid);
  return record.start === null || start === null || start === record.start;
}

const usersDir = (cwd) => path.join(cwd, BUILDS_DIR, "in-use");

/**
 * Records that `processes` use (or are making) the build in `dir`; returns the function that
 * forgets it. A build with a live user is never deleted.
 */
export function markInUse(dir, processes, cwd = process.cwd()) {
  mkdirSync(usersDir(cwd), { recursive: true });
  const file = path.join(usersDir(cwd), `${process.pid}-${randomBytes(4).toString("hex")}.json`);
  const write = (records) => writeFileSync(file, JSON.stringify({ dir, processes: records }));
  write(processes);
  return {
    update: (records) => write(records),
    forget: () => {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    },
  };
}

/** Deletes the builds that are neither current nor used by a live process. */
export function removeUnusedBuilds(cwd = process.cwd()) {
  const root = path.join(cwd, BUILDS_DIR);
  if (!existsSync(root)) return [];
  const keep = new Set();
  const current = currentBuild(cwd);
  if (current) keep.add(path.normalize(current.dir));
  if (existsSync(usersDir(cwd))) {
    for (const name of readdirSync(usersDir(cwd))) {
      const file = path.join(usersDir(cwd), name);
      try {
        const use = JSON.parse(readFileSync(file, "utf8"));
        if (use.processes.some(recordAlive)) keep.add(path.normalize(use.dir));
        else unlinkSync(file);
      } catch {
        // a record being written: keep everything this time
        return [];
      }
    }
  }
  const removed = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === "in-use") continue;
    const dir = path.join(BUILDS_DIR, entry.name);
    if (keep.has(path.normalize(dir))) continue;
    // A build younger than a minute may be one whose maker has not recorded itself yet.
    if (Date.now() - statSync(path.join(cwd, dir)).mtimeMs < 60_000) continue;
    rmSync(path.join(cwd, dir), { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
