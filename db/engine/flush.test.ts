import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { reserveRequest } from "@/test/reserve-request";
import type { EnrollmentContext } from "@/workflows/engine/ports";
import { buildGraph } from "@/workflows/graph/builder";
import { action, inboundEvent, senderAccount, usageCounter } from "../schema/index";
import { prepareSimulation, type SimulationRun } from "./simulation";
import { createEngineStore } from "./store";

// The reservations of one flush, decided against the locked rows and one another.

const START = new Date("2026-03-02T08:00:00Z"); // 09:00 on a Monday in Paris
const GAP_MS = 120_000;

const GRAPH = buildGraph()
  .node("start", "start")
  .node("visit", "visit")
  .node("end", "end", { outcome: "finished" })
  .chain("start", "visit", "end")
  .build();

describe("a flush's reservations", () => {
  let handle: TestDatabase;
  let run: SimulationRun;
  let contexts: EnrollmentContext[];
  const now = new Date(START.getTime() + 60_000);
  const owner = "flush-test";

  beforeAll(async () => {
    handle = await createTestDatabase("pglite");
    run = await prepareSimulation(handle, {
      graph: GRAPH,
      // Without priorities a send that finds the seat's slot taken is given the next free time
      // (with them it queues for the slot instead: workflows/engine/priority.test.ts).
      accounts: [{ id: "acct-flush", pacing: { timeZone: "Europe/Paris", priorities: false } }],
      leads: ["ada", "grace", "hedy"].map((publicIdentifier) => ({ publicIdentifier })),
      seed: "flush-test",
      start: START,
      days: 1,
    });
    contexts = await createEngineStore(handle.db).claimDue({
      now,
      owner,
      leaseMs: 60_000,
      limit: 10,
    });
  });
  afterAll(async () => {
    await handle?.destroy();
  });

  it("claims the three leads with their (empty) events", () => {
    expect(contexts.map((c) => c.lead.publicIdentifier).sort()).toEqual(["ada", "grace", "hedy"]);
    expect(contexts.every((c) => c.events.length === 0)).toBe(true);
  });

  it("refuses a send decided on events that have changed since, and says what they are now", async () => {
    const store = createEngineStore(handle.db);
    const context = contexts.find((c) => c.lead.publicIdentifier === "ada")!;
    await handle.db.insert(inboundEvent).values({
      workspaceId: run.workspaceId,
      provider: "sandbox",
      externalId: "ada-replied",
      type: "replied",
      providerAccountId: context.account.providerAccountId,
      accountId: context.account.id,
      leadId: context.lead.id,
      occurredAt: START,
      receivedAt: START,
      processedAt: START,
    });
    const refused = await store.flush({
      owner,
      ops: [{ type: "reserve", request: reserveRequest(context, owner, now, 0) }],
      events: [],
    });
    expect(refused.results).toEqual([{ type: "events_changed" }]);
    expect(refused.events.get(`${context.account.id}|${context.lead.id}`)).toEqual([
      { type: "replied", occurredAt: START, chatId: null },
    ]);
    expect(
      await handle.db.select().from(action).where(eq(action.enrollmentId, context.enrollment.id)),
    ).toEqual([]);
  });

  it("decides two sends of one account in order: the first now, the second at the next free time", async () => {
    const store = createEngineStore(handle.db);
    const [grace, hedy] = ["grace", "hedy"].map(
      (id) => contexts.find((c) => c.lead.publicIdentifier === id)!,
    );
    const flushed = await store.flush({
      owner,
      ops: [
        { type: "reserve", request: reserveRequest(grace!, owner, now, 0) },
        { type: "reserve", request: reserveRequest(hedy!, owner, now, 0) },
      ],
      events: [],
    });
    expect(flushed.results.map((r) => r.type)).toEqual(["reserved", "later"]);
    // The second holds its slot and a place on that slot's day until then.
    expect(flushed.results[1]).toEqual({
      type: "later",
      at: new Date(now.getTime() + GAP_MS),
      bookedDate: "2026-03-02",
    });
    const [account] = await handle.db
      .select({ nextFreeAt: senderAccount.nextFreeAt })
      .from(senderAccount)
      .where(eq(senderAccount.id, grace!.account.id));
    expect(account?.nextFreeAt).toEqual(new Date(now.getTime() + 2 * GAP_MS));
    const counters = await handle.db
      .select({ kind: usageCounter.kind, used: usageCounter.used, booked: usageCounter.booked })
      .from(usageCounter)
      .where(eq(usageCounter.accountId, grace!.account.id));
    expect(counters.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: "total", used: 1, booked: 1 },
      { kind: "visit", used: 1, booked: 1 },
    ]);
    const intents = await handle.db
      .select({ key: action.idempotencyKey, status: action.status })
      .from(action)
      .where(eq(action.accountId, grace!.account.id));
    expect(intents).toEqual([{ key: `${grace!.enrollment.id}:1:0`, status: "intent" }]);
  });

  it("reserves nothing for a worker that no longer holds the lease", async () => {
    const store = createEngineStore(handle.db);
    const context = contexts.find((c) => c.lead.publicIdentifier === "ada")!;
    const flushed = await store.flush({
      owner: "another-worker",
      ops: [{ type: "reserve", request: reserveRequest(context, "another-worker", now, 1) }],
      events: [],
    });
    expect(flushed.results).toEqual([{ type: "lease_lost" }]);
    expect(
      await handle.db.select().from(action).where(eq(action.enrollmentId, context.enrollment.id)),
    ).toEqual([]);
  });
});
