import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleScript } from "@/test/bundle";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { restrictionArgument } from "@/test/restriction";
import { movesOffSeat, seatPerPerson } from "@/test/seat-moves";
import { LEASE_MS } from "@/workflows/engine/step";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import { starterTemplates } from "@/workflows/templates/index";
import { createDatabaseSandboxStore } from "../sandbox-store";
import { action, enrollment, senderAccount } from "../schema/index";
import { prepareSimulation, type SimulationRun } from "./simulation";

const START = new Date("2026-03-02T07:00:00Z");
const DAYS = 21;
const SEED = "crash-test";
// The kill points of each worker life are drawn from this seed and the life's number; set
// CRASH_SEED to replay a failed run exactly (the failure messages print it).
const CRASH_SEED = process.env.CRASH_SEED ?? `crash-${Date.now()}`;
/**
 * LinkedIn restricts this seat at its first call from 09:45 on its first morning, when it has
 * reached some of its leads and not others (rotation).
 */
const RESTRICTED = "acct-c";
const RESTRICTED_FROM = new Date("2026-03-02T09:45:00Z");

function runWorkerLife(worker: string, url: string, clockFile: string, end: Date, life: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        [
          worker,
          url,
          clockFile,
          end.toISOString(),
          SEED,
          "0.12",
          `${CRASH_SEED}:${life}`,
          restrictionArgument(RESTRICTED, RESTRICTED_FROM),
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on("exit", (code, signal) => resolve({ code, signal, out }));
    },
  );
}

