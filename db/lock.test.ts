import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, queryRows } from "./client";
import { DataDirectoryInUseError } from "./lock";

const OPENER = path.resolve("test/open-database.ts");
// One process (no tsx wrapper), so that killing it really kills the holder.
const NODE_ARGS = ["--import", "tsx", OPENER];

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

describe("PGlite data directory lock", () => {
  it("refuses a second process with a message naming the directory and the holder, and the directory stays usable", async () => {
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
  });

  it("refuses a second open in the same process", async () => {
    const dataDir = freshDir();
    const handle = await openDatabase({ kind: "pglite", dataDir });
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toBeInstanceOf(
      DataDirectoryInUseError,
    );
    await handle.close();
  });

  it("refuses while a renamed holder lives, and takes over once it was killed", async () => {
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
  });

  it("treats an unreadable lock file as stale rather than failing forever", async () => {
    const dataDir = freshDir();
    writeFileSync(`${dataDir}.lock`, "not json");
    const handle = await openDatabase({ kind: "pglite", dataDir });
    await handle.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
