import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, queryRows } from "./client";
import {
  currentBootId,
  DataDirectoryInUseError,
  lockDataDirectory,
  processStartTime,
} from "./lock";

const OPENER = path.resolve("test/open-database.ts");
// One process (no tsx wrapper), so that killing it really kills the holder.
const NODE_ARGS = ["--conditions=react-server", "--import", "tsx", OPENER];

function openInChild(dataDir: string) {
  return spawnSync(process.execPath, [...NODE_ARGS, dataDir], {
    encoding: "utf8",
    timeout: 60_000,
  });
}

const roots: string[] = [];
function freshDir(): string {
  const root = mkdtempSync(path.join(tmpdir(), "outflow-lock-"));
  roots.push(root);
  return path.join(root, "pglite");
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

// Opening PGlite (in this process and in children) takes seconds, more on a busy machine.
const PGLITE_TIMEOUT = 180_000;

describe("PGlite data directory lock", () => {
  it(
    "refuses a second process with a message naming the directory and the holder, and the directory stays usable",
    async () => {
      const dataDir = freshDir();
      const handle = await openDatabase({ kind: "pglite", dataDir });
      await handle.db.execute(sql`create table probe (value text)`);
      await handle.db.execute(sql`insert into probe values ('before')`);

      const second = openInChild(dataDir);
      expect(second.status).toBe(3);
      expect(second.stderr).toContain(dataDir);
      expect(second.stderr).toContain(`process ${process.pid}`);
      expect(second.stdout).not.toContain("opened");

      // The holder carries on as if nothing happened, and the data survives a reopen.
      await handle.db.execute(sql`insert into probe values ('after')`);
      await handle.close();
      const reopened = await openDatabase({ kind: "pglite", dataDir });
      const rows = await queryRows(reopened.db, sql`select value from probe order by value`);
      expect(rows).toEqual([{ value: "after" }, { value: "before" }]);
      await reopened.close();
    },
    PGLITE_TIMEOUT,
  );

  it(
    "refuses a second open in the same process",
    async () => {
      const dataDir = freshDir();
      const handle = await openDatabase({ kind: "pglite", dataDir });
      await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toBeInstanceOf(
        DataDirectoryInUseError,
      );
      await handle.close();
    },
    PGLITE_TIMEOUT,
  );

  it(
    "refuses while a renamed holder lives, and takes over once it was killed",
    async () => {
      const dataDir = freshDir();
      const child = spawn(process.execPath, [...NODE_ARGS, dataDir, "hold"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("opened")) resolve();
        });
        child.on("exit", (code) => reject(new Error(`holder exited early with ${code}`)));
      });
      expect(existsSync(`${dataDir}.lock`)).toBe(true);
      // While it lives, nobody else gets in, whatever the holder's process is called.
      await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toBeInstanceOf(
        DataDirectoryInUseError,
      );
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));

      const handle = await openDatabase({ kind: "pglite", dataDir });
      const rows = await queryRows(handle.db, sql`select 1 as one`);
      expect(rows).toEqual([{ one: 1 }]);
      await handle.close();
    },
    PGLITE_TIMEOUT,
  );

  it(
    "treats an unreadable lock file as stale rather than failing forever",
    async () => {
      const dataDir = freshDir();
      writeFileSync(`${dataDir}.lock`, "not json");
      const handle = await openDatabase({ kind: "pglite", dataDir });
      await handle.close();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    },
    PGLITE_TIMEOUT,
  );

  describe("a lock whose pid was reused", () => {
    // A process alive for the whole test, standing in for whatever got the old holder's pid.
    let sleeper: ReturnType<typeof spawn> | undefined;
    afterEach(() => {
      sleeper?.kill("SIGKILL");
      sleeper = undefined;
    });
    const startSleeper = () => {
      sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
      return sleeper.pid as number;
    };
    const writeLock = (dataDir: string, fields: Record<string, unknown>) =>
      writeFileSync(
        `${dataDir}.lock`,
        JSON.stringify({
          host: hostname(),
          startedAt: "2026-01-01T00:00:00.000Z",
          command: "crashed server",
          bootId: currentBootId(),
          token: "old-holder",
          ...fields,
        }),
      );

    it("records the holder's start time, the boot id and a random token", async () => {
      const dataDir = freshDir();
      const release = lockDataDirectory(dataDir);
      const lock = JSON.parse(readFileSync(`${dataDir}.lock`, "utf8"));
      expect(lock.pid).toBe(process.pid);
      expect(lock.processStart).toBe(processStartTime(process.pid));
      expect(lock.processStart).toMatch(/^\d+$/);
      expect(lock.bootId).toBe(currentBootId());
      expect(lock.token).toMatch(/^[0-9a-f]{32}$/);
      release();
      expect(existsSync(`${dataDir}.lock`)).toBe(false);
    });

    it("takes over a lock whose pid now belongs to a process started later", async () => {
      const dataDir = freshDir();
      const pid = startSleeper();
      // The crashed holder started at tick 1, long before the live process with its pid.
      writeLock(dataDir, { pid, processStart: "1" });
      const release = lockDataDirectory(dataDir);
      expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(process.pid);
      release();
    });

    it("takes over a lock left with this very pid by the process that crashed before it", async () => {
      // A container restarted after a crash: the app runs again as the same pid.
      const dataDir = freshDir();
      writeLock(dataDir, { pid: process.pid, processStart: "1" });
      lockDataDirectory(dataDir)();
    });

    it("takes over a lock taken before the last reboot, whatever its pid", async () => {
      const dataDir = freshDir();
      const pid = startSleeper();
      await new Promise((resolve) => setTimeout(resolve, 50));
      writeLock(dataDir, {
        pid,
        processStart: processStartTime(pid),
        bootId: "00000000-0000-0000-0000-000000000000",
      });
      lockDataDirectory(dataDir)();
    });

    it("refuses while the recorded process itself still runs, and when the holder is on another host", async () => {
      const dataDir = freshDir();
      const pid = startSleeper();
      await new Promise((resolve) => setTimeout(resolve, 50));
      writeLock(dataDir, { pid, processStart: processStartTime(pid) });
      expect(() => lockDataDirectory(dataDir)).toThrow(DataDirectoryInUseError);
      writeLock(dataDir, { pid: 999_999, processStart: "1", host: "another-machine" });
      expect(() => lockDataDirectory(dataDir)).toThrow(DataDirectoryInUseError);
      expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).token).toBe("old-holder");
    });

    it("releases only its own lock, not one that took it over meanwhile", () => {
      const dataDir = freshDir();
      const release = lockDataDirectory(dataDir);
      writeLock(dataDir, { pid: process.pid, processStart: processStartTime(process.pid) });
      release();
      expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).token).toBe("old-holder");
    });
  });
});