// Several processes share one world here, which PGlite cannot do: this is part of the
// PostgreSQL suite (see the line printed when TEST_DATABASE_URL is not set).
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("crash safety on postgres", () => {
  let database: TestDatabase;
  let run: SimulationRun;
  let kills = 0;
  let lives = 0;
  const dir = mkdtempSync(path.join(tmpdir(), "outflow-crash-"));

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    run = await prepareSimulation(database, {
      graph: starterTemplates.find((t) => t.id === "connect-then-follow-up")!.graph,
      accounts: [
        // The safety pause is off: a paused account would leave its leads waiting for a
        // resume, which says nothing about crash safety. Priorities on: a queued send, claimed
        // only at the head of its seat's queue, must survive a kill as well. Rotation on: the
        // third seat is restricted on its first morning, and the leads it never reached move to
        // the other two (a kill may fall in the middle of it).
        {
          id: "acct-a",
          pacing: { timeZone: "Europe/Paris", safety: { pauseBelow: 0 }, priorities: true },
        },
        {
          id: "acct-b",
          pacing: { timeZone: "America/New_York", safety: { pauseBelow: 0 }, priorities: true },
        },
        {
          id: RESTRICTED,
          pacing: { timeZone: "Europe/London", safety: { pauseBelow: 0 }, priorities: true },
        },
      ],
      leads: Array.from({ length: 60 }, (_, i) => ({
        publicIdentifier: `crash-lead-${i}`,
        firstName: `Lead${i}`,
      })),
      seed: SEED,
      start: START,
      days: DAYS,
      sandbox: { defaults: { acceptance: { probability: 0.7 }, reply: { afterMessage: 0.4 } } },
    });
    const clockFile = path.join(dir, "clock");
    writeFileSync(clockFile, START.toISOString());
    const url = database.url!;
    const worker = await bundleScript("test/crash-worker.ts");
    // Kill and restart until a worker life gets to the end without being killed.
    for (lives = 1; lives <= 400; lives++) {
      const life = await runWorkerLife(worker, url, clockFile, run.end, lives);
      if (life.signal === "SIGKILL") {
        kills++;
        continue;
      }
      if (life.code !== 0) {
        throw new Error(`worker failed (replay with CRASH_SEED=${CRASH_SEED}): ${life.out}`);
      }
      break;
    }
  }, 1_200_000);

  afterAll(async () => {
    await database?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("survives at least 50 kills at random points", () => {
    expect(
      kills,
      `${kills} kills in ${lives} lives (CRASH_SEED=${CRASH_SEED})`,
    ).toBeGreaterThanOrEqual(50);
  });

  it("no person received any action twice", async () => {
    const world = new SandboxWorld({ seed: SEED, store: createDatabaseSandboxStore(database.db) });
    const received = await world.received();
    expect(received.length).toBeGreaterThan(60);
    const seen = new Set<string>();
    for (const r of received) {
      const key = `${r.providerAccountId}|${r.leadPublicIdentifier}|${r.kind}`;
      expect(seen.has(key), `${key} received twice (CRASH_SEED=${CRASH_SEED})`).toBe(false);
      seen.add(key);
    }
  });

  it("accounts for every enrollment and leaves no action unresolved", async () => {
    const rows = await database.db
      .select()
      .from(enrollment)
      .where(eq(enrollment.campaignId, run.campaignId));
    expect(rows).toHaveLength(60);
    const accounts = await database.db
      .select({
        id: senderAccount.id,
        status: senderAccount.status,
        why: senderAccount.statusReason,
      })
      .from(senderAccount);
    const restricted = run.accountIds.get(RESTRICTED)!;
    for (const row of rows) {
      // A lead the restricted seat reached stays with it (the conversation is its), waiting.
      if (row.state === "active" && row.accountId !== restricted) {
        expect(
          row.nextRunAt.getTime(),
          `${row.id} waits at ${row.nodeId} since ${row.nextRunAt.toISOString()}; accounts ${JSON.stringify(accounts)}`,
        ).toBeGreaterThan(run.end.getTime() - 1);
      } else if (row.state !== "active") {
        expect(["done", "failed"]).toContain(row.state);
      }
    }
    const actions = await database.db
      .select()
      .from(action)
      .where(eq(action.campaignId, run.campaignId));
    const sentKeys = new Set(
      actions.filter((a) => a.status === "sent").map((a) => a.idempotencyKey),
    );
    const world = new SandboxWorld({ seed: SEED, store: createDatabaseSandboxStore(database.db) });
    for (const r of await world.received()) expect(sentKeys.has(r.idempotencyKey)).toBe(true);
    // The last life ran to the end, reconciling every intent an earlier life left behind,
    // except one written within a lease of the end (no worker may touch it before then), and
    // one of the restricted seat's whose lead still waits with it: LinkedIn cannot be asked
    // through a restricted seat, so the intent stays unknown until the seat is back.
    const byId = new Map(rows.map((row) => [row.id, row]));
    const seatRestricted = accounts.find((a) => a.id === restricted)?.status !== "active";
    const waitsWithRestrictedSeat = (a: (typeof actions)[number]) => {
      const owner = byId.get(a.enrollmentId);
      return (
        seatRestricted &&
        a.accountId === restricted &&
        owner?.state === "active" &&
        owner.accountId === restricted
      );
    };
    const unresolved = actions
      .filter((a) => a.status === "intent" && a.createdAt.getTime() < run.end.getTime() - LEASE_MS)
      .filter((a) => !waitsWithRestrictedSeat(a))
      .map((a) => {
        const owner = byId.get(a.enrollmentId);
        return `${a.idempotencyKey} (${a.kind} from ${a.accountId} at ${a.createdAt.toISOString()}; lead ${owner?.state} on ${owner?.accountId} at ${owner?.nodeId} until ${owner?.nextRunAt.toISOString()})`;
      });
    expect(
      unresolved,
      `intents left unresolved (CRASH_SEED=${CRASH_SEED}; restricted seat ${restricted}; accounts ${JSON.stringify(accounts)})`,
    ).toEqual([]);
  });

  it("hands the restricted seat's unreached leads over; nobody hears from two seats", async () => {
    const world = new SandboxWorld({ seed: SEED, store: createDatabaseSandboxStore(database.db) });
    const { seatOf, twoSeats } = seatPerPerson(await world.received());
    expect(twoSeats, `heard from two seats (CRASH_SEED=${CRASH_SEED})`).toBeNull();
    expect([...seatOf.values()]).toContain(RESTRICTED);
    const moves = await movesOffSeat(database.db, run.campaignId, RESTRICTED);
    expect(moves.length, `CRASH_SEED=${CRASH_SEED}`).toBeGreaterThan(0);
    expect(new Set(moves).size).toBe(moves.length);
  });
});
