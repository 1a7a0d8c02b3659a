import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/databases";
import { readClockFile, startEngineRuntime, writeClockFile } from "./engine-runtime";

const roots: string[] = [];
function freshDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), "outflow-clock-"));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("the demo clock file", () => {
  it("is written whole, through a file beside it, and read back", () => {
    const dir = freshDir();
    const file = path.join(dir, "clock.json");
    const at = new Date("2030-05-06T07:08:09.000Z");
    writeClockFile(file, at);
    writeClockFile(file, new Date(at.getTime() + 1000));
    expect(readdirSync(dir)).toEqual(["clock.json"]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      virtualNow: "2030-05-06T07:08:10.000Z",
    });
    expect(readClockFile(file)).toEqual(new Date("2030-05-06T07:08:10.000Z"));
  });

  it("reads a truncated, empty, or nonsense file as no reading, and says so", () => {
    const dir = freshDir();
    const file = path.join(dir, "clock.json");
    const said: string[] = [];
    for (const text of ['{"virtualNow":"2030-05-0', "", '{"virtualNow":"not a date"}', "null"]) {
      writeFileSync(file, text);
      expect(readClockFile(file, (message) => said.push(message))).toBeNull();
    }
    expect(said).toHaveLength(4);
    expect(readClockFile(path.join(dir, "missing.json"))).toBeNull();
  });

  it("lets the engine start and keep time after a crash cut the file short", async () => {
    const dir = freshDir();
    const file = path.join(dir, "clock.json");
    writeFileSync(file, '{"virtualNow":"2030-0');
    const handle = await createTestDatabase("pglite");
    const log: string[] = [];
    const before = Date.now();
    const runtime = startEngineRuntime(handle, {
      timeScale: 600,
      clockFile: file,
      pollMs: 10,
      log: (message) => log.push(message),
    });
    try {
      expect(runtime.clock.now().getTime()).toBeGreaterThanOrEqual(before);
      expect(log.some((message) => message.includes("could not be read"))).toBe(true);
      // The first tick saves a whole reading over the broken one.
      await expect
        .poll(() => readClockFile(file)?.getTime() ?? 0, { timeout: 60_000 })
        .toBeGreaterThanOrEqual(before);
    } finally {
      await runtime.stop();
      await handle.destroy();
    }
  }, 120_000);
});
