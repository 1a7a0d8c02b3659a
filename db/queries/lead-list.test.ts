import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCaller } from "@/server/http/guard";
import { signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { queryRows } from "../client";
import { COMPACTED_SHARD, compactLeadCounters } from "../engine/counters";
import { organization } from "../schema/index";
import { importLeadRows, type LeadListPosition, listLeadRows } from "./leads";

/** A new account's own workspace. */
async function workspaceOf(name: string, email: string): Promise<string> {
  const { cookie } = await signUp(name, email);
  return (await resolveCaller(new Headers({ cookie }))).workspace.workspaceId;
}

const row = (publicIdentifier: string, firstName = "") => ({
  publicIdentifier,
  firstName,
  lastName: "",
  company: "",
  title: "",
  custom: {},
});

/**
 * Two imports: each gives all its leads one creation time, so the list has long ties. Then two
 * known leads come again (one renamed) with one new lead.
 */
const BATCHES = [
  ["m-1", "k-2", "a-3", "z-4", "c-5", "b-6", "y-7"].map((id) => row(id, "Old")),
  ["q-1", "d-2", "x-3", "e-4", "p-5"].map((id) => row(id, "New")),
];
const AGAIN = [row("m-1", "Again"), row("q-1"), row("n-new")];

describe.each(BACKENDS)("the lead list on %s", (backend) => {
  let database: TestDatabase;
  let ws: string;
  let other: string;

  const list = (
    workspaceId: string,
    options: { limit?: number; offset?: number; after?: LeadListPosition; search?: string } = {},
  ) =>
    listLeadRows(database.db, workspaceId, {
      limit: options.limit ?? 100,
      offset: options.offset ?? 0,
      after: options.after,
      search: options.search,
    });

  /** Every page of `limit` from the cursor the page before gave, as the API walks them. */
  async function walk(workspaceId: string, limit: number, search?: string) {
    const seen: string[] = [];
    let after: LeadListPosition | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await list(workspaceId, { limit, after, search });
      seen.push(...page.rows.map((lead) => lead.publicIdentifier));
      if (page.rows.length < limit) return seen;
      after = page.rows.at(-1)!.position;
    }
    throw new Error("the cursor never reached the end");
  }

  /** The two batches, a moment apart. */
  async function importBatches(workspaceId: string) {
    const [first, second] = BATCHES;
    await importLeadRows(database.db, workspaceId, first!);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await importLeadRows(database.db, workspaceId, second!);
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ws = await workspaceOf("Lena List", "lena@example.com");
    other = await workspaceOf("Otto Other", "otto@example.com");
    await importBatches(ws);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await importLeadRows(database.db, ws, AGAIN);
    await importLeadRows(database.db, other, [row("stranger")]);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("counts the workspace's leads from the counter, only new leads adding to it", async () => {
    // A workspace of its own, whose count this test watches from its first import.
    const own = await workspaceOf("Cora Count", "cora@example.com");
    await importBatches(own);
    expect(await list(own, { limit: 2 })).toMatchObject({ total: 12, totalCapped: false });
    // Two known leads again and one new: the count moves by one.
    await importLeadRows(database.db, own, AGAIN);
    expect((await list(own, { limit: 2 })).total).toBe(13);
    expect((await list(other)).total).toBe(1);
    // A page past the end still says how many there are.
    expect(await list(own, { offset: 500 })).toMatchObject({ rows: [], total: 13 });
    const counted = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from lead where workspace_id = ${own}`,
    );
    expect(counted[0]?.n).toBe(13);
  });

  it("keeps every total when the connections' shards are folded", async () => {
    const before = [(await list(ws)).total, (await list(other)).total];
    await compactLeadCounters(database.db);
    expect([(await list(ws)).total, (await list(other)).total]).toEqual(before);
    const shards = await queryRows<{ shard: number }>(
      database.db,
      sql`select shard from lead_counter where workspace_id in (${ws}, ${other})`,
    );
    expect(shards.map((s) => s.shard)).toEqual([COMPACTED_SHARD, COMPACTED_SHARD]);
    expect(await compactLeadCounters(database.db)).toBe(0);
  });

  it("walks the list by cursor in its order, through leads created at the same moment", async () => {
    const everyone = (await list(ws)).rows.map((lead) => lead.publicIdentifier);
    // Newest import first, A to Z within one.
    expect(everyone.slice(0, 7)).toEqual(["n-new", "d-2", "e-4", "p-5", "q-1", "x-3", "a-3"]);
    for (const size of [1, 2, 3, 5]) {
      expect(await walk(ws, size)).toEqual(everyone);
    }
    // The filters hold on both sides of the cursor.
    const named = (await list(ws, { search: "old" })).rows.map((lead) => lead.publicIdentifier);
    expect(named).toEqual(["a-3", "b-6", "c-5", "k-2", "y-7", "z-4"]);
    expect(await walk(ws, 4, "old")).toEqual(named);
  });

  it("gives a deleted workspace's counter rows up with it", async () => {
    const gone = await workspaceOf("Gail Gone", "gail@example.com");
    await importLeadRows(database.db, gone, [row("g-1"), row("g-2")]);
    expect((await list(gone)).total).toBe(2);
    await database.db.delete(organization).where(eq(organization.id, gone));
    const left = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from lead_counter where workspace_id = ${gone}`,
    );
    expect(left[0]?.n).toBe(0);
  });
});
