import { spawn } from "node:child_process";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleScript } from "@/test/bundle";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { restrictionArgument } from "@/test/restriction";
import { movesOffSeat, seatPerPerson } from "@/test/seat-moves";
import { createSharedClockTable } from "@/test/shared-clock";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import { buildGraph } from "@/workflows/graph/index";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import { queryRows } from "../client";
import { createCreditPool } from "../queries/launch";
import { createDatabaseSandboxStore } from "../sandbox-store";
import { creditLedger, creditPool, enrollment, senderAccount } from "../schema/index";
import {
  capsByDay,
  prepareSimulation,
  type SimulationRun,
  type SimulationSpec,
} from "./simulation";

const START = new Date("2026-03-02T07:00:00Z");
const SEED = "four-workers";
/** Enough for every seat's caps to fill on both days and the restricted seat to leave leads unreached. */
const LEADS = 500;
const OPENING_CREDITS = 30;
/** LinkedIn restricts this seat at its first call from noon on the first day (rotation). */
const RESTRICTED = "acct-4";
const RESTRICTED_FROM = new Date("2026-03-02T12:00:00Z");

function startWorker(worker: string, url: string, end: Date) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const restriction = restrictionArgument(RESTRICTED, RESTRICTED_FROM);
    const child = spawn(process.execPath, [worker, url, end.toISOString(), SEED, restriction], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.on("exit", (code) => resolve({ code, out }));
  });
}

