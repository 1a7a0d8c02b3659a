import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, queryRows } from "@/db/client";
import { MIGRATIONS_FOLDER } from "@/db/migrate";
import { createCreditPool } from "@/db/queries/launch";
import { creditLedger, creditPool, organization, poolDayBalance } from "@/db/schema/index";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { LEDGER_ENTRY_TYPES, type LedgerEntryType } from "@/workflows/credits/ledger";
import { balanceDeltaSql, dailyBalances } from "./credits";

/**
 * The history as it was read before pool_day_balance: a sum per UTC day over the pool's whole
 * ledger, with the ledger's own SQL rule for what an entry moves. The reference the table must
 * give back.
 */
async function historyFromLedger(db: Database, workspaceId: string, poolId: string) {
  const rows = await queryRows<{ day: string; delta: number }>(
    db,
    sql`select to_char(date_trunc('day', at at time zone 'UTC'), 'YYYY-MM-DD') as day,
               sum(${balanceDeltaSql("l")})::int as delta
          from credit_ledger l
         where workspace_id = ${workspaceId} and pool_id = ${poolId}
         group by 1 order by 1`,
  );
  let balance = 0;
  return rows.map((row) => {
    balance += row.delta;
    return { day: row.day, balance };
  });
}

/** Every row of pool_day_balance, and what the ledger says each should hold. */
const storedDays = (db: Database) =>
  queryRows<{ pool_id: string; day: string; delta: number; entries: number }>(
    db,
    sql`select pool_id, to_char(day, 'YYYY-MM-DD') as day, delta, entries
          from pool_day_balance order by pool_id, day`,
  );
const ledgerDays = (db: Database) =>
  queryRows<{ pool_id: string; day: string; delta: number; entries: number }>(
    db,
    sql`select pool_id, to_char(date_trunc('day', at at time zone 'UTC'), 'YYYY-MM-DD') as day,
               sum(${balanceDeltaSql("l")})::int as delta, count(*)::int as entries
          from credit_ledger l group by 1, 2 order by 1, 2`,
  );

/** The migration's backfill: its last statement. */
const backfill = readFileSync(path.join(MIGRATIONS_FOLDER, "0025_pool_day_balance.sql"), "utf8")
  .split("--> statement-breakpoint")
  .at(-1)!;

