import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createCampaign, createSenderAccount, enrollLeads, upsertLeads } from "@/db/queries/launch";
import { UNIPILE_DELIVERY_PROVIDER } from "@/db/queries/unipile";
import {
  action,
  enrollment,
  inboundEvent,
  lead,
  organization,
  senderAccount,
} from "@/db/schema/index";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { accountStatusWebhook } from "@/test/fake-unipile/server";
import { starterTemplates } from "@/workflows/templates/index";
import { webhookSecretFor } from "./webhooks";

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");

// The route answers first and processes after the response (next/server's `after`); here the
// deferred work is collected and run when the test says so.
const deferred = vi.hoisted(() => ({ tasks: [] as Array<() => unknown> }));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (task: () => unknown) => {
    deferred.tasks.push(task);
  },
}));

const webhookRoute = await import("@/app/api/webhooks/unipile/route");

const FIRST_CONTACT = new Date("2026-03-02T09:00:00Z");
const LATER = "2026-03-03T10:00:00.000Z";
const FAR_FUTURE = new Date("2030-01-01T00:00:00Z");
const SEAT = "uni-seat-webhooks";
const OWN_MEMBER_ID = "ACoSEATOWN";

async function runDeferred() {
  const tasks = deferred.tasks.splice(0);
  for (const task of tasks) await task();
  return tasks.length;
}

