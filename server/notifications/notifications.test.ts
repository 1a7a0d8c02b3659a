import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkCreditAlerts } from "@/db/engine/credit-alerts";
import { ingestEvent } from "@/db/engine/events";
import { CALL_OUTCOME_UNKNOWN } from "@/db/notifications/delivery";
import {
  creditPool,
  notification,
  notificationDelivery,
  outboxEvent,
  senderAccount,
  webhookEndpoint,
} from "@/db/schema/index";
import { callRoute as call, signUp } from "@/test/auth-helpers";
import { runScript } from "@/test/child-process";
import {
  BACKENDS,
  type Backend,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { expectDocumentedWebhook } from "@/test/webhook-payloads";
import { deliverDueNotifications } from "./deliver";

const notificationsRoute = await import("@/app/api/notifications/route");
const readRoute = await import("@/app/api/notifications/read/route");
const preferencesRoute = await import("@/app/api/notifications/preferences/route");
const slackRoute = await import("@/app/api/workspace/notifications/slack/route");
const accountsRoute = await import("@/app/api/accounts/route");
const pauseRoute = await import("@/app/api/accounts/[accountId]/pause/route");
const importRoute = await import("@/app/api/leads/import/route");
const webhooksRoute = await import("@/app/api/workspace/webhooks/route");
const poolRoute = await import("@/app/api/credits/pools/[poolId]/route");
const poolsRoute = await import("@/app/api/credits/pools/route");

const CRASH_WORKER = path.resolve("test/notify-crash-worker.ts");

/** A local Slack: records each post's text, answers as told (the last answer repeats). */
class SlackReceiver {
  server: Server;
  posts: string[] = [];
  answers: number[] = [200];
  constructor() {
    this.server = createServer(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      this.posts.push(JSON.parse(body).text);
      const answer = this.answers[Math.min(this.posts.length - 1, this.answers.length - 1)];
      response.writeHead(answer ?? 200).end(answer === 200 ? "ok" : "boom");
    });
  }
  async listen() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/T0/B0/x`;
  }
  close() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A local SMTP server that keeps every message it is given. */
async function startSmtp() {
  const messages: Array<{ to: string[]; raw: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => {
        raw += chunk.toString();
      });
      stream.on("end", () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    messages,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function runCrashWorker(url: string, providerAccountId: string, externalId: string, mode: string) {
  return runScript(CRASH_WORKER, [url, providerAccountId, externalId, mode]);
}

describe.each(BACKENDS)("notifications on %s", (backend: Backend) => {
  let database: TestDatabase;
  let ada: string;
  let bob: string;
  let workspaceId: string;
  let providerAccountId: string;
  let accountId: string;
  let slack: SlackReceiver;
  let slackUrl: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let clock: number;
  const now = () => new Date(clock);
  let replies = 0;

  async function reply(text: string) {
    replies++;
    return ingestEvent(
      database.db,
      "sandbox",
      {
        externalId: `reply-${replies}`,
        type: "replied",
        providerAccountId,
        leadPublicIdentifier: "grace-hopper",
        chatId: "chat-1",
        occurredAt: new Date(),
        text,
      },
      new Date(),
    );
  }

  async function deliverAll(owner = "worker-a") {
    let total = 0;
    for (;;) {
      const run = await deliverDueNotifications(database.db, { owner, now });
      total += run.claimed;
      if (run.claimed === 0) return total;
    }
  }

  const list = (cookie: string, query = "") =>
    call(notificationsRoute.GET, `/api/notifications${query}`, { cookie });
  const prefer = (cookie: string, preferences: Record<string, string>) =>
    call(preferencesRoute.PUT, "/api/notifications/preferences", {
      method: "PUT",
      cookie,
      body: { preferences },
    });
  const deliveries = () =>
    database.db
      .select()
      .from(notificationDelivery)
      .where(eq(notificationDelivery.workspaceId, workspaceId));

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ada = (await signUp("Ada Lovelace", "ada@example.com")).cookie;
    bob = (await signUp("Bob Other", "bob@example.com")).cookie;
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: ada,
      body: { name: "Ada's seat", timeZone: "Europe/Paris" },
    });
    const [row] = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.id, account.body.id));
    providerAccountId = row?.providerAccountId ?? "";
    accountId = account.body.id;
    workspaceId = row?.workspaceId ?? "";
    const imported = await call(importRoute.POST, "/api/leads/import", {
      method: "POST",
      cookie: ada,
      body: {
        leads: [{ publicIdentifier: "grace-hopper", firstName: "Grace", lastName: "Hopper" }],
      },
    });
    expect(imported.status).toBe(200);
    slack = new SlackReceiver();
    slackUrl = await slack.listen();
    smtp = await startSmtp();
  });

  afterAll(async () => {
    await slack?.close();
    await smtp?.close();
    await database?.destroy();
  });

  beforeEach(async () => {
    process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS = "1";
    process.env.SMTP_URL = smtp.url;
    process.env.MAIL_FROM = "Outflow <outflow@example.com>";
    clock = Date.now() + 5_000;
    slack.posts = [];
    slack.answers = [200];
    smtp.messages.length = 0;
    await database.db.delete(notificationDelivery);
    await prefer(ada, { reply_interested: "in_app", reply_other: "in_app" });
    await call(slackRoute.PUT, "/api/workspace/notifications/slack", {
      method: "PUT",
      cookie: ada,
      body: { url: null },
    });
  });

  afterEach(() => {
    delete process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS;
    delete process.env.SMTP_URL;
    delete process.env.MAIL_FROM;
  });

  it("lists the finished import and a reply in the bell, with the unread count, and marks them read", async () => {
    await reply("Yes, I'm interested — can we talk on Thursday?");
    const listed = await list(ada);
    expect(listed.status).toBe(200);
    const titles = listed.body.notifications.map((n: { title: string }) => n.title);
    expect(titles).toContain("Grace Hopper replied");
    expect(titles).toContain("Ada Lovelace's import finished: 1 lead");
    const replyNote = listed.body.notifications.find(
      (n: { kind: string }) => n.kind === "reply_interested",
    );
    expect(replyNote).toMatchObject({ read: false, body: expect.stringContaining("interested") });
    const unread = listed.body.unread;
    expect(unread).toBeGreaterThanOrEqual(2);

    const marked = await call(readRoute.POST, "/api/notifications/read", {
      method: "POST",
      cookie: ada,
      body: { ids: [replyNote.id] },
    });
    expect(marked.status).toBe(200);
    const after = await list(ada);
    expect(after.body.unread).toBe(unread - 1);
    expect(after.body.notifications.find((n: { id: string }) => n.id === replyNote.id).read).toBe(
      true,
    );
    expect((await list(ada, "?unread=1")).body.notifications).toHaveLength(unread - 1);

    await call(readRoute.POST, "/api/notifications/read", {
      method: "POST",
      cookie: ada,
      body: { all: true },
    });
    expect((await list(ada)).body.unread).toBe(0);
  });

  it("tells of a seat paused by a person and of a seat that lost its LinkedIn session", async () => {
    const paused = await call(pauseRoute.POST, `/api/accounts/${accountId}/pause`, {
      method: "POST",
      cookie: ada,
      params: { accountId },
    });
    expect(paused.status).toBe(200);
    await database.db
      .update(senderAccount)
      .set({ status: "active" })
      .where(eq(senderAccount.id, accountId));
    await ingestEvent(
      database.db,
      "sandbox",
      {
        externalId: "status-1",
        type: "account_status",
        providerAccountId,
        accountStatus: "CREDENTIALS",
        occurredAt: new Date(),
      },
      new Date(),
    );
    const listed = (await list(ada)).body.notifications as Array<{ kind: string; title: string }>;
    expect(listed.find((n) => n.kind === "account_paused")?.title).toBe(
      'The seat "Ada\'s seat" was paused',
    );
    expect(listed.find((n) => n.kind === "account_needs_reconnect")?.title).toBe(
      'The seat "Ada\'s seat" needs reconnecting',
    );
    await database.db
      .update(senderAccount)
      .set({ status: "active" })
      .where(eq(senderAccount.id, accountId));
  });

  it("keeps another workspace's notifications out of sight: not listed, 404 when marked", async () => {
    await reply("Sounds good, interested");
    const [theirs] = (await list(ada)).body.notifications;
    const bobs = await list(bob);
    expect(bobs.status).toBe(200);
    expect(bobs.body.notifications.map((n: { id: string }) => n.id)).not.toContain(theirs.id);
    const refused = await call(readRoute.POST, "/api/notifications/read", {
      method: "POST",
      cookie: bob,
      body: { ids: [theirs.id] },
    });
    expect(refused.status).toBe(404);
    // Nothing was marked, for anyone.
    const [read] = await database.db
      .select()
      .from(notification)
      .where(eq(notification.id, theirs.id));
    expect(read).toBeDefined();
    expect((await list(ada)).body.notifications[0]).toMatchObject({ id: theirs.id, read: false });
    // Bob cannot touch Ada's Slack either: his own workspace's is the one he sets.
    const bobSlack = await call(slackRoute.GET, "/api/workspace/notifications/slack", {
      cookie: bob,
    });
    expect(bobSlack.body).toEqual({ url: null, kinds: [] });
  });

  it("emails a reply to a person who chose email, through SMTP, once", async () => {
    await prefer(ada, { reply_interested: "email" });
    await reply("I'm interested, send me details");
    expect(await deliverAll()).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.to).toEqual(["ada@example.com"]);
    expect(smtp.messages[0]?.raw).toContain("Subject: Grace Hopper replied (Ada's workspace)");
    expect(await deliverAll()).toBe(0);
    expect(smtp.messages).toHaveLength(1);
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ channel: "email", status: "delivered", attempts: 1 });
  });

  it("sends nothing, and shows nothing, for a kind set to none", async () => {
    await prefer(ada, { reply_interested: "none" });
    await call(slackRoute.PUT, "/api/workspace/notifications/slack", {
      method: "PUT",
      cookie: ada,
      body: { url: slackUrl, kinds: ["reply_other"] },
    });
    const before = (await list(ada)).body.unread;
    await reply("Interested! Let's talk");
    expect(await deliveries()).toHaveLength(0);
    expect(await deliverAll()).toBe(0);
    expect(smtp.messages).toHaveLength(0);
    expect(slack.posts).toHaveLength(0);
    const after = await list(ada);
    expect(after.body.unread).toBe(before);
    expect(
      after.body.notifications.some((n: { kind: string }) => n.kind === "reply_interested"),
    ).toBe(false);
  });

  it("sends no email, and says so, without SMTP_URL", async () => {
    delete process.env.SMTP_URL;
    const preferences = await call(preferencesRoute.GET, "/api/notifications/preferences", {
      cookie: ada,
    });
    expect(preferences.body.emailEnabled).toBe(false);
    await prefer(ada, { reply_interested: "email" });
    await reply("Interested, yes");
    expect(await deliveries()).toHaveLength(0);
    expect(await deliverAll()).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });

  it("posts chosen kinds to the workspace's Slack, retrying a 500 with backoff until it succeeds", async () => {
    const saved = await call(slackRoute.PUT, "/api/workspace/notifications/slack", {
      method: "PUT",
      cookie: ada,
      body: { url: slackUrl, kinds: ["reply_interested"] },
    });
    expect(saved.status).toBe(200);
    slack.answers = [500, 200];
    await reply("Very interested, call me");
    await reply("Unrelated words here"); // another kind: not posted
    expect(await deliverAll()).toBe(1);
    expect(slack.posts).toHaveLength(1);
    let [delivery] = await deliveries();
    expect(delivery).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "Slack answered 500",
    });
    // Not again before the backoff…
    expect(await deliverAll()).toBe(0);
    clock = (delivery?.nextAttemptAt.getTime() ?? clock) + 1;
    // …then delivered, once.
    expect(await deliverAll()).toBe(1);
    expect(await deliverAll()).toBe(0);
    expect(slack.posts).toHaveLength(2);
    expect(slack.posts[1]).toContain("*Grace Hopper replied*");
    [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("refuses a Slack address that is not an incoming webhook, unless private addresses are allowed", async () => {
    delete process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS;
    const refused = await call(slackRoute.PUT, "/api/workspace/notifications/slack", {
      method: "PUT",
      cookie: ada,
      body: { url: slackUrl, kinds: ["reply_interested"] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("hooks.slack.com");
    const elsewhere = await call(slackRoute.PUT, "/api/workspace/notifications/slack", {
      method: "PUT",
      cookie: ada,
      body: { url: "https://hooks.slack.com.evil.example/services/x", kinds: [] },
    });
    expect(elsewhere.status).toBe(400);
  });

  it("announces credits.low once per run below the mark and credits.forfeit_upcoming once per renewal", async () => {
    await call(webhooksRoute.POST, "/api/workspace/webhooks", {
      method: "POST",
      cookie: ada,
      body: {
        url: "http://127.0.0.1:9/hooks",
        eventTypes: ["credits.low", "credits.forfeit_upcoming"],
      },
    });
    const poolId = randomUUID();
    const at = new Date();
    const renewal = new Date(at.getTime() + 3 * 24 * 60 * 60 * 1000);
    await database.db.insert(creditPool).values({
      id: poolId,
      workspaceId,
      name: "Sales Navigator",
      plan: "sales_navigator_core",
      allowance: 50,
      cap: 150,
      renewalDay: 1,
      refundPolicy: {},
      balance: 4,
      nextRenewalAt: renewal,
    });
    const events = async (type: string) =>
      (
        await database.db
          .select()
          .from(outboxEvent)
          .where(and(eq(outboxEvent.workspaceId, workspaceId), eq(outboxEvent.type, type)))
      ).filter((e) => (e.payload as { poolId: string }).poolId === poolId);

    await checkCreditAlerts(database.db, at);
    await checkCreditAlerts(database.db, at);
    expect(await events("credits.low")).toHaveLength(1);
    expect((await events("credits.low"))[0]?.payload).toMatchObject({ balance: 4, allowance: 50 });
    expect(await events("credits.forfeit_upcoming")).toHaveLength(0);
    // Topped up past the cap's reach: the low run ends, the coming renewal would forfeit 20.
    await database.db.update(creditPool).set({ balance: 120 }).where(eq(creditPool.id, poolId));
    await checkCreditAlerts(database.db, at);
    await checkCreditAlerts(database.db, at);
    expect(await events("credits.forfeit_upcoming")).toHaveLength(1);
    expect((await events("credits.forfeit_upcoming"))[0]?.payload).toMatchObject({ forfeit: 20 });
    for (const type of ["credits.low", "credits.forfeit_upcoming"]) {
      expectDocumentedWebhook(type, (await events(type))[0]?.payload);
    }
    // Low again: a new run, told again.
    await database.db.update(creditPool).set({ balance: 2 }).where(eq(creditPool.id, poolId));
    await checkCreditAlerts(database.db, at);
    expect(await events("credits.low")).toHaveLength(2);
    // This pool's: another test's pool may have run low in the same workspace.
    const notes = (
      await database.db
        .select()
        .from(notification)
        .where(and(eq(notification.workspaceId, workspaceId), eq(notification.kind, "credits_low")))
    ).filter((note) => note.title.includes('"Sales Navigator"'));
    expect(notes).toHaveLength(2);
    expect(notes[0]?.title).toBe('InMail credits are running low in "Sales Navigator"');
    await database.db.delete(webhookEndpoint).where(eq(webhookEndpoint.workspaceId, workspaceId));
  });

  it("announces credits.low at a pool's own threshold, once per run below it", async () => {
    const poolId = randomUUID();
    const at = new Date();
    await database.db.insert(creditPool).values({
      id: poolId,
      workspaceId,
      name: "Recruiter",
      plan: "custom",
      allowance: 100,
      cap: 300,
      renewalDay: 1,
      refundPolicy: {},
      balance: 15,
    });
    const lows = async () =>
      (
        await database.db
          .select()
          .from(notification)
          .where(
            and(eq(notification.workspaceId, workspaceId), eq(notification.kind, "credits_low")),
          )
      ).filter((n) => n.title.includes('"Recruiter"'));
    const setThreshold = (lowThreshold: number | null) =>
      call(poolRoute.PATCH, `/api/credits/pools/${poolId}`, {
        method: "PATCH",
        cookie: ada,
        params: { poolId },
        body: { lowThreshold },
      });
    // 15 of 100 is above the default mark (10 %): nothing to tell.
    await checkCreditAlerts(database.db, at);
    expect(await lows()).toHaveLength(0);
    // The pool's own mark, 20 credits: low now, told once however often the engine checks.
    expect((await setThreshold(20)).status).toBe(200);
    const listed = await call(poolsRoute.GET, "/api/credits/pools", { cookie: ada });
    expect(listed.body.pools.find((p: { id: string }) => p.id === poolId)).toMatchObject({
      lowThreshold: 20,
      lowMark: 20,
    });
    await checkCreditAlerts(database.db, at);
    await checkCreditAlerts(database.db, at);
    expect(await lows()).toHaveLength(1);
    // Back above the mark (25 ≥ 20) ends the run; below it again (19) is a new run, told again.
    await database.db.update(creditPool).set({ balance: 25 }).where(eq(creditPool.id, poolId));
    await checkCreditAlerts(database.db, at);
    expect(await lows()).toHaveLength(1);
    await database.db.update(creditPool).set({ balance: 19 }).where(eq(creditPool.id, poolId));
    await checkCreditAlerts(database.db, at);
    await checkCreditAlerts(database.db, at);
    expect(await lows()).toHaveLength(2);
    // A threshold no number can be refused; null goes back to the default (10 of 100).
    expect((await setThreshold(-1)).status).toBe(400);
    expect((await setThreshold(null)).status).toBe(200);
    await database.db.update(creditPool).set({ balance: 12 }).where(eq(creditPool.id, poolId));
    await checkCreditAlerts(database.db, at);
    expect(await lows()).toHaveLength(2);
    await database.db.delete(creditPool).where(eq(creditPool.id, poolId));
  });

  // A child process shares the database only on PostgreSQL (PGlite is one process's).
  if (backend === "postgres") {
    it("delivers exactly once when the worker is killed with SIGKILL after the commit, or after claiming", async () => {
      await call(slackRoute.PUT, "/api/workspace/notifications/slack", {
        method: "PUT",
        cookie: ada,
        body: { url: slackUrl, kinds: ["reply_interested"] },
      });
      // Killed between the commit and any delivery.
      const first = await runCrashWorker(
        database.url ?? "",
        providerAccountId,
        "crash-1",
        "commit",
      );
      expect(first.signal, first.out).toBe("SIGKILL");
      clock = Date.now() + 5_000;
      const [a, b] = await Promise.all([deliverAll("worker-a"), deliverAll("worker-b")]);
      expect(a + b).toBe(1);
      expect(slack.posts).toHaveLength(1);

      // Killed holding the lease, before sending: another worker sends it once the lease ran out.
      const second = await runCrashWorker(
        database.url ?? "",
        providerAccountId,
        "crash-2",
        "claim",
      );
      expect(second.signal, second.out).toBe("SIGKILL");
      clock = Date.now() + 5_000;
      expect(await deliverAll("worker-b")).toBe(0);
      clock += 61_000;
      expect(await deliverAll("worker-b")).toBe(1);
      expect(await deliverAll("worker-a")).toBe(0);
      expect(slack.posts).toHaveLength(2);
      const rows = await deliveries();
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.status === "delivered")).toBe(true);
    });

    it("after a SIGKILL between the calls and their record, emails again under the same Message-ID and never posts to Slack twice", async () => {
      await prefer(ada, { reply_interested: "email" });
      await call(slackRoute.PUT, "/api/workspace/notifications/slack", {
        method: "PUT",
        cookie: ada,
        body: { url: slackUrl, kinds: ["reply_interested"] },
      });
      const crashed = await runCrashWorker(
        database.url ?? "",
        providerAccountId,
        "crash-3",
        "sent",
      );
      expect(crashed.signal, crashed.out).toBe("SIGKILL");
      expect(slack.posts).toHaveLength(1);
      expect(smtp.messages).toHaveLength(1);
      // The dead worker's lease still runs: nothing is claimed.
      clock = Date.now() + 5_000;
      expect(await deliverAll("worker-b")).toBe(0);
      // Once it ran out: the email goes again, the Slack post is closed as unknown.
      clock += 61_000;
      expect(await deliverAll("worker-b")).toBe(1);
      expect(await deliverAll("worker-a")).toBe(0);
      expect(slack.posts).toHaveLength(1);
      expect(smtp.messages).toHaveLength(2);
      const rows = await deliveries();
      const email = rows.find((r) => r.channel === "email");
      const post = rows.find((r) => r.channel === "slack");
      expect(email).toMatchObject({ status: "delivered", attempts: 2 });
      expect(post).toMatchObject({ status: "unknown", lastError: CALL_OUTCOME_UNKNOWN });
      const messageIds = smtp.messages.map((m) => /^Message-ID:\s*(\S+)/im.exec(m.raw)?.[1]);
      expect(messageIds).toEqual([
        `<${email?.id}@outflow.notifications>`,
        `<${email?.id}@outflow.notifications>`,
      ]);
    });
  }
});
