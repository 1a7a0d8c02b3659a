import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { buildGraph } from "@/workflows/graph/builder";
import { prepareSimulation, runSimulation } from "../engine/simulation";
import { outboxEvent, webhookDelivery, webhookEndpoint } from "../schema/index";
import { WEBHOOK_EVENT_TYPES } from "./events";

// The engine writes its events to the outbox in the same statements as the changes: every send,
// every lead leaving the campaign, and the campaign's last lead.

const START = new Date("2026-03-02T07:00:00Z");
const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" };

describe.each(BACKENDS)("engine webhook events on %s", (backend) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.destroy();
  });

  it("records action.sent per send, lead.finished per lead and campaign.finished once, each with a delivery", async () => {
    const database = await createTestDatabase(backend);
    databases.push(database);
    const run = await prepareSimulation(database, {
      graph: buildGraph()
        .node("start", "start")
        .node("visit", "visit", {})
        .node("end", "end", { outcome: "visited" })
        .chain("start", "visit", "end")
        .build(),
      accounts: [{ id: "seat", pacing: { timeZone: "UTC", workingHours: ALWAYS } }],
      leads: Array.from({ length: 5 }, (_, i) => ({ publicIdentifier: `lead-${i}` })),
      seed: "webhook-events",
      start: START,
      days: 2,
    });
    const [endpoint] = await database.db
      .insert(webhookEndpoint)
      .values({
        id: randomUUID(),
        workspaceId: run.workspaceId,
        url: "https://crm.example.com/hooks",
        eventTypes: [...WEBHOOK_EVENT_TYPES],
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      })
      .returning();
    await runSimulation(database, run);

    const events = await database.db
      .select()
      .from(outboxEvent)
      .where(eq(outboxEvent.workspaceId, run.workspaceId));
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count("action.sent")).toBe(5);
    expect(count("lead.finished")).toBe(5);
    expect(count("campaign.finished")).toBe(1);
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
});
