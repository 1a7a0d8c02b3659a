/**
 * The lead import part of `npm run bench`: a 10,000-row CSV import on PGlite and PostgreSQL,
 * against a baseline measured in the same run on the same rows — a bare multi-row INSERT of
 * the leads (1,000 rows a statement, one transaction), with no validation, no merge and no
 * conflict handling.
 *
 * The import is timed as the server runs it: the request body parsed and validated (zod),
 * duplicates merged, the leads written in set-based statements, in one transaction; once on
 * its own and once enrolling every lead in a running campaign. The browser's share (papaparse
 * and the row checks) is timed apart. Each measurement writes into a fresh workspace, so the
 * import and the baseline both insert 10,000 new leads; the three alternate for `rounds`
 * rounds and the medians are reported.
 *
 *   npx tsx bench/import.ts [rows] [rounds]       (PostgreSQL rows need BENCH_DATABASE_URL or
 *                                                  TEST_DATABASE_URL)
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { Database } from "@/db/client";
import { createCampaign, createSenderAccount } from "@/db/queries/launch";
import { lead, organization } from "@/db/schema/index";
import type { Caller } from "@/server/http/guard";
import { importLeads, importLeadsInput } from "@/server/leads/import-leads";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { guessMapping, parseCsvText, readLeadRows } from "@/workflows/leads/index";
import { BENCH_GRAPH, BENCH_PACING } from "./setup";

export interface ImportBenchRow {
  database: "PGlite" | "PostgreSQL";
  rows: number;
  /** Median milliseconds of the bare multi-row INSERT of the same leads. */
  baselineMs: number;
  /** Median milliseconds of the server's import (validation, merge, upsert, one transaction). */
  importMs: number;
  /** The same, enrolling every lead in a running campaign in the same transaction. */
  importAndEnrollMs: number;
  /** baselineMs ÷ importMs: the share of the bare insert's speed the import reaches. */
  importVsBaseline: number;
  importAndEnrollVsBaseline: number;
}

export interface ImportBenchResult {
  rows: number;
  rounds: number;
  /** papaparse + mapping + row checks + merge, as the browser runs them, in ms (median). */
  browserReadMs: number;
  results: ImportBenchRow[];
  notes: string[];
}

const FIRST = ["Ada", "Chloé", "Łukasz", "Hiro", "Zoë", "Mateo", "Élodie", "Wen", "Nadia", "Tomás"];
const LAST = ["Lovelace", "García", "O'Brien", "Nakamura", "Bauer", "Ito", "Hansen", "Xu"];
const COMPANIES = ["Acme Robotics", "Helix Bio", "Kestrel Capital", "Nimbus Cloud", "Lumen, Inc."];
const URL_SPELLINGS = [
  (slug: string) => `https://www.linkedin.com/in/${slug}/`,
  (slug: string) => `http://www.linkedin.com/in/${slug}?trk=public_profile`,
  (slug: string) => `linkedin.com/in/${slug}`,
  (slug: string) => `https://linkedin.com/in/${encodeURIComponent(slug)}`,
];

