import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiKey, member, user } from "@/db/schema/index";
import { hashApiKey } from "@/server/api-keys/api-key-shared";
import { callApi } from "@/test/api-v1";
import { callRoute as call, joinAsMember, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";

const keysRoute = await import("@/app/api/workspace/api-keys/route");
const keyRoute = await import("@/app/api/workspace/api-keys/[keyId]/route");
const accountsRoute = await import("@/app/api/accounts/route");
const campaignsRoute = await import("@/app/api/campaigns/route");

describe.each(BACKENDS)("API keys on %s", (backend) => {
  let database: TestDatabase;
  let ada: string;
  let bob: string;
  let dave: string;
  let adaCampaignId: string;

  const createKey = (cookie: string, body: unknown) =>
    call(keysRoute.POST, "/api/workspace/api-keys", { method: "POST", cookie, body });

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ada = (await signUp("Ada Lovelace", "ada@example.com")).cookie;
    bob = (await signUp("Bob Byron", "bob@example.com")).cookie;
    dave = (await signUp("Dave Ng", "dave@example.com")).cookie;
    await joinAsMember(ada, dave, "dave@example.com");
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: ada,
      body: { name: "Ada's seat", timeZone: "Europe/Paris" },
    });
    const campaign = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie: ada,
      body: { name: "Paris", templateId: "connect-then-follow-up", accountIds: [account.body.id] },
    });
    expect(campaign.status).toBe(201);
    adaCampaignId = campaign.body.id;
  });

  afterAll(async () => {
    await database?.destroy();
  });

  afterEach(() => {
    delete process.env.OUTFLOW_API_RATE_LIMIT;
  });

  it("shows a key once, stores only its hash, lists it without the key, and records its last use", async () => {
    const created = await createKey(ada, { name: "CRM sync", scope: "write" });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key).toMatch(/^ofk_[A-Za-z0-9_-]{40,}$/);
    const [row] = await database.db.select().from(apiKey).where(eq(apiKey.id, created.body.id));
    expect(row?.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(10));
    // Other tests of this file make keys of their own in the same workspace: this one by its id.
    const listed = await call(keysRoute.GET, "/api/workspace/api-keys", { cookie: ada });
    const listedKey = (body: { keys: Array<{ id: string; lastUsedAt: string | null }> }) =>
      body.keys.filter((k) => k.id === created.body.id);
    expect(listedKey(listed.body)).toEqual([
      expect.objectContaining({ name: "CRM sync", prefix: key.slice(0, 10), lastUsedAt: null }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    const campaigns = await callApi(key, "GET", "/campaigns");
    expect(campaigns.status).toBe(200);
    expect(campaigns.body.campaigns.map((c: { id: string }) => c.id)).toEqual([adaCampaignId]);
    const after = await call(keysRoute.GET, "/api/workspace/api-keys", { cookie: ada });
    expect(listedKey(after.body)[0]?.lastUsedAt).not.toBeNull();
  });

  it("lets only admins and owners manage keys", async () => {
    const byMember = await createKey(dave, { name: "mine", scope: "read" });
    expect(byMember.status).toBe(403);
    const listByMember = await call(keysRoute.GET, "/api/workspace/api-keys", { cookie: dave });
    expect(listByMember.status).toBe(403);
  });

  it("answers 401 without a key, with an unknown key, and with a revoked one", async () => {
    const created = await createKey(ada, { name: "to revoke", scope: "read" });
    const key: string = created.body.key;
    expect((await callApi(key, "GET", "/seats")).status).toBe(200);
    const none = await callApi(null, "GET", "/seats");
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toBe("application/problem+json");
    expect(none.body).toMatchObject({ status: 401, code: "unauthenticated" });
    expect((await callApi(`${key}x`, "GET", "/seats")).status).toBe(401);

    const revoked = await call(keyRoute.DELETE, `/api/workspace/api-keys/${created.body.id}`, {
      method: "DELETE",
      cookie: ada,
      params: { keyId: created.body.id },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await callApi(key, "GET", "/seats");
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("invalid_api_key");
  });

  it("refuses every write to a read-only key with 403, and lets it read", async () => {
    const { body } = await createKey(ada, { name: "dashboards", scope: "read" });
    expect((await callApi(body.key, "GET", `/campaigns/${adaCampaignId}`)).status).toBe(200);
    const pause = await callApi(body.key, "POST", `/campaigns/${adaCampaignId}/pause`);
    expect(pause.status).toBe(403);
    const upsert = await callApi(body.key, "POST", "/leads", {
      leads: [{ publicIdentifier: "grace-hopper" }],
    });
    expect(upsert.status).toBe(403);
    const campaign = await callApi(body.key, "GET", `/campaigns/${adaCampaignId}`);
    expect(campaign.body.status).toBe("running");
  });

  it("tells a key what it is: its name, scope, role and workspace, and no more", async () => {
    const write = (await createKey(ada, { name: "CRM sync", scope: "write" })).body.key;
    const read = (await createKey(ada, { name: "Dashboards", scope: "read" })).body.key;
    const asWrite = await callApi(write, "GET", "/key");
    expect(asWrite.status).toBe(200);
    expect(asWrite.body).toEqual({
      name: "CRM sync",
      scope: "write",
      role: "owner",
      workspace: { name: expect.any(String), slug: expect.any(String) },
    });
    const asRead = await callApi(read, "GET", "/key");
    expect(asRead.body).toMatchObject({ name: "Dashboards", scope: "read", role: "member" });
    expect(asRead.body.workspace).toEqual(asWrite.body.workspace);
    const bobs = await callApi(
      (await createKey(bob, { name: "x", scope: "read" })).body.key,
      "GET",
      "/key",
    );
    expect(bobs.body.workspace.slug).not.toBe(asWrite.body.workspace.slug);
  });

  it("answers 404 for another workspace's ids", async () => {
    const { body } = await createKey(bob, { name: "Bob's", scope: "write" });
    for (const [method, path] of [
      ["GET", `/campaigns/${adaCampaignId}`],
      ["GET", `/campaigns/${adaCampaignId}/dashboard`],
      ["POST", `/campaigns/${adaCampaignId}/pause`],
    ] as const) {
      const answer = await callApi(body.key, method, path);
      expect(answer.status, path).toBe(404);
    }
    const own = await callApi(body.key, "GET", "/campaigns");
    expect(own.body.campaigns).toEqual([]);
    const ada_ = await callApi(
      (await createKey(ada, { name: "check", scope: "read" })).body.key,
      "GET",
      `/campaigns/${adaCampaignId}`,
    );
    expect(ada_.body.status).toBe("running");
  });

  it("limits each key's requests per minute: 429 with Retry-After, other keys unaffected", async () => {
    process.env.OUTFLOW_API_RATE_LIMIT = "3";
    const first = (await createKey(ada, { name: "busy", scope: "read" })).body.key;
    const second = (await createKey(ada, { name: "quiet", scope: "read" })).body.key;
    for (let i = 0; i < 3; i++) expect((await callApi(first, "GET", "/seats")).status).toBe(200);
    const limited = await callApi(first, "GET", "/seats");
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.code).toBe("rate_limited");
    expect((await callApi(second, "GET", "/seats")).status).toBe(200);
  });

  it("keeps a write key to its creator's current role: demoted to member, it cannot pause", async () => {
    const setDaveRole = (role: string) =>
      database.db.update(member).set({ role }).where(eq(member.userId, daveUserId));
    const [daveRow] = await database.db
      .select()
      .from(user)
      .where(eq(user.email, "dave@example.com"));
    const daveUserId = daveRow?.id ?? "";
    await setDaveRole("admin");
    const { body } = await createKey(dave, { name: "Dave's", scope: "write" });
    expect(body.key).toBeDefined();
    expect((await callApi(body.key, "GET", "/key")).body.role).toBe("admin");
    await setDaveRole("member");
    expect((await callApi(body.key, "GET", "/key")).body.role).toBe("member");
    const pause = await callApi(body.key, "POST", `/campaigns/${adaCampaignId}/pause`);
    expect(pause.status).toBe(403);
    expect((await callApi(body.key, "GET", `/campaigns/${adaCampaignId}`)).body.status).toBe(
      "running",
    );
  });
});
