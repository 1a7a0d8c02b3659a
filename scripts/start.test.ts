// A second `npm start` against a running instance must leave it serving every page: it stops
// at the data directory's lock before building, and builds never go into a running server's
// directory. Runs after the production build in `npm test` (its own vitest config): the first
// start builds only if the sources changed since the last `npm start`.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUILDS_DIR, currentBuild } from "./builds.mjs";

const PORT = Number(process.env.START_TEST_PORT ?? 3190);
const BASE = `http://localhost:${PORT}`;
mkdirSync(".test-data", { recursive: true });
const dataRoot = mkdtempSync(path.resolve(".test-data", "start-"));
const dataDir = path.join(dataRoot, "pglite");
const children: ChildProcess[] = [];

function startApp() {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, PORT: String(PORT), OUTFLOW_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => output, exited };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every page of the build, with its status and whether its scripts load. */
async function servePages(pages: string[]) {
  const seen: Record<string, string> = {};
  for (const page of pages) {
    const response = await fetch(`${BASE}${page}`, { redirect: "manual" });
    const html = await response.text();
    const scripts = [...html.matchAll(/src="(\/_next\/static\/[^"]+\.js)"/g)].map((m) => m[1]);
    const loads = await Promise.all(
      scripts.slice(0, 3).map(async (src) => (await fetch(`${BASE}${src}`)).status),
    );
    seen[page] = `${response.status} scripts ${loads.join(",")}`;
  }
  return seen;
}

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
  rmSync(dataRoot, { recursive: true, force: true });
});

describe("a second npm start against a running instance", () => {
  it("stops before building and leaves the first serving every page", async () => {
    const first = startApp();
    const began = Date.now();
    await until(async () => {
      if (first.child.exitCode !== null) throw new Error(`first start exited: ${first.output()}`);
      return (await fetch(`${BASE}/sign-in`)).status === 200 ? true : undefined;
    }, 900_000);
    console.log(`first start answered after ${((Date.now() - began) / 1000).toFixed(1)} s`);
    const build = currentBuild();
    expect(build).not.toBeNull();
    const routes = JSON.parse(
      readFileSync(path.join(build!.dir, "app-path-routes-manifest.json"), "utf8"),
    ) as Record<string, string>;
    const pages = [...new Set(Object.values(routes))].filter(
      (page) => !page.startsWith("/api") && !page.includes("[") && !page.includes("."),
    );
    expect(pages).toContain("/sign-in");
    const before = await servePages(pages);
    for (const state of Object.values(before))
      expect(state).toMatch(/^(200|307) scripts (200,?)*$/);
    const buildsBefore = readdirSync(BUILDS_DIR).sort();

    const second = startApp();
    const code = await Promise.race([
      second.exited,
      new Promise((_, reject) => setTimeout(() => reject(new Error("still running")), 30_000)),
    ]);
    expect(code).toBe(1);
    expect(second.output()).toContain("is in use by process");
    expect(second.output()).not.toContain("building");
    expect(readdirSync(BUILDS_DIR).sort()).toEqual(buildsBefore);
    expect(currentBuild()).toEqual(build);

    expect(await servePages(pages)).toEqual(before);
    expect(first.child.exitCode).toBeNull();
  }, 1_000_000);
});
