import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ingestEvent } from "@/db/engine/events";
import {
  notification,
  outboxEvent,
  senderAccount,
  webhookAttempt,
  webhookDelivery,
  webhookEndpoint,
} from "@/db/schema/index";
import { claimDeliveries, RETRY_FOR_MS } from "@/db/webhooks/delivery";
import { recordOutboxEvents } from "@/db/webhooks/outbox";
import { callApi } from "@/test/api-v1";
import { callRoute as call, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { expectDocumentedWebhook } from "@/test/webhook-payloads";
import { isPrivateAddress } from "../net/public-host";
import { deliverDueWebhooks, postDelivery } from "./deliver";

const keysRoute = await import("@/app/api/workspace/api-keys/route");
const accountsRoute = await import("@/app/api/accounts/route");
const webhooksRoute = await import("@/app/api/workspace/webhooks/route");
const pauseAccountRoute = await import("@/app/api/accounts/[accountId]/pause/route");
const resumeAccountRoute = await import("@/app/api/accounts/[accountId]/resume/route");
const replayRoute = await import("@/app/api/workspace/webhooks/[endpointId]/replay/route");

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  verified: boolean;
}

/** A local receiver: verifies every request with the endpoint's secret, answers as told. */
class Receiver {
  server: Server;
  received: Received[] = [];
  secret = "";
  /** Status per request, in order; the last one repeats. `hang` never answers. */
  answers: Array<number | "hang"> = [200];
  private hanging: Array<() => void> = [];