// Priorities and rotation on: queued sends are claimed only at the head of their seat's queue,
// and a seat restricted mid-run hands the leads it never reached to the other seats while the
// four workers claim.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("four workers on postgres", () => {
  let database: TestDatabase;
  let run: SimulationRun;
  let scenario: SimulationSpec;
  let results: Array<{ code: number | null; out: string }>;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    scenario = {
      // Visit, then InMail: every lead races for the shared pool within the first days.
      graph: buildGraph()
        .node("start", "start", {}, { x: 0, y: 0 })
        .node("visit", "visit", {}, { x: 0, y: 150 })
        .node(
          "inmail",
          "inmail",
          {
            variants: [
              {
                id: "a",
                weight: 1,
                subject: "Quick question",
                body: "Hi {{firstName|there}}, open to a chat?",
              },
            ],
            firstDegree: "send_message",
          },
          { x: 0, y: 300 },
        )
        .node("sent", "end", { outcome: "InMail sent" }, { x: -150, y: 450 })
        .node("not-sent", "end", { outcome: "InMail not sent" }, { x: 150, y: 450 })
        .edge("start", "next", "visit")
        .edge("visit", "next", "inmail")
        .edge("inmail", "sent", "sent")
        .edge("inmail", "not_sent", "not-sent")
        .build(),
      accounts: ["Europe/Paris", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC"].map(
        (timeZone, i) => ({ id: `acct-${i}`, pacing: { timeZone, priorities: true } }),
      ),
      leads: Array.from({ length: LEADS }, (_, i) => ({
        publicIdentifier: `worker-lead-${i}`,
        firstName: `Lead${i}`,
      })),
      seed: SEED,
      start: START,
      days: 2,
    };
    run = await prepareSimulation(database, scenario);
    // One shared pool, small enough to run dry while four workers race for it.
    const poolId = await createCreditPool(database.db, run.workspaceId, {
      name: "Team Sales Navigator",
      plan: "sales_navigator_core",
      renewalDay: 1,
      balance: OPENING_CREDITS,
      at: START,
    });
    await database.db
      .update(senderAccount)
      .set({ creditPoolId: poolId })
      .where(eq(senderAccount.workspaceId, run.workspaceId));
    await createSharedClockTable(database, START);
    const worker = await bundleScript("test/shared-clock-worker.ts");
    results = await Promise.all(
      Array.from({ length: 4 }, () => startWorker(worker, database.url!, run.end)),
    );
  }, 2_400_000);

  afterAll(async () => {
    await database?.destroy();
  });

  it("all four workers finish and share the work", () => {
    for (const result of results) expect(result.code, result.out).toBe(0);
    const steps = results.map((r) => JSON.parse(r.out.trim().split("\n").at(-1)!).steps as number);
    for (const count of steps) expect(count).toBeGreaterThan(0);
  });

  it("sends nothing twice and keeps every account under its caps", async () => {
    const world = new SandboxWorld({ seed: SEED, store: createDatabaseSandboxStore(database.db) });
    const received = await world.received();
    const seen = new Set<string>();
    for (const r of received) {
      const key = `${r.providerAccountId}|${r.leadPublicIdentifier}|${r.kind}`;
      expect(seen.has(key), `${key} twice`).toBe(false);
      seen.add(key);
    }
    const caps = capsByDay(scenario);
    const counts = new Map<string, number>();
    for (const r of received) {
      const account = scenario.accounts.find((a) => a.id === r.providerAccountId)!;
      const date = localDate(r.at, PacingSettingsSchema.parse(account.pacing).timeZone);
      for (const kind of [r.kind, "total"]) {
        const key = `${account.id}|${date}|${kind}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    for (const [key, used] of counts) {
      const [account, date, kind] = key.split("|");
      const limit = caps.find((c) => c.account === account && c.date === date && c.kind === kind)!;
      expect(used, key).toBeLessThanOrEqual(limit.limit);
    }
  });

  it("never drives the shared credit balance below zero, and the ledger agrees with it", async () => {
    const [pool] = await database.db
      .select()
      .from(creditPool)
      .where(eq(creditPool.workspaceId, run.workspaceId));
    expect(pool!.balance).toBeGreaterThanOrEqual(0);
    const [sums] = await queryRows<{ spent: number; released: number; opening: number }>(
      database.db,
      sql`select
            coalesce(sum(amount) filter (where type = 'spend'), 0)::int as spent,
            coalesce(sum(amount) filter (where type = 'adjustment' and action_id is not null), 0)::int as released,
            coalesce(sum(amount) filter (where type = 'adjustment' and action_id is null), 0)::int as opening
          from ${creditLedger} where pool_id = ${pool!.id}`,
    );
    expect(sums!.opening).toBe(OPENING_CREDITS);
    expect(sums!.opening - sums!.spent + sums!.released).toBe(pool!.balance);
    expect(sums!.spent).toBeGreaterThan(0);
  });

  it("hands the restricted seat's unreached leads over; the ones it reached stay with it", async () => {
    const world = new SandboxWorld({ seed: SEED, store: createDatabaseSandboxStore(database.db) });
    const received = await world.received();
    const reached = new Set(
      received.filter((r) => r.providerAccountId === RESTRICTED).map((r) => r.leadPublicIdentifier),
    );
    expect(reached.size).toBeGreaterThan(0);
    // Nobody heard from two seats.
    expect(seatPerPerson(received).twoSeats).toBeNull();
    const restricted = run.accountIds.get(RESTRICTED)!;
    const [seat] = await database.db
      .select({ status: senderAccount.status })
      .from(senderAccount)
      .where(eq(senderAccount.id, restricted));
    expect(seat!.status).toBe("restricted");
    const staying = await database.db
      .select({ id: enrollment.id })
      .from(enrollment)
      .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.accountId, restricted)));
    expect(staying.length).toBe(reached.size);
    const moves = await movesOffSeat(database.db, run.campaignId, RESTRICTED);
    expect(moves.length).toBeGreaterThan(0);
    // Each lead moved once.
    expect(new Set(moves).size).toBe(moves.length);
  });

  it("moves every enrollment past its start", async () => {
    const rows = await database.db
      .select({ stepSeq: enrollment.stepSeq })
      .from(enrollment)
      .where(eq(enrollment.campaignId, run.campaignId));
    expect(rows).toHaveLength(LEADS);
    expect(rows.filter((r) => r.stepSeq === 0)).toEqual([]);
  });
});