/** A CSV export of `rows` distinct people, in the shapes real exports take. */
export function makeExport(rows: number): string {
  const lines = ["\uFEFFFirst Name,Last Name,Company,Title,LinkedIn URL,Location,Tag"];
  for (let i = 0; i < rows; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    const slug = `${first}-${last}-${i}`.toLowerCase().replace(/'/g, "");
    const company = COMPANIES[i % COMPANIES.length]!;
    lines.push(
      [
        first,
        last,
        company.includes(",") ? `"${company}"` : company,
        "VP Sales",
        URL_SPELLINGS[i % URL_SPELLINGS.length]!(slug),
        i % 3 === 0 ? '"Austin, TX"' : "Paris",
        i % 4 === 0 ? "webinar" : "",
      ].join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function newWorkspace(db: Database): Promise<string> {
  const workspaceId = randomUUID();
  await db
    .insert(organization)
    .values({ id: workspaceId, name: "Import benchmark", slug: `import-bench-${workspaceId}` });
  return workspaceId;
}

/** Just enough of a caller for the import operation: the database and the workspace. */
const callerFor = (db: Database, workspaceId: string) =>
  ({ db, workspace: { workspaceId } }) as unknown as Caller;

async function benchDatabase(
  label: ImportBenchRow["database"],
  database: TestDatabase,
  body: string,
  options: { rows: number; rounds: number; log: (line: string) => void },
): Promise<ImportBenchRow> {
  const { db } = database;
  // The bare insert's rows: the same leads, as the import would store them.
  const leads = importLeadsInput.parse(JSON.parse(body)).leads;
  const baseline: number[] = [];
  const imports: number[] = [];
  const enrolls: number[] = [];

  const bare = async () => {
    const workspaceId = await newWorkspace(db);
    return time(() =>
      db.transaction(async (tx) => {
        for (let start = 0; start < leads.length; start += 1000) {
          await tx.insert(lead).values(
            leads.slice(start, start + 1000).map((row) => ({
              id: randomUUID(),
              workspaceId,
              publicIdentifier: row.publicIdentifier,
              firstName: row.firstName,
              lastName: row.lastName,
              company: row.company,
              title: row.title,
              custom: row.custom,
            })),
          );
        }
      }),
    );
  };
  const viaImport = async (enroll: boolean) => {
    const workspaceId = await newWorkspace(db);
    let campaignId: string | undefined;
    if (enroll) {
      const accountId = await createSenderAccount(db, workspaceId, {
        name: "bench",
        provider: "sandbox",
        providerAccountId: `import-bench-${workspaceId}`,
        pacing: BENCH_PACING,
      });
      ({ campaignId } = await createCampaign(db, workspaceId, {
        name: "Import benchmark",
        graph: BENCH_GRAPH,
        accountIds: [accountId],
      }));
    }
    const caller = callerFor(db, workspaceId);
    return time(async () => {
      const input = importLeadsInput.parse({ ...JSON.parse(body), campaignId });
      const result = await importLeads(caller, input);
      if (result.created !== options.rows) throw new Error(`imported ${result.created} leads`);
      if (enroll && result.enrollment?.enrolled !== options.rows) {
        throw new Error(`enrolled ${result.enrollment?.enrolled} leads`);
      }
    });
  };

  // One unmeasured pass each, so neither side pays for a cold cache or a first compile.
  await bare();
  await viaImport(true);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? ["bare", "import", "enroll"] : ["enroll", "import", "bare"];
    for (const step of order) {
      if (step === "bare") baseline.push(await bare());
      else if (step === "import") imports.push(await viaImport(false));
      else enrolls.push(await viaImport(true));
    }
    options.log(
      `${label} round ${round + 1}: bare ${baseline.at(-1)!.toFixed(0)} ms, import ${imports.at(-1)!.toFixed(0)} ms, import + enroll ${enrolls.at(-1)!.toFixed(0)} ms`,
    );
  }
  const baselineMs = median(baseline);
  const importMs = median(imports);
  const importAndEnrollMs = median(enrolls);
  return {
    database: label,
    rows: options.rows,
    baselineMs,
    importMs,
    importAndEnrollMs,
    importVsBaseline: baselineMs / importMs,
    importAndEnrollVsBaseline: baselineMs / importAndEnrollMs,
  };
}

export async function runImportBench(
  options: {
    rows?: number;
    rounds?: number;
    postgresUrl?: string | null;
    log?: (line: string) => void;
  } = {},
): Promise<ImportBenchResult> {
  const rows = options.rows ?? 10_000;
  const rounds = options.rounds ?? 3;
  const log = options.log ?? ((line: string) => console.log(line));
  const postgresUrl =
    options.postgresUrl === undefined
      ? process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null
      : options.postgresUrl;
  const notes: string[] = [];

  // The browser's part, on the same export: parse, map, check and merge.
  const csv = makeExport(rows);
  const reads: number[] = [];
  let leads: ReturnType<typeof readLeadRows>["leads"] = [];
  for (let round = 0; round < rounds; round++) {
    reads.push(
      await time(async () => {
        const table = parseCsvText(csv);
        const read = readLeadRows(table, guessMapping(table.header));
        if (read.leads.length !== rows) throw new Error(`read ${read.leads.length} leads`);
        leads = read.leads;
      }),
    );
  }
  const body = JSON.stringify({ leads: leads.map(({ rows: _rows, ...fields }) => fields) });

  const results: ImportBenchRow[] = [];
  const pglite = await createTestDatabase("pglite");
  try {
    results.push(await benchDatabase("PGlite", pglite, body, { rows, rounds, log }));
  } finally {
    await pglite.destroy();
  }
  if (postgresUrl) {
    const previous = process.env.TEST_DATABASE_URL;
    process.env.TEST_DATABASE_URL = postgresUrl;
    const postgres = await createTestDatabase("postgres");
    try {
      results.push(await benchDatabase("PostgreSQL", postgres, body, { rows, rounds, log }));
    } finally {
      await postgres.destroy();
      if (previous === undefined) delete process.env.TEST_DATABASE_URL;
      else process.env.TEST_DATABASE_URL = previous;
    }
  } else {
    notes.push(
      "PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL (a server the bench may create and drop throwaway databases on).",
    );
  }
  return { rows, rounds, browserReadMs: median(reads), results, notes };
}

/** The result as lines of a table, for the bench's printout. */
export function formatImportBench(result: ImportBenchResult): string[] {
  const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;
  const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
  return [
    `Lead import: ${result.rows.toLocaleString("en-US")} rows, median of ${result.rounds} rounds; browser-side read (papaparse, mapping, checks, merge) ${ms(result.browserReadMs)}`,
    "database     bare INSERT   import   import + enroll   import ÷ bare speed   with enroll",
    ...result.results.map(
      (row) =>
        `${row.database.padEnd(10)}  ${ms(row.baselineMs).padStart(11)}  ${ms(row.importMs).padStart(7)}  ${ms(row.importAndEnrollMs).padStart(16)}  ${pct(row.importVsBaseline).padStart(19)}  ${pct(row.importAndEnrollVsBaseline).padStart(11)}`,
    ),
    ...result.notes,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [rows, rounds] = process.argv.slice(2).map(Number);
  const result = await runImportBench({
    rows: rows || undefined,
    rounds: rounds || undefined,
  });
  console.log(formatImportBench(result).join("\n"));
}
