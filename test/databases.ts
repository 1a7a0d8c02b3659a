import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { applyMigrations } from "@/db/migrate";

export type Backend = "pglite" | "postgres";

/** The engines the integration suites run on: PGlite always, PostgreSQL when configured. */
export const BACKENDS: Backend[] = process.env.TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

export interface TestDatabase extends DatabaseHandle {
  /** Closes the database and deletes everything it created. */
  destroy(): Promise<void>;
  /** PostgreSQL only: the throwaway database's URL, for other processes to connect. */
  url?: string;
  /** Runs the migrator again, as a second process starting on the same database would. */
  reapplyMigrations(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh, migrated database of the given kind: a PGlite directory of its own, or a new
 * PostgreSQL database created beside TEST_DATABASE_URL's and dropped afterwards.
 */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    const root = mkdtempSync(path.join(tmpdir(), "outflow-test-"));
    const handle = await openDatabase({ kind: "pglite", dataDir: path.join(root, "pglite") });
    return {
      ...handle,
      destroy: async () => {
        await handle.close();
        rmSync(root, { recursive: true, force: true });
      },
      reapplyMigrations: () => applyMigrations({ kind: "pglite", db: handle.db }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `outflow_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const handle = await openDatabase({ kind: "postgres", url });
  return {
    ...handle,
    url,
    reapplyMigrations: async () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      try {
        await applyMigrations({ kind: "postgres", pool });
      } finally {
        await pool.end();
      }
    },
    destroy: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** Makes `handle` the process-wide database that getDb() and getAuth() return. */
export function installProcessDatabase(handle: DatabaseHandle): void {
  const globals = globalThis as unknown as {
    outflowDatabase?: Promise<DatabaseHandle>;
    outflowAuth?: unknown;
  };
  globals.outflowDatabase = Promise.resolve(handle);
  globals.outflowAuth = undefined;
}
