import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { expectDocumentedWebhook } from "@/test/webhook-payloads";
import { buildGraph } from "@/workflows/graph/builder";
import type { Database } from "../client";
import { flushOps } from "../engine/flush";
import { prepareSimulation, runSimulation } from "../engine/simulation";
import { removeEnrollment } from "../queries/campaigns";
import { addToBlocklist, removeLeadsFromCampaign } from "../queries/leads";
import { enrollment, outboxEvent, webhookDelivery, webhookEndpoint } from "../schema/index";
import { WEBHOOK_EVENT_TYPES } from "./events";

// The engine writes its events to the outbox in the same statements as the changes: every send,
// every lead leaving the campaign, and the campaign's last lead.

const START = new Date("2026-03-02T07:00:00Z");
const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" };
const VISIT_THEN_END = buildGraph()
  .node("start", "start")
  .node("visit", "visit", {})
  .node("end", "end", { outcome: "visited" })
  .chain("start", "visit", "end")
  .build();

/** A receiver of the workspace's events of these types. */
async function addEndpoint(database: TestDatabase, workspaceId: string, eventTypes: string[]) {
  const [endpoint] = await database.db
    .insert(webhookEndpoint)
    .values({
      id: randomUUID(),
      workspaceId,
      url: "https://crm.example.com/hooks",
      eventTypes,
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    })
    .returning();
  return endpoint;
}

