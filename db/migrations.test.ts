import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The committed migrations are what every database runs; the schema in db/schema is what the
// code believes. drizzle-kit, asked to generate a migration over a copy of the committed ones,
// must find nothing to add: otherwise someone changed the schema without `npm run db:generate`.

const MIGRATIONS = path.resolve("db/migrations");
const work = mkdtempSync(path.join(tmpdir(), "outflow-migrations-"));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function sqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort();
}

describe("committed migrations", () => {
  it("match the schema: drizzle-kit generates no new migration", () => {
    const out = path.join(work, "migrations");
    cpSync(MIGRATIONS, out, { recursive: true });
    const result = spawnSync(
      path.resolve("node_modules/.bin/drizzle-kit"),
      [
        "generate",
        "--dialect",
        "postgresql",
        "--schema",
        "./db/schema/index.ts",
        // drizzle-kit prefixes the folder with "./": it must be relative to the project.
        "--out",
        path.relative(process.cwd(), out),
        "--name",
        "schema_drift",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    const added = sqlFiles(out).filter((name) => !sqlFiles(MIGRATIONS).includes(name));
    expect(
      added,
      `db/schema differs from db/migrations: run npm run db:generate and commit the migration.\n${output}`,
    ).toEqual([]);
    expect(output).toContain("No schema changes");
  });

  it("list every migration file in the journal, in order", () => {
    const journal = JSON.parse(readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8"));
    const tags = (journal.entries as Array<{ tag: string; idx: number }>)
      .sort((a, b) => a.idx - b.idx)
      .map((entry) => `${entry.tag}.sql`);
    expect(tags).toEqual(sqlFiles(MIGRATIONS));
  });
});
