import "server-only";

import path from "node:path";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type pg from "pg";

/** The committed migrations: the project folder's, or where `outflow` says they are. */
export const MIGRATIONS_FOLDER =
  process.env.OUTFLOW_MIGRATIONS_DIR ?? path.resolve(process.cwd(), "db/migrations");

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_413_021;

/**
 * Applies the committed drizzle-kit migrations. On PostgreSQL several app servers and workers
 * may start at once, so they take turns under an advisory lock.
 */
export async function applyMigrations(
  target:
    | { kind: "pglite"; db: PgDatabase<PgQueryResultHKT, Record<string, unknown>> }
    | { kind: "postgres"; pool: pg.Pool },
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<void> {
  if (target.kind === "pglite") {
    await migratePglite(target.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  const client = await target.pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