describe.each(BACKENDS)("engine webhook events on %s", (backend) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.destroy();
  });

  it("records action.sent per send, lead.finished per lead and campaign.finished once, each with a delivery", async () => {
    const database = await createTestDatabase(backend);
    databases.push(database);
    const run = await prepareSimulation(database, {
      graph: VISIT_THEN_END,
      accounts: [{ id: "seat", pacing: { timeZone: "UTC", workingHours: ALWAYS } }],
      leads: Array.from({ length: 5 }, (_, i) => ({ publicIdentifier: `lead-${i}` })),
      seed: "webhook-events",
      start: START,
      days: 2,
    });
    const endpoint = await addEndpoint(database, run.workspaceId, [...WEBHOOK_EVENT_TYPES]);
    await runSimulation(database, run);

    const events = await database.db
      .select()
      .from(outboxEvent)
      .where(eq(outboxEvent.workspaceId, run.workspaceId));
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count("action.sent")).toBe(5);
    expect(count("lead.finished")).toBe(5);
    expect(count("campaign.finished")).toBe(1);
    for (const event of events) expectDocumentedWebhook(event.type, event.payload);
    const finished = events.find((e) => e.type === "lead.finished");
    expect(finished?.payload).toMatchObject({
      campaignId: run.campaignId,
      state: "done",
      outcome: "visited",
      publicIdentifier: expect.stringMatching(/^lead-\d$/),
    });
    const deliveries = await database.db
      .select()
      .from(webhookDelivery)
      .where(eq(webhookDelivery.endpointId, endpoint?.id ?? ""));
    expect(deliveries).toHaveLength(events.length);
    expect(new Set(deliveries.map((d) => d.eventId))).toEqual(new Set(events.map((e) => e.id)));
  });

  /** A running campaign of `leads` leads not yet stepped, with an endpoint wanting its events. */
  async function campaignOf(database: TestDatabase, leads: number, seed: string) {
    const run = await prepareSimulation(database, {
      graph: VISIT_THEN_END,
      accounts: [{ id: "seat", pacing: { timeZone: "UTC", workingHours: ALWAYS } }],
      leads: Array.from({ length: leads }, (_, i) => ({ publicIdentifier: `${seed}-${i}` })),
      seed,
      start: START,
      days: 1,
    });
    await addEndpoint(database, run.workspaceId, ["campaign.finished"]);
    const enrolled = await database.db
      .select()
      .from(enrollment)
      .where(eq(enrollment.campaignId, run.campaignId));
    const finished = async () =>
      (
        await database.db
          .select()
          .from(outboxEvent)
          .where(
            and(
              eq(outboxEvent.workspaceId, run.workspaceId),
              eq(outboxEvent.type, "campaign.finished"),
            ),
          )
      ).map((event) => event.payload);
    return { run, enrolled, finished };
  }

  it("says a campaign finished when its last leads in progress are removed by hand, once", async () => {
    const database = await createTestDatabase(backend);
    databases.push(database);
    const { run, enrolled, finished } = await campaignOf(database, 3, "removed");
    const change = { at: START, note: "Removed from the campaign by Ada" };
    expect(await removeEnrollment(database.db, run.workspaceId, enrolled[0]!.id, change)).toBe(
      true,
    );
    expect(await finished()).toEqual([]);
    const rest = enrolled.slice(1).map((e) => e.leadId);
    expect(
      await removeLeadsFromCampaign(database.db, run.workspaceId, run.campaignId, rest, change),
    ).toBe(2);
    expect(await finished()).toEqual([{ campaignId: run.campaignId, name: "Simulation" }]);
    expectDocumentedWebhook("campaign.finished", (await finished())[0]);
    // Nothing left in progress to take out: no second event.
    await removeLeadsFromCampaign(database.db, run.workspaceId, run.campaignId, rest, change);
    expect(await finished()).toHaveLength(1);
  });

  it("says a campaign finished when blocklisting takes its last lead in progress out", async () => {
    const database = await createTestDatabase(backend);
    databases.push(database);
    const { run, finished } = await campaignOf(database, 2, "blocked");
    const change = { at: START, note: "Blocklisted" };
    await addToBlocklist(
      database.db,
      run.workspaceId,
      [{ publicIdentifier: "blocked-0", reason: null }],
      change,
    );
    expect(await finished()).toEqual([]);
    await addToBlocklist(
      database.db,
      run.workspaceId,
      [{ publicIdentifier: "blocked-1", reason: null }],
      change,
    );
    expect(await finished()).toEqual([{ campaignId: run.campaignId, name: "Simulation" }]);
  });

  // Two workers' flushes run at once only on PostgreSQL (PGlite has one connection).
  if (backend === "postgres")
    it("says a campaign finished once when its last two leads finish in two flushes at once", async () => {
      const database = await createTestDatabase(backend);
      databases.push(database);
      const run = await prepareSimulation(database, {
        graph: VISIT_THEN_END,
        accounts: ["seat-a", "seat-b"].map((id) => ({
          id,
          pacing: { timeZone: "UTC", workingHours: ALWAYS },
        })),
        leads: [{ publicIdentifier: "lead-a" }, { publicIdentifier: "lead-b" }],
        seed: "two-flushes",
        start: START,
        days: 1,
      });
      await addEndpoint(database, run.workspaceId, ["campaign.finished", "lead.finished"]);
      const seats = [...run.accountIds.values()];
      const active = await database.db
        .select()
        .from(enrollment)
        .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.state, "active")));
      expect(active).toHaveLength(2);
      // Each lead on a seat of its own, leased by a worker of its own: the two flushes lock
      // different seats, so nothing but the campaign makes them wait for each other.
      for (const [i, e] of active.entries()) {
        await database.db
          .update(enrollment)
          .set({
            accountId: seats[i]!,
            leaseOwner: `worker-${i}`,
            leaseExpiresAt: new Date(Date.now() + 60_000),
          })
          .where(eq(enrollment.id, e.id));
      }
      const finish = (i: number) => ({
        owner: `worker-${i}`,
        events: [],
        ops: [
          {
            type: "move" as const,
            enrollmentId: active[i]!.id,
            accountId: seats[i]!,
            change: {
              nodeId: "end",
              stepSeq: active[i]!.stepSeq + 1,
              branch: active[i]!.branch,
              stepState: null,
              state: "done" as const,
              outcome: "visited",
              nextRunAt: START,
              history: [],
            },
          },
        ],
      });
      // The first flush commits only once the second has started.
      let flushed!: () => void;
      const firstFlushed = new Promise<void>((resolve) => {
        flushed = resolve;
      });
      let commit!: () => void;
      const committing = new Promise<void>((resolve) => {
        commit = resolve;
      });
      const first = database.db.transaction(async (tx) => {
        const result = await flushOps(tx as unknown as Database, finish(0));
        flushed();
        await committing;
        return result;
      });
      await firstFlushed;
      const second = flushOps(database.db, finish(1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      commit();
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.results[0])).toEqual([
        { type: "written", held: true },
        { type: "written", held: true },
      ]);
      const finished = await database.db
        .select()
        .from(outboxEvent)
        .where(
          and(
            eq(outboxEvent.workspaceId, run.workspaceId),
            inArray(outboxEvent.type, ["campaign.finished", "lead.finished"]),
          ),
        );
      expect(finished.filter((e) => e.type === "lead.finished")).toHaveLength(2);
      expect(finished.filter((e) => e.type === "campaign.finished")).toHaveLength(1);
    });
});
