import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  BUILDS_DIR,
  currentBuild,
  markInUse,
  processRecord,
  removeUnusedBuilds,
  setCurrentBuild,
  sourceHash,
} from "./builds.mjs";

const roots: string[] = [];
function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), "outflow-builds-"));
  roots.push(root);
  mkdirSync(path.join(root, "app"), { recursive: true });
  writeFileSync(path.join(root, "app", "page.tsx"), "export default function Page() {}");
  writeFileSync(path.join(root, "package-lock.json"), "{}");
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A finished build directory, old enough not to be taken for one still being made. */
function fakeBuild(root: string, name: string): string {
  const dir = path.join(BUILDS_DIR, name);
  mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, dir, "BUILD_ID"), name);
  const old = new Date(Date.now() - 3_600_000);
  utimesSync(path.join(root, dir), old, old);
  return dir;
}

describe("npm start's builds", () => {
  it("rebuild when a source, the lockfile or a public setting changes, not for a test", () => {
    const root = project();
    const first = sourceHash(root, {});
    expect(sourceHash(root, {})).toBe(first);
    writeFileSync(path.join(root, "app", "page.test.ts"), "test");
    expect(sourceHash(root, {})).toBe(first);
    expect(sourceHash(root, { NEXT_PUBLIC_X: "1" })).not.toBe(first);
    writeFileSync(path.join(root, "package-lock.json"), '{"v":2}');
    const second = sourceHash(root, {});
    expect(second).not.toBe(first);
    writeFileSync(path.join(root, "app", "page.tsx"), "export default function Page() { }");
    expect(sourceHash(root, {})).not.toBe(second);
  });

  it("keep the current build and any a live server uses, and remove the others", () => {
    const root = project();
    const current = fakeBuild(root, "current");
    const served = fakeBuild(root, "served");
    const abandoned = fakeBuild(root, "abandoned");
    setCurrentBuild({ dir: current, hash: "h", builtAt: "now" }, root);
    expect(currentBuild(root)?.dir).toBe(current);
    markInUse(served, [processRecord(process.pid)], root);
    // A server that died: its pid is gone.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    markInUse(abandoned, [processRecord(dead)], root);
    expect(removeUnusedBuilds(root)).toEqual([abandoned]);
    expect(existsSync(path.join(root, served))).toBe(true);
    expect(existsSync(path.join(root, current))).toBe(true);
    expect(existsSync(path.join(root, abandoned))).toBe(false);
  });

  it("treat a recorded pid now used by another process as dead", () => {
    const root = project();
    const reused = fakeBuild(root, "reused");
    markInUse(reused, [{ pid: process.pid, start: "1" }], root);
    expect(removeUnusedBuilds(root)).toEqual([reused]);
  });
});