describe.each(BACKENDS)("Unipile webhooks on %s", (backend) => {
  let database: TestDatabase;
  let workspaceId: string;
  let accountId: string;
  let leadIds: Map<string, string>;
  const people = {
    lea: { publicIdentifier: "lea-replies", providerId: "ACoLEA", chatId: "chat-lea" },
    max: { publicIdentifier: "max-new-chat", providerId: "ACoMAX", chatId: "chat-max" },
    noa: { publicIdentifier: "noa-accepts", providerId: "ACoNOA", chatId: null },
  };

  function post(body: unknown, init: { secret?: string | null; workspace?: string } = {}) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const secret = init.secret === undefined ? webhookSecretFor(workspaceId) : init.secret;
    if (secret !== null) headers["Unipile-Auth"] = secret;
    return webhookRoute.POST(
      new Request(
        `http://localhost:3000/api/webhooks/unipile?workspace=${init.workspace ?? workspaceId}`,
        { method: "POST", headers, body: JSON.stringify(body) },
      ),
    );
  }

  function message(who: keyof typeof people, overrides: Record<string, unknown> = {}) {
    const person = people[who];
    return {
      event: "message_received",
      account_id: SEAT,
      account_type: "LINKEDIN",
      chat_id: person.chatId ?? `chat-${who}`,
      message_id: `msg-${randomUUID()}`,
      message: "Sounds interesting, tell me more",
      timestamp: LATER,
      sender: { attendee_provider_id: person.providerId, attendee_name: who },
      ...overrides,
    };
  }

  async function enrollmentOf(who: keyof typeof people) {
    const [row] = await database.db
      .select()
      .from(enrollment)
      .where(eq(enrollment.leadId, leadIds.get(people[who].publicIdentifier)!));
    return row!;
  }

  async function eventsOf(who: keyof typeof people, type: string) {
    return database.db
      .select()
      .from(inboundEvent)
      .where(
        and(
          eq(inboundEvent.leadId, leadIds.get(people[who].publicIdentifier)!),
          eq(inboundEvent.type, type),
        ),
      );
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    workspaceId = randomUUID();
    await database.db
      .insert(organization)
      .values({ id: workspaceId, name: "Webhooks", slug: `webhooks-${workspaceId}` });
    accountId = await createSenderAccount(database.db, workspaceId, {
      name: "Real seat",
      provider: "unipile",
      providerAccountId: SEAT,
      pacing: { timeZone: "Europe/Paris" },
    });
    const template = starterTemplates.find((t) => t.id === "connect-then-follow-up")!;
    const { campaignId } = await createCampaign(database.db, workspaceId, {
      name: "Follow-up",
      graph: template.graph,
      accountIds: [accountId],
    });
    const ids = await upsertLeads(
      database.db,
      workspaceId,
      Object.values(people).map((p) => ({ publicIdentifier: p.publicIdentifier })),
    );
    leadIds = new Map(Object.values(people).map((p, i) => [p.publicIdentifier, ids[i]!]));
    await enrollLeads(database.db, workspaceId, campaignId, ids, { now: FIRST_CONTACT });
    for (const person of Object.values(people)) {
      const leadId = leadIds.get(person.publicIdentifier)!;
      await database.db
        .update(lead)
        .set({ providerId: person.providerId })
        .where(eq(lead.id, leadId));
      const [row] = await database.db
        .select({ id: enrollment.id })
        .from(enrollment)
        .where(eq(enrollment.leadId, leadId));
      // What the engine left behind: the lead was written to (Lea in a known chat), and now
      // waits on a condition far in the future.
      await database.db.insert(action).values({
        id: randomUUID(),
        workspaceId,
        idempotencyKey: `${row!.id}:1:0`,
        enrollmentId: row!.id,
        campaignId,
        leadId,
        accountId,
        nodeId: "connect",
        kind: person.chatId === "chat-lea" ? "message" : "connect",
        hasText: true,
        branch: "",
        status: "sent",
        localDate: "2026-03-02",
        chatId: person.chatId === "chat-lea" ? person.chatId : null,
        createdAt: FIRST_CONTACT,
        sentAt: FIRST_CONTACT,
      });
    }
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(async () => {
    deferred.tasks.length = 0;
    await database.db
      .update(enrollment)
      .set({ nextRunAt: FAR_FUTURE })
      .where(eq(enrollment.workspaceId, workspaceId));
  });

  it("answers 401 to a delivery without the secret, with a wrong one or another workspace's, and stores nothing", async () => {
    const otherWorkspace = randomUUID();
    const refused = [message("lea"), message("lea"), message("lea"), message("lea")];
    for (const response of [
      await post(refused[0], { secret: null }),
      await post(refused[1], { secret: "not-the-secret" }),
      await post(refused[2], { secret: webhookSecretFor(otherWorkspace) }),
      await post(refused[3], { workspace: otherWorkspace }),
    ]) {
      expect(response.status).toBe(401);
    }
    // Nothing of these four deliveries (other tests store deliveries of their own).
    const stored = await database.db
      .select()
      .from(inboundEvent)
      .where(eq(inboundEvent.provider, UNIPILE_DELIVERY_PROVIDER));
    expect(
      stored.filter((row) => refused.some((m) => row.externalId.endsWith(`:${m.message_id}`))),
    ).toEqual([]);
    expect(deferred.tasks).toEqual([]);
  });

  it("stores a reply, answers 200 before processing it, then wakes the lead's enrollment", async () => {
    const delivery = message("lea");
    const response = await post(delivery);
    expect(response.status).toBe(200);
    // Answered, stored, not yet processed.
    const [raw] = await database.db
      .select()
      .from(inboundEvent)
      .where(eq(inboundEvent.externalId, `${workspaceId}|message:${delivery.message_id}`));
    expect(raw).toMatchObject({ provider: UNIPILE_DELIVERY_PROVIDER, processedAt: null });
    // Lea's replies so far, from other tests' deliveries.
    const before = await eventsOf("lea", "replied");
    expect(before.map((row) => row.externalId)).not.toContain(`message:${delivery.message_id}`);
    expect((await enrollmentOf("lea")).nextRunAt).toEqual(FAR_FUTURE);

    expect(await runDeferred()).toBe(1);
    const replies = await eventsOf("lea", "replied");
    expect(replies).toHaveLength(before.length + 1);
    expect(
      replies.find((row) => row.externalId === `message:${delivery.message_id}`),
    ).toMatchObject({ chatId: "chat-lea", occurredAt: new Date(LATER) });
    expect((await enrollmentOf("lea")).nextRunAt.getTime()).toBeLessThan(FAR_FUTURE.getTime());
  });

  it("processes a duplicate delivery once", async () => {
    const delivery = message("lea", { message_id: "msg-duplicate" });
    const first = await post(delivery);
    const second = await post(delivery);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toMatchObject({ duplicate: true });
    expect(await runDeferred()).toBe(1);
    const stored = await database.db
      .select()
      .from(inboundEvent)
      .where(
        inArray(inboundEvent.externalId, [
          "message:msg-duplicate",
          `${workspaceId}|message:msg-duplicate`,
        ]),
      );
    // The raw delivery and the reply event, one each.
    expect(stored.map((row) => row.provider).sort()).toEqual([
      "unipile",
      UNIPILE_DELIVERY_PROVIDER,
    ]);
  });

  it("the seat's own messages in the lead's chat are not replies", async () => {
    const before = (await eventsOf("lea", "replied")).length;
    await post(
      message("lea", { sender: { attendee_provider_id: OWN_MEMBER_ID, attendee_name: "Me" } }),
    );
    await runDeferred();
    expect(await eventsOf("lea", "replied")).toHaveLength(before);
    expect((await enrollmentOf("lea")).nextRunAt).toEqual(FAR_FUTURE);
  });

  it("a message from the lead's member id counts in a chat Outflow did not know; a replayed old one does not", async () => {
    await post(message("max", { timestamp: "2026-02-20T08:00:00.000Z" }));
    await runDeferred();
    expect(await eventsOf("max", "replied")).toEqual([]);
    expect((await enrollmentOf("max")).nextRunAt).toEqual(FAR_FUTURE);

    await post(message("max"));
    await runDeferred();
    expect(await eventsOf("max", "replied")).toHaveLength(1);
    expect((await enrollmentOf("max")).nextRunAt.getTime()).toBeLessThan(FAR_FUTURE.getTime());
  });

  it("a new relation records the acceptance and wakes the lead", async () => {
    const response = await post({
      event: "new_relation",
      account_id: SEAT,
      account_type: "LINKEDIN",
      user_full_name: "Noa Example",
      user_provider_id: people.noa.providerId,
      user_public_identifier: people.noa.publicIdentifier,
    });
    expect(response.status).toBe(200);
    await runDeferred();
    expect(await eventsOf("noa", "accepted")).toHaveLength(1);
    expect((await enrollmentOf("noa")).nextRunAt.getTime()).toBeLessThan(FAR_FUTURE.getTime());
  });

  it("account status: needs reconnecting, stopped, working again; a person's pause stays", async () => {
    const statusOf = async () =>
      (
        await database.db
          .select({ status: senderAccount.status })
          .from(senderAccount)
          .where(eq(senderAccount.id, accountId))
      )[0]!.status;
    await post(accountStatusWebhook(SEAT, "CREDENTIALS"));
    await runDeferred();
    expect(await statusOf()).toBe("needs_reconnect");
    await post(accountStatusWebhook(SEAT, "STOPPED"));
    await runDeferred();
    expect(await statusOf()).toBe("stopped");
    await post(accountStatusWebhook(SEAT, "OK"));
    await runDeferred();
    expect(await statusOf()).toBe("active");

    await database.db
      .update(senderAccount)
      .set({ status: "paused" })
      .where(eq(senderAccount.id, accountId));
    await post(accountStatusWebhook(SEAT, "ERROR"));
    await runDeferred();
    expect(await statusOf()).toBe("paused");
    await database.db
      .update(senderAccount)
      .set({ status: "active" })
      .where(eq(senderAccount.id, accountId));
  });
});
