import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { queryRows } from "../client";
import { campaignCounters } from "../queries/dashboard";
import { campaignCounter } from "../schema/index";
import { COMPACTED_SHARD, compactCampaignCounters } from "./counters";

const WORKSPACE = "ws-counters";

function rows(campaignId: string, shards: Record<number, Record<string, number>>) {
  return Object.entries(shards).flatMap(([shard, figures]) =>
    Object.entries(figures).map(([key, n]) => ({
      workspaceId: WORKSPACE,
      campaignId,
      metric: "at",
      key,
      shard: Number(shard),
      n,
    })),
  );
}

async function figures(database: TestDatabase, campaignId: string) {
  const read = await campaignCounters(database.db, WORKSPACE, [campaignId]);
  return Object.fromEntries(read.map((row) => [row.key, row.n]));
}

async function shardsOf(database: TestDatabase, campaignId: string) {
  const read = await queryRows<{ shard: number; key: string; n: string }>(
    database.db,
    sql`select shard, key, n::text as n from campaign_counter
      where campaign_id = ${campaignId} order by key, shard`,
  );
  return read.map((row) => `${row.key}@${row.shard}=${row.n}`);
}

describe.each(BACKENDS)("compacting the dashboard counters on %s", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("folds every connection's shard into one row per figure and keeps the sums", async () => {
    const campaignId = `c-fold-${backend}`;
    await database.db.insert(campaignCounter).values(
      rows(campaignId, {
        [COMPACTED_SHARD]: { "visit\u001fwaiting": 3 },
        4101: { "visit\u001fwaiting": 5, "connect\u001fwaiting": 2, "end\u001fdone": 1 },
        4102: { "visit\u001fwaiting": -4, "connect\u001fwaiting": -2 },
        4103: { "end\u001fdone": 6 },
      }),
    );
    const before = await figures(database, campaignId);

    const result = await compactCampaignCounters(database.db);

    expect(result).toMatchObject({ ran: true, folded: 6, removed: 1 });
    expect(await figures(database, campaignId)).toEqual(before);
    // One row per figure, in the compacted shard; the figure that came to zero is gone.
    expect(await shardsOf(database, campaignId)).toEqual([
      `end\u001fdone@${COMPACTED_SHARD}=7`,
      `visit\u001fwaiting@${COMPACTED_SHARD}=4`,
    ]);
    // Nothing left to fold: a second pass changes nothing.
    expect(await compactCampaignCounters(database.db)).toMatchObject({ folded: 0, removed: 0 });
  });

  it("folds a large backlog in bounded batches", async () => {
    const campaignId = `c-batch-${backend}`;
    const shards: Record<number, Record<string, number>> = {};
    for (let shard = 1; shard <= 30; shard++) shards[5000 + shard] = { "visit\u001fwaiting": 1 };
    await database.db.insert(campaignCounter).values(rows(campaignId, shards));

    const first = await compactCampaignCounters(database.db, { batch: 20 });
    expect(first.folded).toBe(20);
    expect(await figures(database, campaignId)).toEqual({ "visit\u001fwaiting": 30 });
    await compactCampaignCounters(database.db, { batch: 20 });
    expect(await shardsOf(database, campaignId)).toEqual([
      `visit\u001fwaiting@${COMPACTED_SHARD}=30`,
    ]);
  });

  // Concurrency: PostgreSQL only (PGlite has one connection).
  if (backend !== "postgres") return;

  it("never waits for a transaction still writing its shard, and folds it later", async () => {
    const campaignId = "c-busy";
    await database.db.insert(campaignCounter).values(
      rows(campaignId, {
        6101: { "visit\u001fwaiting": 2 },
        6102: { "visit\u001fwaiting": 3 },
      }),
    );
    const engine = new pg.Client({ connectionString: database.url });
    await engine.connect();
    try {
      // A worker's transaction in flight holds its shard's row.
      await engine.query("begin");
      await engine.query(
        "update campaign_counter set n = n + 10 where campaign_id = $1 and shard = 6102",
        [campaignId],
      );
      const result = await compactCampaignCounters(database.db);
      expect(result.folded).toBe(1);
      await engine.query("commit");
      expect(await figures(database, campaignId)).toEqual({ "visit\u001fwaiting": 15 });
      await compactCampaignCounters(database.db);
      expect(await shardsOf(database, campaignId)).toEqual([
        `visit\u001fwaiting@${COMPACTED_SHARD}=15`,
      ]);
    } finally {
      await engine.end();
    }
  });

  it("lets one process compact at a time", async () => {
    const campaignId = "c-alone";
    await database.db.insert(campaignCounter).values(rows(campaignId, { 7101: { k: 1 } }));
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query("begin");
      await other.query("select pg_advisory_xact_lock($1)", [0x0c0a7e11]);
      expect(await compactCampaignCounters(database.db)).toEqual({
        ran: false,
        folded: 0,
        removed: 0,
      });
      await other.query("commit");
      expect((await compactCampaignCounters(database.db)).ran).toBe(true);
    } finally {
      await other.end();
    }
  });
});
