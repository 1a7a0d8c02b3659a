import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSenderAccount } from "@/db/queries/launch";
import { saveProviderCredential } from "@/db/queries/unipile";
import { organization } from "@/db/schema/index";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { FakeUnipile } from "@/test/fake-unipile/server";
import type { Provider, ProviderOutcome } from "@/workflows/providers/types";
import { createUnipileAdapters } from "../unipile/adapters";
import { encryptSecret, requireEncryptionKey } from "../unipile/crypto";
import { createProviderRouter } from "./provider-router";

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");

const ctx = { idempotencyKey: "k", at: new Date("2026-03-02T09:00:00Z") };

/** A sandbox stand-in that only says who it was asked for. */
function recordingSandbox(calls: string[]): Provider {
  const sent = async (
    _kind: string,
    account: { providerAccountId: string },
  ): Promise<ProviderOutcome> => {
    calls.push(account.providerAccountId);
    return { status: "sent" };
  };
  return {
    name: "sandbox",
    perform: sent,
    reconcile: async () => ({ status: "not_sent" }),
    inmailBalance: async () => null,
  };
}

describe.each(BACKENDS)("the provider router on %s", (backend) => {
  let database: TestDatabase;
  let fake: FakeUnipile;

  async function workspace(name: string) {
    const id = randomUUID();
    await database.db.insert(organization).values({ id, name, slug: `${name}-${id}` });
    return id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    fake = await new FakeUnipile().start();
  });
  afterAll(async () => {
    await fake?.stop();
    await database?.destroy();
  });

  it("sends each seat's calls to its own provider, and holds a real seat without credentials", async () => {
    const configured = await workspace("configured");
    const bare = await workspace("bare");
    await saveProviderCredential(database.db, configured, {
      dsn: fake.baseUrl,
      apiKeyCiphertext: encryptSecret(fake.apiKey, requireEncryptionKey(), configured),
      at: ctx.at,
    });
    const pacing = { timeZone: "Europe/Paris" };
    const seat = async (workspaceId: string, provider: "sandbox" | "unipile", id: string) => ({
      accountId: await createSenderAccount(database.db, workspaceId, {
        name: id,
        provider,
        providerAccountId: id,
        pacing,
      }),
      providerAccountId: id,
    });
    const sandboxSeat = await seat(configured, "sandbox", "sandbox-seat");
    const realSeat = await seat(configured, "unipile", "uni-real");
    const unconfiguredSeat = await seat(bare, "unipile", "uni-bare");
    const calls: string[] = [];
    const router = createProviderRouter({
      db: database.db,
      sandbox: recordingSandbox(calls),
      unipile: createUnipileAdapters(database.db),
    });
    const lead = { leadId: "l1", publicIdentifier: "router-lead", providerId: null };

    expect(await router.perform("visit", sandboxSeat, lead, {}, ctx)).toEqual({ status: "sent" });
    expect(calls).toEqual(["sandbox-seat"]);

    expect(await router.perform("visit", realSeat, lead, {}, ctx)).toMatchObject({
      status: "sent",
    });
    expect(fake.sends).toEqual([
      expect.objectContaining({ kind: "visit", accountId: "uni-real", notify: true }),
    ]);

    const held = await router.perform("visit", unconfiguredSeat, lead, {}, ctx);
    expect(held).toMatchObject({ status: "limited" });
    expect(held.status === "limited" ? held.detail : "").toMatch(/No Unipile credentials/);
    expect(calls).toEqual(["sandbox-seat"]);
    expect(fake.sends).toHaveLength(1);
  });
});
