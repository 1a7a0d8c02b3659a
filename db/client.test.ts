import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { queryRows } from "./client";
import { organization, user } from "./schema/index";

const EXPECTED_TABLES = [
  "account",
  "invitation",
  "member",
  "organization",
  "rate_limit",
  "session",
  "user",
  "verification",
];

describe.each(BACKENDS)("database on %s", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("applies every committed migration to a fresh database", async () => {
    const rows = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const tables = rows.map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(EXPECTED_TABLES));
  });

  it("records applied migrations so a restart applies nothing twice", async () => {
    const countApplied = async () =>
      (
        await queryRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
        )
      )[0]?.n;
    const before = await countApplied();
    await database.reapplyMigrations();
    const after = await countApplied();
    expect(after).toBe(before);
    expect(after).toBeGreaterThan(0);
  });

  it("runs the same drizzle queries: insert, join, unique constraint", async () => {
    await database.db.insert(user).values({ id: "u1", name: "Uma", email: "uma@example.com" });
    await database.db.insert(organization).values({ id: "w1", name: "Acme", slug: "acme" });
    const rows = await database.db.select().from(user);
    expect(rows.map((r) => r.email)).toEqual(["uma@example.com"]);
    await expect(
      database.db.insert(user).values({ id: "u2", name: "Dup", email: "uma@example.com" }),
    ).rejects.toThrow();
  });
});
