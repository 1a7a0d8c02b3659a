import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { buildGraph } from "@/workflows/graph/builder";
import { removeEnrollment } from "../queries/campaigns";
import { addToBlocklist } from "../queries/leads";
import { enrollment, lead, usageCounter } from "../schema/index";
import { prepareSimulation, type SimulationRun } from "./simulation";

// A lead turned away by a full cap holds a place on a coming day (usage_counter.booked). When
// it leaves its step other than through the engine, the place goes back.

const START = new Date("2026-03-02T08:00:00Z");
const DATE = "2026-03-03";

const GRAPH = buildGraph()
  .node("start", "start")
  .node("connect", "connect", { noteVariants: [], skipIfConnected: true })
  .node("end", "end", { outcome: "finished" })
  .chain("start", "connect", "end")
  .build();

describe("booked cap places of leads taken off their step", () => {
  let handle: TestDatabase;
  let run: SimulationRun;
  let accountId: string;

  async function book(publicIdentifier: string) {
    const [row] = await handle.db
      .select({ id: enrollment.id })
      .from(enrollment)
      .innerJoin(lead, eq(lead.id, enrollment.leadId))
      .where(eq(lead.publicIdentifier, publicIdentifier));
    await handle.db
      .update(enrollment)
      .set({
        nodeId: "connect",
        stepSeq: 1,
        stepState: {
          seq: 1,
          enteredAt: START.toISOString(),
          bookedDate: DATE,
          bookedKind: "connect",
        },
      })
      .where(eq(enrollment.id, row!.id));
    return row!.id;
  }

  async function booked() {
    const rows = await handle.db
      .select({ kind: usageCounter.kind, booked: usageCounter.booked })
      .from(usageCounter)
      .where(and(eq(usageCounter.accountId, accountId), eq(usageCounter.localDate, DATE)));
    return Object.fromEntries(rows.map((r) => [r.kind, r.booked]));
  }

  beforeAll(async () => {
    handle = await createTestDatabase("pglite");
    run = await prepareSimulation(handle, {
      graph: GRAPH,
      accounts: [{ id: "acct-bookings", pacing: { timeZone: "Europe/Paris" } }],
      leads: ["ada", "grace", "hedy"].map((publicIdentifier) => ({ publicIdentifier })),
      seed: "bookings-test",
      start: START,
      days: 1,
    });
    accountId = run.accountIds.get("acct-bookings")!;
    await handle.db.insert(usageCounter).values([
      { accountId, localDate: DATE, kind: "connect", used: 0, booked: 3 },
      { accountId, localDate: DATE, kind: "total", used: 0, booked: 3 },
    ]);
  });
  afterAll(async () => {
    await handle?.destroy();
  });

  /** The booked counters minus `n` places: what is left once `n` of the booked leads leave. */
  async function lessBy(n: number) {
    const { connect, total } = await booked();
    return { connect: connect! - n, total: total! - n };
  }

  it("removing a lead gives its place back and forgets it", async () => {
    const id = await book("ada");
    const expected = await lessBy(1);
    expect(
      await removeEnrollment(handle.db, run.workspaceId, id, { at: START, note: "removed" }),
    ).toBe(true);
    expect(await booked()).toEqual(expected);
    const [row] = await handle.db
      .select({ stepState: enrollment.stepState })
      .from(enrollment)
      .where(eq(enrollment.id, id));
    expect(row?.stepState).toEqual({ seq: 1, enteredAt: START.toISOString() });
    // Removing it again gives nothing back twice.
    await removeEnrollment(handle.db, run.workspaceId, id, { at: START, note: "again" });
    expect(await booked()).toEqual(expected);
  });

  it("blocklisting leads gives their places back", async () => {
    await book("grace");
    await book("hedy");
    const expected = await lessBy(2);
    const result = await addToBlocklist(
      handle.db,
      run.workspaceId,
      [
        { publicIdentifier: "grace", reason: null },
        { publicIdentifier: "hedy", reason: null },
      ],
      { at: START, note: "blocklisted" },
    );
    expect(result.stoppedEnrollments).toBe(2);
    expect(await booked()).toEqual(expected);
  });
});
