import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { createSharedClockTable, readSharedClock, SharedClock } from "@/test/shared-clock";
import { LEASE_MS } from "@/workflows/engine/step";
import { buildGraph } from "@/workflows/graph/index";
import { queryRows } from "../client";
import { prepareSimulation, type SimulationRun } from "./simulation";
import { createEngineStore } from "./store";

// The virtual clock the four-worker test's processes share. A worker that read the clock and
// claims at that instant must find its leases still running: were the clock moved past them by
// another worker meanwhile, a third would take the lead over and reconcile a send still on its
// way as never made, and send it again under a new key (the duplicate once seen with priorities
// on, where one worker's flush makes the next queued lead due at the current instant).

const START = new Date("2026-03-02T07:00:00Z");

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("the shared virtual clock", () => {
  let database: TestDatabase;
  let run: SimulationRun;
  let first: SharedClock;
  let second: SharedClock;

  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    run = await prepareSimulation(database, {
      graph: buildGraph()
        .node("start", "start", {}, { x: 0, y: 0 })
        .node("visit", "visit", {}, { x: 0, y: 150 })
        .node("end", "end", { outcome: "visited" }, { x: 0, y: 300 })
        .chain("start", "visit", "end")
        .build(),
      accounts: [{ id: "seat", pacing: { timeZone: "UTC", priorities: true } }],
      leads: [{ publicIdentifier: "clock-lead-0" }, { publicIdentifier: "clock-lead-1" }],
      seed: "shared-clock",
      start: START,
      days: 2,
    });
    await createSharedClockTable(database, START);
    first = await SharedClock.open(database, database.url!);
    second = await SharedClock.open(database, database.url!);
  }, 120_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.destroy();
  });

  it("does not move while a worker that read it claims at its instant, nor past that worker's leases", async () => {
    const store = createEngineStore(database.db);
    const leases = await first.turn(async (now) => {
      expect(now).toEqual(START);
      // Another worker, finding nothing due it could claim, tries to move the clock on.
      expect(await second.advance(run.end)).toBe("busy");
      const claimed = await store.claimDue({ now, owner: "first", leaseMs: LEASE_MS, limit: 10 });
      expect(claimed).toHaveLength(2);
      expect(await second.advance(run.end)).toBe("busy");
      expect(await readSharedClock(database)).toEqual(START);
      return queryRows<{ until: string | Date }>(
        database.db,
        sql`select lease_expires_at as until from enrollment where lease_owner = 'first'`,
      );
    });
    expect(leases).toHaveLength(2);
    // Once the turn is over the clock moves, at most to where the leases run out (a worker
    // that died holding them).
    expect(await second.advance(run.end)).toBe("moved");
    const moved = await readSharedClock(database);
    expect(moved.getTime()).toBeGreaterThan(START.getTime());
    for (const lease of leases) {
      expect(moved.getTime()).toBeLessThanOrEqual(new Date(lease.until).getTime());
    }
  });

  it("lets several workers be in a turn at once", async () => {
    const order: string[] = [];
    await first.turn(async () => {
      order.push("first in");
      await second.turn(async () => {
        order.push("second in");
      });
      order.push("first out");
    });
    expect(order).toEqual(["first in", "second in", "first out"]);
  });
});