// The Credits page's history reads one row per pool and UTC day, kept by the ledger's triggers;
// whatever writes or deletes ledger rows, it must read as the sum over the whole ledger did.
describe.each(BACKENDS)("each pool's balance per day, on %s", (backend) => {
  let database: TestDatabase;
  let ws: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    ws = await newWorkspace();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function newWorkspace() {
    const id = randomUUID();
    await database.db.insert(organization).values({ id, name: "Pools", slug: `pools-${id}` });
    return id;
  }

  const newPool = (workspaceId: string, openingBalance = 0) =>
    createCreditPool(database.db, workspaceId, {
      name: `Pool ${randomUUID().slice(0, 6)}`,
      plan: "recruiter_lite",
      renewalDay: 1,
      balance: openingBalance,
      at: new Date("2026-02-27T16:00:00Z"),
    });

  const entry = (poolId: string, type: LedgerEntryType, amount: number, at: string) => ({
    workspaceId: ws,
    poolId,
    type,
    amount,
    at: new Date(at),
  });

  /** The history read from the table is the one summed from the ledger, and the table is whole. */
  async function expectLedgerHistory(...poolIds: string[]) {
    for (const poolId of poolIds) {
      expect(await dailyBalances(database.db, ws, poolId)).toEqual(
        await historyFromLedger(database.db, ws, poolId),
      );
    }
    expect(await storedDays(database.db)).toEqual(await ledgerDays(database.db));
  }

  it("reads the ledger's history for every entry type over several days, one or many entries to a statement", async () => {
    const pool = await newPool(ws, 40);
    const other = await newPool(ws);
    const one = [
      entry(pool, "grant", 30, "2026-03-01T00:00:00Z"),
      entry(pool, "spend", 1, "2026-03-01T09:00:00Z"),
      entry(pool, "spend", 1, "2026-03-02T23:59:59.999Z"),
    ];
    for (const row of one) await database.db.insert(creditLedger).values(row);
    await expectLedgerHistory(pool);
    // One statement: several days of two pools, out of order, onto days that have rows already.
    const many = [
      entry(pool, "refund", 1, "2026-03-03T00:00:00Z"),
      entry(other, "grant", 30, "2026-03-05T08:00:00Z"),
      entry(pool, "spend", 2, "2026-03-03T10:00:00Z"),
      // A forfeit alone on its day: the day has a point, the balance stays.
      entry(pool, "forfeit", 7, "2026-03-04T00:00:00Z"),
      entry(pool, "purchase", 10, "2026-03-05T12:00:00Z"),
      entry(pool, "adjustment", -3, "2026-03-05T13:00:00Z"),
      entry(other, "spend", 4, "2026-03-05T09:00:00Z"),
      // A day whose entries net to nothing still has its point.
      entry(pool, "grant", 5, "2026-03-06T10:00:00Z"),
      entry(pool, "spend", 5, "2026-03-06T11:00:00Z"),
      entry(pool, "spend", 3, "2026-03-01T18:00:00Z"),
      entry(pool, "adjustment", 2, "2026-03-02T00:00:00Z"),
    ];
    await database.db.insert(creditLedger).values(many);
    // Every way an entry moves a balance is in the ledger, so the rule is checked for each.
    expect(new Set([...one, ...many].map((row) => row.type))).toEqual(new Set(LEDGER_ENTRY_TYPES));
    await expectLedgerHistory(pool, other);
    expect(await dailyBalances(database.db, ws, pool)).toEqual([
      { day: "2026-02-27", balance: 40 },
      { day: "2026-03-01", balance: 66 },
      { day: "2026-03-02", balance: 67 },
      { day: "2026-03-03", balance: 66 },
      { day: "2026-03-04", balance: 66 },
      { day: "2026-03-05", balance: 73 },
      { day: "2026-03-06", balance: 73 },
    ]);
    expect(await dailyBalances(database.db, ws, other)).toEqual([
      { day: "2026-03-05", balance: 26 },
    ]);
  });

  it("reads the ledger's history after ledger rows are deleted, and none once all are", async () => {
    const pool = await newPool(ws);
    const ids = await database.db
      .insert(creditLedger)
      .values([
        entry(pool, "grant", 30, "2026-03-10T00:00:00Z"),
        entry(pool, "spend", 1, "2026-03-10T09:00:00Z"),
        entry(pool, "spend", 2, "2026-03-11T09:00:00Z"),
        entry(pool, "forfeit", 5, "2026-03-12T09:00:00Z"),
        entry(pool, "refund", 1, "2026-03-13T09:00:00Z"),
        entry(pool, "spend", 1, "2026-03-13T10:00:00Z"),
      ])
      .returning({ id: creditLedger.id });
    const [, spend, spend2, forfeit, refund] = ids.map((row) => row.id);
    // One entry of a day that keeps another.
    await database.db.delete(creditLedger).where(eq(creditLedger.id, spend!));
    await expectLedgerHistory(pool);
    // In one statement: the only entries of two days, and one of a third.
    await database.db
      .delete(creditLedger)
      .where(sql`${creditLedger.id} in (${spend2}, ${forfeit}, ${refund})`);
    await expectLedgerHistory(pool);
    expect((await dailyBalances(database.db, ws, pool)).map((point) => point.day)).toEqual([
      "2026-03-10",
      "2026-03-13",
    ]);
    await database.db.delete(creditLedger).where(eq(creditLedger.poolId, pool));
    expect(await dailyBalances(database.db, ws, pool)).toEqual([]);
    await expectLedgerHistory(pool);
  });

  it("leaves no days behind a deleted pool or workspace", async () => {
    const pool = await newPool(ws, 20);
    await database.db
      .insert(creditLedger)
      .values([
        entry(pool, "spend", 1, "2026-03-20T09:00:00Z"),
        entry(pool, "grant", 30, "2026-03-21T00:00:00Z"),
      ]);
    await database.db.delete(creditPool).where(eq(creditPool.id, pool));
    expect(
      await database.db.select().from(poolDayBalance).where(eq(poolDayBalance.poolId, pool)),
    ).toEqual([]);

    const gone = await newWorkspace();
    const itsPool = await newPool(gone, 10);
    await database.db.insert(creditLedger).values({
      workspaceId: gone,
      poolId: itsPool,
      type: "spend",
      amount: 1,
      at: new Date("2026-03-22T09:00:00Z"),
    });
    await database.db.delete(organization).where(eq(organization.id, gone));
    expect(
      await database.db.select().from(poolDayBalance).where(eq(poolDayBalance.workspaceId, gone)),
    ).toEqual([]);
    await expectLedgerHistory();
  });

  it("backfills from an existing ledger the rows the triggers keep", async () => {
    const pool = await newPool(ws, 15);
    await database.db
      .insert(creditLedger)
      .values([
        entry(pool, "spend", 1, "2026-04-01T09:00:00Z"),
        entry(pool, "forfeit", 3, "2026-04-02T00:00:00Z"),
      ]);
    const kept = await storedDays(database.db);
    expect(kept.length).toBeGreaterThan(0);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`delete from pool_day_balance`);
      await tx.execute(sql.raw(backfill));
    });
    expect(await storedDays(database.db)).toEqual(kept);
    await expectLedgerHistory(pool);
  });

  // PGlite has one connection: writers there never run at once.
  if (backend === "postgres")
    it("keeps every day right when writers to the same pools run at once", async () => {
      const pools = [await newPool(ws), await newPool(ws)];
      const days = ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"];
      // Each writer: one statement over its own mix of the pools' days, in its own order, held
      // open a moment so the others queue behind its rows.
      let seed = 7;
      const next = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        return seed / 2_147_483_648;
      };
      const writers = Array.from({ length: 8 }, () =>
        pools
          .flatMap((pool) => days.map((day) => ({ pool, day })))
          .filter(() => next() < 0.7)
          .sort(() => next() - 0.5)
          .map(({ pool, day }) =>
            entry(pool, next() < 0.5 ? "grant" : "spend", 1, `${day}T12:00:00Z`),
          ),
      ).filter((rows) => rows.length > 0);
      await Promise.all(
        writers.map((rows) =>
          database.db.transaction(async (tx) => {
            await tx.insert(creditLedger).values(rows);
            await tx.execute(sql`select pg_sleep(0.05)`);
          }),
        ),
      );
      await expectLedgerHistory(...pools);
    });
});
