import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { InMemorySandboxStore, SandboxWorld } from "@/workflows/providers/sandbox/index";
import { createDatabaseSandboxStore } from "./sandbox-store";

const T0 = Date.UTC(2026, 1, 16, 9);
const DAY = 86_400_000;
const account = { accountId: "acc", providerAccountId: "sbx-acc" };
const settings = {
  defaults: {
    acceptance: { probability: 1 },
    reply: { afterNote: 1, afterMessage: 1, afterInmail: 1 },
    people: { unreachable: 0 },
  },
};

describe.each(BACKENDS)("the sandbox world's replies in the database (%s)", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(() => database.destroy());

  it("keeps each reply's text, language and category, and hands the text out with the event", async () => {
    const world = () =>
      new SandboxWorld({
        seed: "db-replies",
        settings,
        store: createDatabaseSandboxStore(database.db),
      });
    const inMemoryTwin = new SandboxWorld({
      seed: "db-replies",
      settings,
      store: new InMemorySandboxStore(),
    });
    for (let i = 0; i < 5; i++) {
      const lead = { leadId: `l${i}`, publicIdentifier: `person-${i}` };
      const ctx = { idempotencyKey: `note-${i}`, at: new Date(T0) };
      await world().invite(account, lead, { note: "Hello" }, ctx);
      await inMemoryTwin.invite(account, lead, { note: "Hello" }, ctx);
    }
    // Another world object on the same database sees the same words: nothing lives in memory.
    const stored = await world().scheduledEvents({ type: "replied" });
    expect(stored).toHaveLength(5);
    expect(stored.map((event) => event.reply)).toEqual(
      (await inMemoryTwin.scheduledEvents({ type: "replied" })).map((event) => event.reply),
    );
    for (const event of stored) expect(event.reply?.text.length).toBeGreaterThan(0);
    const due = (await world().dueEvents(new Date(T0 + 30 * DAY))).filter(
      (event) => event.type === "replied",
    );
    expect(due.map((event) => event.text).sort()).toEqual(
      stored.map((event) => event.reply!.text).sort(),
    );
  });
});
