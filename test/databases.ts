import { createHash, randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "@/db/client";
import { applyMigrations, MIGRATIONS_FOLDER } from "@/db/migrate";

export type Backend = "pglite" | "postgres";

/**
 * The engines an integration suite runs on: PGlite always and PostgreSQL when configured, or
 * as TEST_BACKENDS says: a list (`pglite,postgres`), or `one` for PostgreSQL when configured and
 * PGlite otherwise (what vitest.config.ts gives the suites of server/).
 */
export const BACKENDS: Backend[] = backendsFrom(
  process.env.TEST_BACKENDS,
  Boolean(process.env.TEST_DATABASE_URL),
);

/**
 * The one engine a long run goes on: PostgreSQL when it is among BACKENDS (a server process of
 * its own, where the same campaign runs two to three times faster than on PGlite inside the
 * test's process), PGlite otherwise. For suites that check what the engine does over weeks
 * rather than how the two databases differ (the short suites run on both).
 */
export const LONG_RUN_BACKEND: Backend = BACKENDS.includes("postgres") ? "postgres" : BACKENDS[0]!;

function backendsFrom(setting: string | undefined, postgres: boolean): Backend[] {
  if (setting === "one") return postgres ? ["postgres"] : ["pglite"];
  if (setting) {
    const named = setting.split(",").map((name) => name.trim());
    for (const name of named) {
      if (name !== "pglite" && name !== "postgres")
        throw new Error(`TEST_BACKENDS: unknown engine "${name}" (pglite, postgres or one)`);
    }
    if (named.includes("postgres") && !postgres)
      throw new Error("TEST_BACKENDS names postgres but TEST_DATABASE_URL is not set");
    return named as Backend[];
  }
  return postgres ? ["pglite", "postgres"] : ["pglite"];
}

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
 * What a migrated database depends on: the committed migrations and, for PGlite, its version.
 * Templates are named by it, so a changed migration never serves an old template.
 */
function migrationsHash(): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(MIGRATIONS_FOLDER).sort()) {
    if (name.endsWith(".sql"))
      hash.update(name).update(readFileSync(path.join(MIGRATIONS_FOLDER, name)));
  }
  hash.update(readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json")));
  const pglite = JSON.parse(
    readFileSync(path.resolve("node_modules/@electric-sql/pglite/package.json"), "utf8"),
  ) as { version: string };
  hash.update(pglite.version);
  return hash.digest("hex").slice(0, 12);
}

let pgliteTemplate: Promise<string> | null = null;

/**
 * A migrated PGlite directory to copy: creating and migrating one costs seconds (PGlite runs
 * initdb, then every migration), copying a closed one a fraction of that. Built once under
 * .test-data/templates (by whichever test process comes first: it is built aside and renamed
 * into place, so nobody copies a half-built one) and kept for later runs.
 */
function pgliteTemplateDir(): Promise<string> {
  pgliteTemplate ??= (async () => {
    const root = path.resolve(".test-data/templates");
    const dir = path.join(root, `pglite-${migrationsHash()}`);
    if (existsSync(dir)) return dir;
    mkdirSync(root, { recursive: true });
    const building = mkdtempSync(path.join(root, "building-"));
    const handle = await openDatabase({ kind: "pglite", dataDir: path.join(building, "pglite") });
    await handle.close();
    try {
      renameSync(path.join(building, "pglite"), dir);
    } catch (error) {
      // Another process renamed its own into place first: the same template.
      if (!existsSync(dir)) throw error;
    }
    rmSync(building, { recursive: true, force: true });
    return dir;
  })();
  pgliteTemplate.catch(() => {
    pgliteTemplate = null;
  });
  return pgliteTemplate;
}

let postgresTemplate: Promise<string> | null = null;

/**
 * A migrated PostgreSQL database that test databases are created from
 * (`CREATE DATABASE … TEMPLATE`, a file copy on the server) instead of running every
 * migration again. Built once per migrations hash, under an advisory lock so concurrent test
 * processes wait for the first, aside and renamed into place so a build cut short is never used.
 */
function postgresTemplateName(adminUrl: string): Promise<string> {
  postgresTemplate ??= (async () => {
    const name = `outflow_template_${migrationsHash()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query("select pg_advisory_lock(7413022)");
      const found = await admin.query("select 1 from pg_database where datname = $1", [name]);
      if (found.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`drop database if exists ${building} with (force)`);
        await admin.query(`create database ${building}`);
        const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, building), max: 1 });
        try {
          await applyMigrations({ kind: "postgres", pool });
        } finally {
          await pool.end();
        }
        await admin.query(`alter database ${building} rename to ${name}`);
      }
      await admin.query("select pg_advisory_unlock(7413022)");
    } finally {
      await admin.end();
    }
    return name;
  })();
  postgresTemplate.catch(() => {
    postgresTemplate = null;
  });
  return postgresTemplate;
}

/**
 * A fresh, migrated database of the given kind: a PGlite directory of its own, or a new
 * PostgreSQL database created beside TEST_DATABASE_URL's and dropped afterwards. Both start as
 * a copy of a migrated template; opening them checks the migrations as the app does.
 */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    const template = await pgliteTemplateDir();
    const root = mkdtempSync(path.join(tmpdir(), "outflow-test-"));
    cpSync(template, path.join(root, "pglite"), { recursive: true });
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
  const template = await postgresTemplateName(adminUrl);
  const name = `outflow_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  // A commit need not wait for the disk here: the tests kill workers, never the server, and
  // what a live server committed is visible to every session all the same.
  await admin.query(`alter database ${name} set synchronous_commit = off`);
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
