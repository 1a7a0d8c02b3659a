import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordSentText } from "@/db/inbox/messages";
import { createCampaign, createSenderAccount, enrollLeads, upsertLeads } from "@/db/queries/launch";
import { saveProviderCredential } from "@/db/queries/unipile";
import {
  action,
  blocklistEntry,
  conversation,
  enrollment,
  inboundEvent,
  lead,
  message,
  organization,
  senderAccount,
} from "@/db/schema/index";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { FakeUnipile } from "@/test/fake-unipile/server";
import { starterTemplates } from "@/workflows/templates/index";
import { createUnipileAdapters, type UnipileAdapters } from "./adapters";
import { runDueInboxBackfills } from "./backfill";
import { encryptSecret, requireEncryptionKey } from "./crypto";
import {
  applyAccountStatus,
  processUnipileDelivery,
  receiveUnipileWebhook,
  webhookSecretFor,
} from "./webhooks";

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date("2026-03-20T10:00:00Z");
const FIRST_CONTACT = new Date("2026-03-10T09:00:00Z");
const SEAT = "uni-backfill-seat";

describe.each(BACKENDS)("the inbox backfill after a (re)connection on %s", (backend) => {
  let database: TestDatabase;
  let fake: FakeUnipile;
  let adapters: UnipileAdapters;
  let workspaceId: string;
  let accountId: string;
  const leadIds = new Map<string, string>();
  let anaReply: Record<string, unknown>;

  async function threadOf(publicIdentifier: string) {
    const [row] = await database.db
      .select()
      .from(conversation)
      .where(
        and(
          eq(conversation.accountId, accountId),
          eq(conversation.leadId, leadIds.get(publicIdentifier) ?? ""),
        ),
      );
    if (!row) return null;
    const messages = await database.db
      .select()
      .from(message)
      .where(eq(message.conversationId, row.id))
      .orderBy(asc(message.at));
    return { ...row, messages };
  }

  const repliesOf = (publicIdentifier: string) =>
    database.db
      .select()
      .from(inboundEvent)
      .where(
        and(
          eq(inboundEvent.leadId, leadIds.get(publicIdentifier) ?? ""),
          eq(inboundEvent.type, "replied"),
        ),
      );

  const blocked = async () =>
    (
      await database.db
        .select()
        .from(blocklistEntry)
        .where(eq(blocklistEntry.workspaceId, workspaceId))
    ).map((row) => row.publicIdentifier);

  async function reconnect(at: Date) {
    await database.db
      .update(senderAccount)
      .set({ status: "needs_reconnect" })
      .where(eq(senderAccount.id, accountId));
    expect(await applyAccountStatus(database.db, accountId, "RECONNECTED", at)).toBe(true);
    return runDueInboxBackfills(database.db, adapters, at);
  }

  // Each test starts from a seat that has never been backfilled: a database and a fake of its own.
  beforeEach(async () => {
    database = await createTestDatabase(backend);
    fake = await new FakeUnipile({ now: () => NOW }).start();
    const { db } = database;
    workspaceId = randomUUID();
    await db
      .insert(organization)
      .values({ id: workspaceId, name: "Backfill", slug: `b-${workspaceId}` });
    await saveProviderCredential(db, workspaceId, {
      dsn: fake.baseUrl,
      apiKeyCiphertext: encryptSecret(fake.apiKey, requireEncryptionKey(), workspaceId),
      at: NOW,
    });
    fake.seat(SEAT);
    accountId = await createSenderAccount(db, workspaceId, {
      name: "Seat",
      provider: "unipile",
      providerAccountId: SEAT,
      pacing: { timeZone: "UTC" },
    });
    adapters = createUnipileAdapters(db, { timeoutMs: 2000 });
    const template = starterTemplates.find((t) => t.id === "connect-then-follow-up");
    const { campaignId } = await createCampaign(db, workspaceId, {
      name: "Follow-up",
      graph: template?.graph as never,
      accountIds: [accountId],
    });
    const names = ["ana-contacted", "bo-history"];
    const ids = await upsertLeads(
      db,
      workspaceId,
      names.map((publicIdentifier) => ({ publicIdentifier, firstName: "X" })),
    );
    for (const [i, name] of names.entries()) {
      const id = ids[i] as string;
      leadIds.set(name, id);
      await db
        .update(lead)
        .set({ providerId: fake.person(name).providerId })
        .where(eq(lead.id, id));
    }
    // Ana was written to by the campaign on FIRST_CONTACT, its text recorded under the message id.
    const anaId = leadIds.get("ana-contacted") as string;
    await enrollLeads(db, workspaceId, campaignId, [anaId], { now: FIRST_CONTACT });
    const [row] = await db.select().from(enrollment).where(eq(enrollment.leadId, anaId));
    fake.reply(
      SEAT,
      "ana-contacted",
      "Hi, we met at the fair",
      new Date(FIRST_CONTACT.getTime() - 2 * DAY),
    );
    const sentId = fake.write(SEAT, "ana-contacted", "Hello Ana, a quick question", FIRST_CONTACT);
    const chatId = fake.chatWith(SEAT, "ana-contacted") as string;
    await db.insert(action).values({
      id: randomUUID(),
      workspaceId,
      idempotencyKey: `${row?.id}:1:0`,
      enrollmentId: row?.id as string,
      campaignId,
      leadId: anaId,
      accountId,
      nodeId: "message",
      kind: "message",
      hasText: true,
      branch: "",
      status: "sent",
      localDate: "2026-03-10",
      chatId,
      createdAt: FIRST_CONTACT,
      sentAt: FIRST_CONTACT,
    });
    await recordSentText(db, {
      accountId,
      leadId: anaId,
      idempotencyKey: `${row?.id}:1:0`,
      kind: "message",
      subject: null,
      text: "Hello Ana, a quick question",
      at: FIRST_CONTACT,
      chatId,
      reference: sentId,
    });
    // Written while Outflow was not listening: Ana's reply (its webhook never came).
    anaReply = fake.reply(
      SEAT,
      "ana-contacted",
      "Interested, let's talk next week",
      new Date(FIRST_CONTACT.getTime() + DAY),
    );
    // Bo wrote before any campaign; a stranger (no lead) wrote too; an old chat is out of reach.
    fake.reply(SEAT, "bo-history", "Hey, long time no see", new Date(NOW.getTime() - 5 * DAY));
    fake.write(SEAT, "bo-history", "Indeed! Coffee soon?", new Date(NOW.getTime() - 4 * DAY));
    fake.reply(SEAT, "stranger-person", "Hello from nobody", new Date(NOW.getTime() - DAY));
    fake.reply(SEAT, "ancient-person", "Years ago", new Date(NOW.getTime() - 60 * DAY));
    await upsertLeads(db, workspaceId, [{ publicIdentifier: "ancient-person", firstName: "A" }]);
  });

  afterEach(async () => {
    await fake?.stop();
    await database?.destroy();
  });

  it("reads the seat's recent chats back in the background: threads stored, the new reply counted once, history kept as history", async () => {
    const { db } = database;
    // Asked for by the reconnection, done by the engine's background, not in the webhook.
    await db
      .update(senderAccount)
      .set({ status: "needs_reconnect" })
      .where(eq(senderAccount.id, accountId));
    expect(await applyAccountStatus(db, accountId, "RECONNECTED", NOW)).toBe(true);
    const [due] = await db.select().from(senderAccount).where(eq(senderAccount.id, accountId));
    expect(due?.inboxBackfillDueAt?.toISOString()).toBe(NOW.toISOString());
    expect(await threadOf("bo-history")).toBeNull();
    expect(await runDueInboxBackfills(db, adapters, NOW)).toBe(1);

    const ana = await threadOf("ana-contacted");
    expect(ana?.messages.map((m) => [m.direction, m.origin, m.text])).toEqual([
      ["in", "lead", "Hi, we met at the fair"],
      ["out", "automated", "Hello Ana, a quick question"],
      ["in", "lead", "Interested, let's talk next week"],
    ]);
    expect(ana?.messages[2]?.category).toBe("interested");
    expect(ana?.unread).toBe(true);
    expect(await repliesOf("ana-contacted")).toHaveLength(1);

    // History from before any campaign: stored, not a reply, not unread.
    const bo = await threadOf("bo-history");
    expect(bo?.messages.map((m) => [m.direction, m.origin, m.text])).toEqual([
      ["in", "lead", "Hey, long time no see"],
      ["out", "linkedin", "Indeed! Coffee soon?"],
    ]);
    expect(bo?.unread).toBe(false);
    expect(await repliesOf("bo-history")).toHaveLength(0);
    const conversations = await db
      .select()
      .from(conversation)
      .where(eq(conversation.accountId, accountId));
    expect(conversations).toHaveLength(2);
    const [done] = await db.select().from(senderAccount).where(eq(senderAccount.id, accountId));
    expect(done?.inboxBackfillDueAt).toBeNull();
    expect(await runDueInboxBackfills(db, adapters, NOW)).toBe(0);
    // Every request matched what the SDK sends (the fake refuses anything else).
    expect(fake.refused).toEqual([]);
    expect(fake.requests.some((r) => r.method === "GET" && r.path === "/api/v1/chats")).toBe(true);
  });

  it("stores a later webhook of a backfilled message once, and a second reconnection replays nothing new", async () => {
    const { db } = database;
    // The first reconnection's backfill (what it stores is the test above's).
    expect(await reconnect(NOW)).toBe(1);
    const before = (await threadOf("ana-contacted"))?.messages.length;
    expect(before).toBe(3);
    // Unipile delivers the webhook of Ana's reply after all.
    const receipt = await receiveUnipileWebhook(
      db,
      {
        workspaceId,
        secret: webhookSecretFor(workspaceId),
        body: async () => JSON.stringify(anaReply),
      },
      NOW,
    );
    expect(receipt.status).toBe(200);
    await processUnipileDelivery(db, receipt.deliveryId as number, NOW);
    expect((await threadOf("ana-contacted"))?.messages).toHaveLength(before as number);
    expect(await repliesOf("ana-contacted")).toHaveLength(1);

    // Reconnected again: everything is replayed by Unipile, nothing is new.
    const later = new Date(NOW.getTime() + 60_000);
    expect(await reconnect(later)).toBe(1);
    expect((await threadOf("ana-contacted"))?.messages).toHaveLength(before as number);
    expect((await threadOf("bo-history"))?.messages).toHaveLength(2);
    expect(await repliesOf("ana-contacted")).toHaveLength(1);

    // A message written while the seat was away is the only thing a third one brings: Ana asks
    // to stop, and is blocked.
    fake.reply(
      SEAT,
      "ana-contacted",
      "Please remove me from your list and stop contacting me.",
      new Date(NOW.getTime() + 90_000),
    );
    expect(await reconnect(new Date(NOW.getTime() + 120_000))).toBe(1);
    const thread = await threadOf("ana-contacted");
    expect(thread?.messages).toHaveLength((before as number) + 1);
    expect(thread?.messages.at(-1)?.category).toBe("unsubscribe");
    expect(await repliesOf("ana-contacted")).toHaveLength(2);
    expect(await blocked()).toEqual(["ana-contacted"]);
    // A person takes her off the blocklist; the next reconnection replays the old "stop", which
    // must not block her again.
    await db.delete(blocklistEntry).where(eq(blocklistEntry.workspaceId, workspaceId));
    expect(await reconnect(new Date(NOW.getTime() + 180_000))).toBe(1);
    expect(await blocked()).toEqual([]);
    expect(await repliesOf("ana-contacted")).toHaveLength(2);
    expect((await threadOf("ana-contacted"))?.messages).toHaveLength((before as number) + 1);
  });
});
