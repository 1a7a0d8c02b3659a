import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { createSenderAccount } from "../queries/launch";
import { inboundEvent, organization } from "../schema/index";
import { ingestEvent } from "./events";

// Event ids come from each workspace's own Unipile instance: two instances can hand out the
// same id, so uniqueness is per workspace and seat, never across tenants.

describe.each(BACKENDS)("inbound event ids on %s", (backend) => {
  let database: TestDatabase;
  const workspaces: string[] = [];
  const at = new Date("2026-03-02T10:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    for (const name of ["Tenant A", "Tenant B"]) {
      const id = randomUUID();
      await database.db.insert(organization).values({ id, name, slug: `t-${id}` });
      workspaces.push(id);
      for (const seat of ["one", "two"]) {
        await createSenderAccount(database.db, id, {
          name: `${name} ${seat}`,
          provider: "unipile",
          providerAccountId: `${id}-${seat}`,
          pacing: { timeZone: "UTC" },
        });
      }
    }
  }, 120_000);

  afterAll(async () => {
    await database?.destroy();
  });

  const event = (providerAccountId: string) => ({
    externalId: "message:same-id-everywhere",
    type: "replied" as const,
    providerAccountId,
    leadProviderId: "ACoNOBODY",
    chatId: "chat-1",
    occurredAt: at,
  });

  it("two tenants' events with the same id are both stored; a repeat within a seat is a duplicate", async () => {
    const [a, b] = workspaces as [string, string];
    expect(await ingestEvent(database.db, "unipile", event(`${a}-one`), at)).toBe("stored");
    expect(await ingestEvent(database.db, "unipile", event(`${b}-one`), at)).toBe("stored");
    // Another seat of the same workspace, same id: a different event too.
    expect(await ingestEvent(database.db, "unipile", event(`${a}-two`), at)).toBe("stored");
    expect(await ingestEvent(database.db, "unipile", event(`${a}-one`), at)).toBe("duplicate");
    expect(await ingestEvent(database.db, "unipile", event(`${b}-one`), at)).toBe("duplicate");

    const rows = await database.db
      .select({ workspaceId: inboundEvent.workspaceId })
      .from(inboundEvent)
      .where(eq(inboundEvent.externalId, "message:same-id-everywhere"));
    expect(rows.map((r) => r.workspaceId).sort()).toEqual([a, a, b].sort());
  });
});
