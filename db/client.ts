import "server-only";

import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { lockDataDirectory } from "./lock";
import { applyMigrations } from "./migrate";
import * as schema from "./schema/index";

export type Schema = typeof schema;
/** The one database type the app codes against, whichever engine is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** What `db.transaction` hands its callback. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

export type DatabaseConfig =
  | { kind: "pglite"; dataDir: string }
  | { kind: "pglite-memory" }
  | { kind: "postgres"; url: string; poolSize?: number };

export interface DatabaseHandle {
  kind: DatabaseConfig["kind"];
  db: Database;
  /** Where the data lives, for messages: a directory, "memory", or the URL without password. */
  location: string;
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = "./.data/pglite";

/**
 * The embedded database's directory (OUTFLOW_DATA_DIR). It is chosen when the server runs, and
 * holds data, not code: the ignore comment stops the bundler from tracing a path it cannot
 * know, which would ship the whole project with the server.
 */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ env.OUTFLOW_DATA_DIR || DEFAULT_DATA_DIR);
}

/** Reads the database choice from the environment: PostgreSQL when DATABASE_URL is set. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL };
  return { kind: "pglite", dataDir: dataDirFromEnv(env) };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres";
  }
}

/** Opens a database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 });
    // An idle connection dropped by the server (a restart, a dropped database) must not take
    // the process down: the pool replaces it on next use.
    pool.on("error", (error) =>
      console.warn(`[outflow] database connection lost: ${error.message}`),
    );
    const db = drizzlePg(pool, { schema }) as unknown as Database;
    try {
      await applyMigrations({ kind: "postgres", pool });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return { kind: "postgres", db, location: redactUrl(config.url), close: () => pool.end() };
  }

  if (config.kind === "pglite-memory") {
    const client = await PGlite.create();
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    await applyMigrations({ kind: "pglite", db });
    return { kind: "pglite-memory", db, location: "memory", close: () => client.close() };
  }

  const dataDir = path.resolve(config.dataDir);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  // Taken before PGlite touches the directory: a second opener would corrupt it for good.
  const release = lockDataDirectory(dataDir);
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir });
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    await applyMigrations({ kind: "pglite", db });
    return {
      kind: "pglite",
      db,
      location: dataDir,
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

// One handle per process, kept on globalThis because Next.js may load this module more than
// once (instrumentation, route handlers and server actions live in separate bundles).
const globalForDb = globalThis as unknown as { outflowDatabase?: Promise<DatabaseHandle> };

/** The process-wide database, opened on first use from the environment. */
export function getDatabaseHandle(): Promise<DatabaseHandle> {
  if (!globalForDb.outflowDatabase) {
    globalForDb.outflowDatabase = openDatabase(configFromEnv());
    globalForDb.outflowDatabase.catch(() => {
      globalForDb.outflowDatabase = undefined;
    });
  }
  return globalForDb.outflowDatabase;
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

/**
 * Runs raw SQL and returns its rows. Both drivers answer `{rows}`; the shared database type
 * cannot say so, hence the one cast here rather than at every call.
 */
export async function queryRows<Row>(db: Pick<Database, "execute">, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

const dialect = new PgDialect();

/**
 * queryRows for a statement run on every request whose parsing and planning cost as much as
 * running it: on PostgreSQL a named prepared statement (named by its text), so each connection
 * parses it once and, after a few runs, plans it once (PostgreSQL keeps the generic plan when it
 * costs no more than the plans for the values given). Only for a statement whose best plan does
 * not depend on its values: ids read through indexes, not filters of unknown selectivity. Limits
 * belong in its text as literals (a parameter leaves the generic plan guessing the row count).
 * PGlite has no named statements: there it is queryRows.
 */
export async function queryRowsPrepared<Row>(db: Database, query: SQL): Promise<Row[]> {
  const built = dialect.sqlToQuery(query);
  const result = await db._.session
    .prepareQuery(built, undefined, statementName(built.sql), false)
    .execute();
  return (result as unknown as { rows: Row[] }).rows;
}

const statementName = (text: string) =>
  `outflow_${createHash("sha1").update(text).digest("base64url")}`;

/**
 * queryRowsPrepared for a statement whose text is built once: `build` writes it with
 * `sql.placeholder(name)` where its values go, and each run fills them from `values`. For a
 * statement on the path of every request, whose building (drizzle's walk over a long text, the
 * hash that names it) costs as much as the database's work.
 */
export function preparedOnce<Row>(build: () => SQL) {
  let built: { sql: string; params: unknown[] } | undefined;
  let name = "";
  return async (db: Database, values: Record<string, unknown>): Promise<Row[]> => {
    if (!built) {
      built = dialect.sqlToQuery(build());
      name = statementName(built.sql);
    }
    const result = await db._.session.prepareQuery(built, undefined, name, false).execute(values);
    return (result as unknown as { rows: Row[] }).rows;
  };
}

/** A value as one jsonb parameter (rows for `jsonb_to_recordset`, lists, documents). */
export const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** `in (…)` over a list passed as one JSON parameter (drizzle would spread an array). */
export const inList = (values: Iterable<string>) =>
  sql`(select jsonb_array_elements_text(${json([...values])}))`;
