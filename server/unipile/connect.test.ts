import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountConnection, providerCredential, senderAccount } from "@/db/schema/index";
import { apiRequest, routeParams, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { FakeUnipile } from "@/test/fake-unipile/server";
import { resolveCaller } from "../http/guard";
import { webhookSecretFor } from "./webhooks";

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");

const credentialsRoute = await import("@/app/api/workspace/unipile/route");
const linkRoute = await import("@/app/api/accounts/unipile/link/route");
const reconnectRoute = await import("@/app/api/accounts/unipile/[accountId]/reconnect/route");
const callbackRoute = await import("@/app/api/accounts/unipile/callback/route");

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P extends Record<string, string>>(
  handler: Handler<P>,
  path: string,
  init: { method?: string; cookie?: string; body?: unknown; params?: P } = {},
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely on purpose.
): Promise<{ status: number; body: any; text: string }> {
  const response = await handler(
    apiRequest(path, { method: init.method, cookie: init.cookie, body: init.body }),
    routeParams(init.params ?? ({} as P)),
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, text };
}

async function callback(notifyUrl: string, body: unknown) {
  const response = await callbackRoute.POST(
    new Request(notifyUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: await response.json() };
}

describe.each(BACKENDS)("connecting real LinkedIn seats on %s", (backend) => {
  let database: TestDatabase;
  let fake: FakeUnipile;
  let cookie: string;
  let workspaceId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    fake = await new FakeUnipile({ apiKey: "unipile-key-0123456789" }).start();
    ({ cookie } = await signUp("Rosa Park", `rosa-${backend}@example.com`));
    workspaceId = (await resolveCaller(new Headers({ cookie }))).workspace.workspaceId;
    const settings = await call(credentialsRoute.GET, "/api/workspace/unipile", { cookie });
    expect(settings.body).toMatchObject({ configured: false, encryptionKeySet: true });
    // Rosa's workspace is connected to the fake Unipile for the link and callback tests; the
    // tests about saving credentials use workspaces of their own.
    const saved = await call(credentialsRoute.PUT, "/api/workspace/unipile", {
      method: "PUT",
      cookie,
      body: { dsn: fake.baseUrl, apiKey: fake.apiKey },
    });
    expect(saved.status).toBe(200);
  });

  const ownFakes: FakeUnipile[] = [];
  const credentialsOf = (id: string) =>
    database.db.select().from(providerCredential).where(eq(providerCredential.workspaceId, id));
  let owners = 0;
  /** A workspace of its own with no Unipile credentials yet. */
  async function newWorkspace() {
    owners += 1;
    const session = await signUp(`Owner ${owners}`, `new-owner-${owners}-${backend}@example.com`);
    const caller = await resolveCaller(new Headers({ cookie: session.cookie }));
    return { cookie: session.cookie, workspaceId: caller.workspace.workspaceId };
  }
  afterAll(async () => {
    await fake?.stop();
    for (const own of ownFakes) await own.stop();
    await database?.destroy();
  });

  /** A workspace whose credentials name a Unipile of its own: its webhooks are its alone. */
  async function connectedWorkspace() {
    const own = await new FakeUnipile({ apiKey: "unipile-key-0123456789" }).start();
    ownFakes.push(own);
    const n = ownFakes.length;
    const session = await signUp(`Owner ${n}`, `owner-${n}-${backend}@example.com`);
    const saved = await call(credentialsRoute.PUT, "/api/workspace/unipile", {
      method: "PUT",
      cookie: session.cookie,
      body: { dsn: own.baseUrl, apiKey: own.apiKey },
    });
    expect(saved.status).toBe(200);
    const caller = await resolveCaller(new Headers({ cookie: session.cookie }));
    return { cookie: session.cookie, workspaceId: caller.workspace.workspaceId, fake: own };
  }

  it("says what to set when the encryption key is missing, and saves nothing", async () => {
    const { cookie, workspaceId } = await newWorkspace();
    const saved = process.env.OUTFLOW_ENCRYPTION_KEY;
    delete process.env.OUTFLOW_ENCRYPTION_KEY;
    try {
      const response = await call(credentialsRoute.PUT, "/api/workspace/unipile", {
        method: "PUT",
        cookie,
        body: { dsn: fake.baseUrl, apiKey: fake.apiKey },
      });
      expect(response.status).toBe(503);
      expect(response.body.error).toMatchObject({ code: "encryption_key_missing" });
      expect(response.body.error.message).toContain("OUTFLOW_ENCRYPTION_KEY");
    } finally {
      process.env.OUTFLOW_ENCRYPTION_KEY = saved;
    }
    expect(await credentialsOf(workspaceId)).toEqual([]);
  });

  it("stores credentials only once Unipile accepts them, encrypted, and never returns the key", async () => {
    const { cookie, workspaceId } = await newWorkspace();
    const refused = await call(credentialsRoute.PUT, "/api/workspace/unipile", {
      method: "PUT",
      cookie,
      body: { dsn: fake.baseUrl, apiKey: "wrong-key-9876543210" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("unipile_refused");
    expect(await credentialsOf(workspaceId)).toEqual([]);

    const saved = await call(credentialsRoute.PUT, "/api/workspace/unipile", {
      method: "PUT",
      cookie,
      body: { dsn: `${fake.baseUrl}/api/v1/`, apiKey: fake.apiKey },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ configured: true, dsn: fake.baseUrl });
    expect(saved.text).not.toContain(fake.apiKey);
    const [row] = await credentialsOf(workspaceId);
    expect(row!.dsn).toBe(fake.baseUrl);
    expect(row!.apiKeyCiphertext).not.toContain(fake.apiKey);

    const read = await call(credentialsRoute.GET, "/api/workspace/unipile", { cookie });
    expect(read.body).toMatchObject({ configured: true, dsn: fake.baseUrl });
    expect(read.text).not.toContain(fake.apiKey);
    const tested = await call(credentialsRoute.POST, "/api/workspace/unipile", {
      method: "POST",
      cookie,
      body: { action: "test" },
    });
    expect(tested.body).toMatchObject({ ok: true });
  });

  it("refuses to register webhooks towards a local public URL, with a clear message", async () => {
    const own = await connectedWorkspace();
    const response = await call(credentialsRoute.POST, "/api/workspace/unipile", {
      method: "POST",
      cookie: own.cookie,
      body: { action: "register_webhooks" },
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain("OUTFLOW_PUBLIC_URL");
    expect(response.text).toContain("local or private");
    expect(own.fake.webhooks()).toEqual([]);
  });

  it("registers the three webhooks with the workspace's secret header; registering twice leaves exactly three", async () => {
    const own = await connectedWorkspace();
    const saved = process.env.OUTFLOW_PUBLIC_URL;
    process.env.OUTFLOW_PUBLIC_URL = "https://old.outflow.example.com";
    try {
      const first = await call(credentialsRoute.POST, "/api/workspace/unipile", {
        method: "POST",
        cookie: own.cookie,
        body: { action: "register_webhooks" },
      });
      expect(first.status).toBe(200);
      process.env.OUTFLOW_PUBLIC_URL = "https://outflow.example.com";
      const response = await call(credentialsRoute.POST, "/api/workspace/unipile", {
        method: "POST",
        cookie: own.cookie,
        body: { action: "register_webhooks" },
      });
      expect(response.status).toBe(200);
      const secret = webhookSecretFor(own.workspaceId);
      expect(response.text).not.toContain(secret);
      const webhooks = own.fake.webhooks();
      expect(webhooks.map((w) => w.source)).toEqual(["messaging", "users", "account_status"]);
      for (const webhook of webhooks) {
        expect(webhook.request_url).toBe(
          `https://outflow.example.com/api/webhooks/unipile?workspace=${own.workspaceId}`,
        );
        expect(webhook.headers).toEqual([{ key: "Unipile-Auth", value: secret }]);
      }
    } finally {
      if (saved === undefined) delete process.env.OUTFLOW_PUBLIC_URL;
      else process.env.OUTFLOW_PUBLIC_URL = saved;
    }
  });

  it("keeps another workspace's webhooks on the same Unipile when registering", async () => {
    const own = await connectedWorkspace();
    const saved = process.env.OUTFLOW_PUBLIC_URL;
    process.env.OUTFLOW_PUBLIC_URL = "https://outflow.example.com";
    try {
      const registered = await call(credentialsRoute.POST, "/api/workspace/unipile", {
        method: "POST",
        cookie: own.cookie,
        body: { action: "register_webhooks" },
      });
      expect(registered.status).toBe(200);
      const before = own.fake.webhooks().length;
      expect(before).toBe(3);
      // Someone else's webhook on the same Unipile account: never touched.
      await fetch(`${own.fake.baseUrl}/api/v1/webhooks`, {
        method: "POST",
        headers: { "x-api-key": own.fake.apiKey, "content-type": "application/json" },
        body: JSON.stringify({
          request_url: "https://outflow.example.com/api/webhooks/unipile?workspace=another",
          source: "messaging",
        }),
      });
      const response = await call(credentialsRoute.POST, "/api/workspace/unipile", {
        method: "POST",
        cookie: own.cookie,
        body: { action: "register_webhooks" },
      });
      expect(response.status).toBe(200);
      expect(own.fake.webhooks()).toHaveLength(before + 1);
    } finally {
      if (saved === undefined) delete process.env.OUTFLOW_PUBLIC_URL;
      else process.env.OUTFLOW_PUBLIC_URL = saved;
    }
  });

  it("connects a seat through a hosted link and its callback, once", async () => {
    const link = await call(linkRoute.POST, "/api/accounts/unipile/link", {
      method: "POST",
      cookie,
      body: {
        name: "Rosa's LinkedIn",
        timeZone: "America/Chicago",
        warmup: true,
        plan: "sales_navigator",
      },
    });
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/^https:\/\/account\.unipile\.test\/hosted\//);
    const request = fake.hostedLinks.at(-1)!;
    expect(request).toMatchObject({
      type: "create",
      providers: ["LINKEDIN"],
      api_url: fake.baseUrl,
      name: link.body.connectionId,
    });
    const notifyUrl = String(request.notify_url);
    expect(notifyUrl).toMatch(/^http:\/\/localhost:3000\/api\/accounts\/unipile\/callback\?/);

    const forged = new URL(notifyUrl);
    forged.searchParams.set("tz", "Asia/Tokyo");
    expect(
      (await callback(forged.toString(), { status: "CREATION_SUCCESS", account_id: "x" })).status,
    ).toBe(401);
    const otherPlan = new URL(notifyUrl);
    otherPlan.searchParams.set("plan", "recruiter_professional");
    expect(
      (await callback(otherPlan.toString(), { status: "CREATION_SUCCESS", account_id: "x" }))
        .status,
    ).toBe(401);

    const body = {
      status: "CREATION_SUCCESS",
      account_id: "uni-rosa",
      name: link.body.connectionId,
    };
    const done = await callback(notifyUrl, body);
    expect(done).toMatchObject({ status: 200, body: { status: "created" } });
    const [seat] = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.providerAccountId, "uni-rosa"));
    expect(seat).toMatchObject({
      name: "Rosa's LinkedIn",
      provider: "unipile",
      status: "active",
      workspaceId,
      // The plan chosen at connection, carried by the signed callback.
      linkedinPlan: "sales_navigator",
    });
    expect(seat!.pacing).toMatchObject({ timeZone: "America/Chicago" });
    expect((seat!.pacing as { warmup: { startDate: string | null } }).warmup.startDate).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );

    const again = await callback(notifyUrl, body);
    expect(again).toMatchObject({ status: 200, body: { status: "already_completed" } });
    const seats = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.providerAccountId, "uni-rosa"));
    expect(seats).toHaveLength(1);
  });

  it("reconnects a seat that needs it; another workspace cannot touch it", async () => {
    // A seat of this test's own, connected through a hosted link.
    const created = await call(linkRoute.POST, "/api/accounts/unipile/link", {
      method: "POST",
      cookie,
      body: { name: "Rosa's second LinkedIn", timeZone: "Europe/Paris", warmup: false },
    });
    expect(created.status).toBe(201);
    const connected = await callback(String(fake.hostedLinks.at(-1)!.notify_url), {
      status: "CREATION_SUCCESS",
      account_id: "uni-rosa-2",
      name: created.body.connectionId,
    });
    expect(connected.body).toMatchObject({ status: "created" });
    const [seat] = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.providerAccountId, "uni-rosa-2"));
    await database.db
      .update(senderAccount)
      .set({ status: "needs_reconnect", statusReason: "Unipile reports CREDENTIALS" })
      .where(eq(senderAccount.id, seat!.id));

    const { cookie: otherCookie } = await signUp("Omar Stone", `omar-${backend}@example.com`);
    const foreign = await call(reconnectRoute.POST, `/api/accounts/unipile/${seat!.id}/reconnect`, {
      method: "POST",
      cookie: otherCookie,
      params: { accountId: seat!.id },
    });
    expect(foreign.status).toBe(404);

    const link = await call(reconnectRoute.POST, `/api/accounts/unipile/${seat!.id}/reconnect`, {
      method: "POST",
      cookie,
      params: { accountId: seat!.id },
    });
    expect(link.status).toBe(201);
    const request = fake.hostedLinks.at(-1)!;
    expect(request).toMatchObject({ type: "reconnect", reconnect_account: "uni-rosa-2" });
    const done = await callback(String(request.notify_url), {
      status: "RECONNECTED",
      account_id: "uni-rosa-2",
      name: link.body.connectionId,
    });
    expect(done.body).toMatchObject({ status: "reconnected", accountId: seat!.id });
    const [after] = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.id, seat!.id));
    expect(after).toMatchObject({ status: "active", statusReason: null });
    const [connection] = await database.db
      .select()
      .from(accountConnection)
      .where(eq(accountConnection.id, link.body.connectionId));
    expect(connection!.completedAt).not.toBeNull();
  });

  it("refuses a callback that comes after its link's hour, and creates no seat", async () => {
    const link = await call(linkRoute.POST, "/api/accounts/unipile/link", {
      method: "POST",
      cookie,
      body: { name: "Late LinkedIn", timeZone: "Europe/Paris", warmup: true },
    });
    expect(link.status).toBe(201);
    const notifyUrl = String(fake.hostedLinks.at(-1)!.notify_url);
    await database.db
      .update(accountConnection)
      .set({ createdAt: new Date(Date.now() - 61 * 60 * 1000) })
      .where(eq(accountConnection.id, link.body.connectionId));
    const late = await callback(notifyUrl, {
      status: "CREATION_SUCCESS",
      account_id: "uni-late",
      name: link.body.connectionId,
    });
    expect(late.status).toBe(410);
    const seats = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.providerAccountId, "uni-late"));
    expect(seats).toEqual([]);
  });

  it("refuses a DSN that is not https to a public host, without calling it", async () => {
    const saved = process.env.OUTFLOW_ALLOW_LOCAL_DSN;
    delete process.env.OUTFLOW_ALLOW_LOCAL_DSN;
    const before = fake.requests.length;
    try {
      const port = new URL(fake.baseUrl).port;
      for (const dsn of [
        fake.baseUrl,
        `https://127.0.0.1:${port}`,
        "https://169.254.169.254",
        "https://10.0.0.8:13851",
        `https://localhost:${port}`,
      ]) {
        const response = await call(credentialsRoute.PUT, "/api/workspace/unipile", {
          method: "PUT",
          cookie,
          body: { dsn, apiKey: fake.apiKey },
        });
        expect({ dsn, status: response.status }).toEqual({ dsn, status: 400 });
      }
      expect(fake.requests.length).toBe(before);
      const settings = await call(credentialsRoute.GET, "/api/workspace/unipile", { cookie });
      // The credentials saved earlier (through the local fake, allowed for tests) are unchanged.
      expect(settings.body.dsn).toBe(fake.baseUrl);
    } finally {
      if (saved !== undefined) process.env.OUTFLOW_ALLOW_LOCAL_DSN = saved;
    }
  });
});