  constructor() {
    this.server = createServer(async (request: IncomingMessage, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      const headers = {
        "webhook-id": String(request.headers["webhook-id"]),
        "webhook-timestamp": String(request.headers["webhook-timestamp"]),
        "webhook-signature": String(request.headers["webhook-signature"]),
      };
      let verified = false;
      try {
        new Webhook(this.secret).verify(body, headers);
        verified = true;
      } catch {}
      this.received.push({
        id: headers["webhook-id"],
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        body,
        verified,
      });
      const answer = this.answers[Math.min(this.received.length - 1, this.answers.length - 1)];
      if (answer === "hang") {
        this.hanging.push(() => response.destroy());
        return;
      }
      response.writeHead(answer ?? 200).end(answer === 200 ? "ok" : "boom");
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  reset(secret: string) {
    this.received = [];
    this.answers = [200];
    this.secret = secret;
  }

  async close() {
    for (const end of this.hanging) end();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe("private addresses", () => {
  it.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "fe80::1",
    "fd00::1",
    "::ffff:127.0.0.1",
  ])("%s is private", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])("%s is public", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe.each(BACKENDS)("webhooks on %s", (backend) => {
  let database: TestDatabase;
  let cookie: string;
  let key: string;
  let workspaceId: string;
  let providerAccountId: string;
  let accountId: string;
  let receiver: Receiver;
  let url: string;
  let endpoint: { id: string; secret: string };
  let clock: number;
  const now = () => new Date(clock);

  const createEndpoint = (body: unknown) =>
    call(webhooksRoute.POST, "/api/workspace/webhooks", { method: "POST", cookie, body });

  async function deliverAll(owner = "worker-a") {
    let total = 0;
    for (;;) {
      const run = await deliverDueWebhooks(database.db, { owner, now, timeoutMs: 300 });
      total += run.claimed;
      if (run.claimed === 0) return total;
    }
  }

  async function reply(externalId: string, text: string) {
    return ingestEvent(
      database.db,
      "sandbox",
      {
        externalId,
        type: "replied",
        providerAccountId,
        leadPublicIdentifier: "grace-hopper",
        chatId: "chat-1",
        occurredAt: now(),
        text,
      },
      now(),
    );
  }

  const deliveriesOf = (endpointId: string) =>
    database.db.select().from(webhookDelivery).where(eq(webhookDelivery.endpointId, endpointId));

  beforeAll(async () => {
    process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS = "1";
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    cookie = (await signUp("Ada Lovelace", "ada@example.com")).cookie;
    key = (
      await call(keysRoute.POST, "/api/workspace/api-keys", {
        method: "POST",
        cookie,
        body: { name: "hooks", scope: "write" },
      })
    ).body.key;
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie,
      body: { name: "Ada's seat", timeZone: "Europe/Paris" },
    });
    accountId = account.body.id;
    const [row] = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.id, accountId));
    providerAccountId = row?.providerAccountId ?? "";
    workspaceId = row?.workspaceId ?? "";
    await callApi(key, "POST", "/leads", {
      leads: [{ publicIdentifier: "grace-hopper", firstName: "Grace", lastName: "Hopper" }],
    });
    receiver = new Receiver();
    url = await receiver.listen();
  });

  afterAll(async () => {
    delete process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS;
    await receiver?.close();
    await database?.destroy();
  });

  beforeEach(async () => {
    process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS = "1";
    // A little ahead of the database's clock, which stamps new deliveries due "now".
    clock = Date.now() + 5_000;
    // Each test starts with one fresh endpoint and no other.
    await database.db.delete(webhookEndpoint);
    const created = await createEndpoint({
      url,
      eventTypes: ["lead.replied", "lead.accepted", "account.paused", "account.needs_reconnect"],
      description: "CRM",
    });
    expect(created.status).toBe(201);
    endpoint = { id: created.body.id, secret: created.body.secret };
    receiver.reset(endpoint.secret);
  });

  afterEach(() => {
    delete process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS;
  });

  it("delivers a signed lead.replied, with the reply's category, that the receiver verifies with the same library", async () => {
    expect(await reply("m-1", "Sounds great, let's talk next week")).toBe("stored");
    expect(await deliverAll()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(got?.verified).toBe(true);
    const body = JSON.parse(got?.body ?? "{}");
    expect(body).toMatchObject({
      type: "lead.replied",
      data: {
        lead: { publicIdentifier: "grace-hopper", firstName: "Grace" },
        category: "interested",
        accountId,
      },
    });
    expectDocumentedWebhook(body.type, body.data);
    // A wrong secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.from("not the secret").toString("base64")}`).verify(
        got?.body ?? "",
        {
          "webhook-id": got?.id ?? "",
          "webhook-timestamp": got?.timestamp ?? "",
          "webhook-signature": got?.signature ?? "",
        },
      ),
    ).toThrow();
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
  });

  it("announces a person's pause of an account and a lost LinkedIn session", async () => {
    const paused = await call(pauseAccountRoute.POST, `/api/accounts/${accountId}/pause`, {
      method: "POST",
      cookie,
      params: { accountId },
    });
    expect(paused.status).toBe(200);
    await call(resumeAccountRoute.POST, `/api/accounts/${accountId}/resume`, {
      method: "POST",
      cookie,
      params: { accountId },
    });
    await ingestEvent(
      database.db,
      "sandbox",
      {
        externalId: "status-1",
        type: "account_status",
        providerAccountId,
        occurredAt: now(),
        accountStatus: "CREDENTIALS",
      },
      now(),
    );
    await deliverAll();
    const types = receiver.received.map((r) => JSON.parse(r.body));
    expect(types.map((b) => b.type)).toEqual(["account.paused", "account.needs_reconnect"]);
    expect(types[0].data).toMatchObject({ accountId, reason: "Paused by Ada Lovelace" });
    expect(types[1].data).toMatchObject({ accountId, status: "needs_reconnect" });
    for (const body of types) expectDocumentedWebhook(body.type, body.data);
    await database.db
      .update(senderAccount)
      .set({ status: "active", statusReason: null })
      .where(eq(senderAccount.id, accountId));
  });

  it("writes nothing to the outbox when the change rolls back, and nothing for unwanted events", async () => {
    const before = await database.db.select().from(outboxEvent);
    await expect(
      database.db.transaction(async (tx) => {
        await recordOutboxEvents(tx, [
          { workspaceId, type: "lead.replied", payload: { a: 1 }, occurredAt: now() },
        ]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await recordOutboxEvents(database.db, [
      { workspaceId, type: "credits.low", payload: {}, occurredAt: now() },
    ]);
    expect(await database.db.select().from(outboxEvent)).toHaveLength(before.length);
  });

  it("retries a 500 with backoff and delivers on the 200, with the same webhook-id", async () => {
    receiver.answers = [500, 200];
    await reply("m-2", "Yes please");
    await deliverAll();
    let [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500 });
    expect(delivery?.nextAttemptAt.getTime()).toBeGreaterThan(clock);
    // Not before its time…
    expect(await deliverAll()).toBe(0);
    clock = (delivery?.nextAttemptAt.getTime() ?? 0) + 1;
    expect(await deliverAll()).toBe(1);
    [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });
    expect(receiver.received.map((r) => r.id)).toEqual([
      receiver.received[0]?.id,
      receiver.received[0]?.id,
    ]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const log = await database.db
      .select()
      .from(webhookAttempt)
      .where(eq(webhookAttempt.deliveryId, delivery?.id ?? ""));
    expect(log.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(log[0]?.responseExcerpt).toBe("boom");
  });

  it("gives up on a receiver that never answers after a day of retries, disables the endpoint and notifies", async () => {
    receiver.answers = ["hang"];
    const start = clock;
    await reply("m-3", "Maybe");
    let attempts = 0;
    for (let guard = 0; guard < 50; guard++) {
      attempts += await deliverAll();
      const [delivery] = await deliveriesOf(endpoint.id);
      if (delivery?.status !== "pending") break;
      clock = (delivery?.nextAttemptAt.getTime() ?? clock) + 1;
    }
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery?.status).toBe("failed");
    expect(delivery?.lastError).toBe("No answer before the timeout");
    expect(clock - start).toBeGreaterThanOrEqual(RETRY_FOR_MS);
    expect(attempts).toBeGreaterThan(5);
    const [row] = await database.db
      .select()
      .from(webhookEndpoint)
      .where(eq(webhookEndpoint.id, endpoint.id));
    expect(row?.disabledAt).not.toBeNull();
    const notes = await database.db
      .select()
      .from(notification)
      .where(
        and(
          eq(notification.workspaceId, workspaceId),
          eq(notification.kind, "webhook_endpoint_disabled"),
        ),
      );
    expect(notes.at(-1)?.body).toContain(url);
    // A disabled endpoint gets no new events.
    await reply("m-3b", "Still there?");
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
  });

  it("still delivers, with the same webhook-id, when the worker dies between the commit and the delivery", async () => {
    await reply("m-4", "Interested");
    // Worker A claims the delivery, posts it, and dies before recording anything.
    const [claimed] = await claimDeliveries(database.db, {
      owner: "worker-a",
      now: now(),
      limit: 10,
    });
    expect(claimed).toBeDefined();
    if (!claimed) return;
    await postDelivery(claimed, { timeoutMs: 300 });
    // Worker B cannot take it while A's lease runs…
    expect(await deliverAll("worker-b")).toBe(0);
    // …and delivers it once the lease has run out.
    clock += 61_000;
    expect(await deliverAll("worker-b")).toBe(1);
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("two workers running at once never deliver the same attempt twice", async () => {
    for (let i = 0; i < 40; i++) await reply(`m-5-${i}`, "Sure");
    const worker = async (owner: string) => {
      let total = 0;
      for (;;) {
        const run = await deliverDueWebhooks(database.db, { owner, now, limit: 5 });
        total += run.claimed;
        if (run.claimed === 0) return total;
      }
    };
    const [a, b] = await Promise.all([worker("worker-a"), worker("worker-b")]);
    expect(a + b).toBe(40);
    expect(receiver.received).toHaveLength(40);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(40);
    const deliveries = await deliveriesOf(endpoint.id);
    expect(deliveries.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("replays one delivery, and a time range, with the same webhook-id", async () => {
    await reply("m-6", "Yes");
    await reply("m-7", "No thanks");
    await deliverAll();
    const [first] = receiver.received;
    const delivered = await deliveriesOf(endpoint.id);
    const one = delivered.find((d) => d.eventId === first?.id);
    const replayOne = await call(
      replayRoute.POST,
      `/api/workspace/webhooks/${endpoint.id}/replay`,
      {
        method: "POST",
        cookie,
        body: { deliveryId: one?.id },
        params: { endpointId: endpoint.id },
      },
    );
    expect(replayOne.body).toEqual({ replayed: 1 });
    await deliverAll();
    expect(receiver.received.map((r) => r.id)).toEqual([
      first?.id,
      receiver.received[1]?.id,
      first?.id,
    ]);

    const range = await callApi(key, "POST", `/webhooks/${endpoint.id}/replay`, {
      from: new Date(clock - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(range.body).toEqual({ replayed: 2 });
    await deliverAll();
    expect(receiver.received).toHaveLength(5);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });

  it("refuses private, loopback and link-local endpoints unless allowed, also at delivery time", async () => {
    delete process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS;
    for (const target of [
      "http://127.0.0.1:8080/x",
      "http://10.0.0.5/x",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/x",
      "http://localhost:3000/x",
    ]) {
      const refused = await createEndpoint({ url: target, eventTypes: ["lead.replied"] });
      expect(refused.status, target).toBe(400);
      expect(refused.body.error.code, target).toBe("private_address");
    }
    // The endpoint registered while allowed is refused when it is delivered to.
    await reply("m-8", "Yes");
    await deliverAll();
    expect(receiver.received).toHaveLength(0);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery?.lastError).toContain("private");
  });
});
