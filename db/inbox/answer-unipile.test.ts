import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerConversation, reconcileAnswers } from "@/server/inbox/answer";
import { createProviderRouter } from "@/server/runtime/provider-router";
import { createUnipileAdapters } from "@/server/unipile/adapters";
import { encryptSecret, requireEncryptionKey } from "@/server/unipile/crypto";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { FakeUnipile } from "@/test/fake-unipile/server";
import { InMemorySandboxStore, SandboxWorld } from "@/workflows/providers/sandbox/index";
import type { Provider } from "@/workflows/providers/types";
import { createSenderAccount, upsertLeads } from "../queries/launch";
import { saveProviderCredential } from "../queries/unipile";
import { lead, message, organization } from "../schema/index";
import { upsertConversation } from "./messages";

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");

const NOW = new Date("2026-03-03T10:00:00Z");

describe.each(BACKENDS)("an answer through Unipile on %s", (backend) => {
  let database: TestDatabase;
  let fake: FakeUnipile;
  let provider: Provider;
  let workspaceId: string;
  let accountId: string;

  /** A first-degree lead's conversation of its own, with no answer in its chat yet. */
  async function conversationWith(publicIdentifier: string) {
    const { db } = database;
    const person = fake.person(publicIdentifier, { networkDistance: "FIRST_DEGREE" });
    const [leadId] = await upsertLeads(db, workspaceId, [{ publicIdentifier, firstName: "Zoe" }]);
    await db
      .update(lead)
      .set({ providerId: person.providerId })
      .where(eq(lead.id, leadId as string));
    return upsertConversation(db, {
      workspaceId,
      accountId,
      leadId: leadId as string,
      chatId: null,
      at: NOW,
      text: "Happy to chat",
      reply: { category: "interested" },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    fake = await new FakeUnipile({ now: () => NOW }).start();
    const { db } = database;
    workspaceId = randomUUID();
    await db
      .insert(organization)
      .values({ id: workspaceId, name: "Real", slug: `r-${workspaceId}` });
    await saveProviderCredential(db, workspaceId, {
      dsn: fake.baseUrl,
      apiKeyCiphertext: encryptSecret(fake.apiKey, requireEncryptionKey(), workspaceId),
      at: NOW,
    });
    fake.seat("uni-answer-seat");
    accountId = await createSenderAccount(db, workspaceId, {
      name: "Seat",
      provider: "unipile",
      providerAccountId: "uni-answer-seat",
      pacing: { timeZone: "UTC" },
    });
    provider = createProviderRouter({
      db,
      sandbox: new SandboxWorld({ seed: "unused", store: new InMemorySandboxStore() }),
      unipile: createUnipileAdapters(db, { timeoutMs: 2000 }),
    });
  });

  afterAll(async () => {
    await fake?.stop();
    await database?.destroy();
  });

  const send = (
    conversationId: string,
    key: string,
    through: Provider = provider,
    beforeSend?: () => void,
  ) =>
    answerConversation(database.db, through, {
      workspaceId,
      conversationId,
      user: { id: "u1", name: "Ada" },
      text: `Tuesday at 10? (${key})`,
      key,
      now: NOW,
      ...(beforeSend ? { beforeSend } : {}),
    });
  const delivered = (key: string) =>
    fake.sends.filter((s) => s.kind === "message" && s.text === `Tuesday at 10? (${key})`).length;

  it("killed after its intent is committed, it is reconciled and sent at most once", async () => {
    // Its own chat: the answer found there on reconciling can only be this one.
    const conversationId = await conversationWith("zoe-crashes");
    await expect(
      send(conversationId, "uni-crash-1", provider, () => {
        throw new Error("killed");
      }),
    ).rejects.toThrow("killed");
    const [left] = await database.db
      .select()
      .from(message)
      .where(eq(message.idempotencyKey, `answer:${conversationId}:uni-crash-1`));
    expect(left?.status).toBe("intent");
    expect(await reconcileAnswers(database.db, provider, { settleMs: 0 })).toEqual({
      sent: 0,
      failed: 1,
    });
    // A retry of the same key answers the recorded failure: LinkedIn never gets it.
    expect(await send(conversationId, "uni-crash-1")).toMatchObject({
      status: "failed",
      created: false,
    });
    expect(delivered("uni-crash-1")).toBe(0);
  });

  it("is sent once, and a repeat of its key sends nothing", async () => {
    const conversationId = await conversationWith("zoe-answers");
    expect(await send(conversationId, "uni-once-1")).toMatchObject({
      status: "sent",
      created: true,
    });
    expect(await send(conversationId, "uni-once-1")).toMatchObject({
      status: "sent",
      created: false,
    });
    expect(delivered("uni-once-1")).toBe(1);
  });
});
