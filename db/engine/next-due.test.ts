import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { buildGraph } from "@/workflows/graph/builder";
import { campaign, enrollment, lead, sandboxEvent, senderAccount } from "../schema/index";
import { nextDueAfter } from "./next-due";
import { prepareSimulation, type SimulationRun } from "./simulation";

const START = new Date("2026-03-02T08:00:00Z");
const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

const GRAPH = buildGraph()
  .node("start", "start")
  .node("connect", "connect", { noteVariants: [], skipIfConnected: true })
  .node("end", "end", { outcome: "finished" })
  .chain("start", "connect", "end")
  .build();

describe("the next instant the engine has work", () => {
  let handle: TestDatabase;
  let run: SimulationRun;

  async function wakeAt(publicIdentifier: string, minutes: number) {
    const ids = handle.db
      .select({ id: lead.id })
      .from(lead)
      .where(eq(lead.publicIdentifier, publicIdentifier));
    await handle.db
      .update(enrollment)
      .set({ nextRunAt: at(minutes) })
      .where(inArray(enrollment.leadId, ids));
  }

  beforeAll(async () => {
    handle = await createTestDatabase("pglite");
    run = await prepareSimulation(handle, {
      graph: GRAPH,
      accounts: [{ id: "acct-next", pacing: { timeZone: "Europe/Paris" } }],
      leads: ["ada", "grace", "hedy"].map((publicIdentifier) => ({ publicIdentifier })),
      seed: "next-due-test",
      start: START,
      days: 1,
    });
    await wakeAt("ada", -5);
    await wakeAt("grace", 30);
    await wakeAt("hedy", 90);
  });
  afterAll(async () => {
    await handle?.destroy();
  });

  it("is the first waiting lead strictly after now", async () => {
    expect(await nextDueAfter(handle.db, START)).toEqual(at(30));
    expect(await nextDueAfter(handle.db, at(30))).toEqual(at(90));
    expect(await nextDueAfter(handle.db, at(90))).toBeNull();
  });

  it("leaves out leads the engine would not claim: a paused campaign or seat", async () => {
    await handle.db
      .update(campaign)
      .set({ status: "paused" })
      .where(eq(campaign.id, run.campaignId));
    expect(await nextDueAfter(handle.db, START)).toBeNull();
    await handle.db
      .update(campaign)
      .set({ status: "running" })
      .where(eq(campaign.id, run.campaignId));
    const accountId = run.accountIds.get("acct-next")!;
    await handle.db
      .update(senderAccount)
      .set({ status: "paused" })
      .where(eq(senderAccount.id, accountId));
    expect(await nextDueAfter(handle.db, START)).toBeNull();
    await handle.db
      .update(senderAccount)
      .set({ status: "active" })
      .where(eq(senderAccount.id, accountId));
    expect(await nextDueAfter(handle.db, START)).toEqual(at(30));
  });

  it("counts a sandbox acceptance or reply still to deliver", async () => {
    await handle.db.insert(sandboxEvent).values({
      externalId: "next-due-event",
      type: "accepted",
      providerAccountId: "acct-next",
      leadPublicIdentifier: "ada",
      occurredAt: at(10),
      event: {},
    });
    expect(await nextDueAfter(handle.db, START)).toEqual(at(10));
    await handle.db
      .update(sandboxEvent)
      .set({ deliveredAt: at(10) })
      .where(eq(sandboxEvent.externalId, "next-due-event"));
    expect(await nextDueAfter(handle.db, START)).toEqual(at(30));
  });
});
