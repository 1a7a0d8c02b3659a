import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProviderRouter } from "@/server/runtime/provider-router";
import { createUnipileAdapters } from "@/server/unipile/adapters";
import { createUnipileBackground } from "@/server/unipile/background";
import { encryptSecret, requireEncryptionKey } from "@/server/unipile/crypto";
import {
  processUnipileDelivery,
  receiveUnipileWebhook,
  webhookSecretFor,
} from "@/server/unipile/webhooks";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { FakeUnipile } from "@/test/fake-unipile/server";
import { VirtualClock } from "@/workflows/engine/clock";
import type { EngineDeps } from "@/workflows/engine/step";
import { runDueBatch } from "@/workflows/engine/worker";
import { buildGraph } from "@/workflows/graph/index";
import { InMemorySandboxStore, SandboxWorld } from "@/workflows/providers/sandbox/index";
import {
  createCampaign,
  createCreditPool,
  createSenderAccount,
  enrollLeads,
  upsertLeads,
} from "../queries/launch";
import { saveProviderCredential } from "../queries/unipile";
import {
  action,
  creditLedger,
  creditPool,
  enrollment,
  inboundEvent,
  lead,
  organization,
  senderAccount,
} from "../schema/index";
import { nextWakeUp } from "./simulation";
import { createEngineStore } from "./store";

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");

const START = new Date("2026-03-02T07:00:00Z"); // a Monday, before working hours in Paris
const DAYS = 10;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEAT_A = "uni-seat-a";
const SEAT_B = "uni-seat-b";

const graph = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("visit", "visit", {}, { x: 0, y: 100 })
  .node(
    "connect",
    "connect",
    {
      noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}, happy to connect?" }],
      skipIfConnected: true,
    },
    { x: 0, y: 200 },
  )
  .node("accepted", "if_accepted", { withinDays: 3 }, { x: 0, y: 300 })
  .node(
    "thanks",
    "message",
    { variants: [{ id: "a", weight: 1, text: "Thanks for connecting, {{firstName|there}}!" }] },
    { x: -200, y: 400 },
  )
  .node("replied", "if_replied", { withinDays: 3 }, { x: -200, y: 500 })
  .node(
    "inmail",
    "inmail",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          subject: "Quick question, {{firstName|there}}",
          body: "Hi {{firstName|there}}, worth a short call about outreach?",
        },
      ],
      firstDegree: "send_message",
    },
    { x: 200, y: 400 },
  )
  .node("end-replied", "end", { outcome: "replied" }, { x: -300, y: 600 })
  .node("end-no-answer", "end", { outcome: "no answer" }, { x: -100, y: 600 })
  .node("end-inmail", "end", { outcome: "InMail sent" }, { x: 150, y: 600 })
  .node("end-not-sent", "end", { outcome: "InMail not sent" }, { x: 300, y: 600 })
  .chain("start", "visit", "connect", "accepted")
  .edge("accepted", "yes", "thanks")
  .edge("accepted", "no", "inmail")
  .chain("thanks", "replied")
  .edge("replied", "yes", "end-replied")
  .edge("replied", "no", "end-no-answer")
  .edge("inmail", "sent", "end-inmail")
  .edge("inmail", "not_sent", "end-not-sent")
  .build();

describe.each(BACKENDS)("the engine on Unipile (fake) on %s", (backend) => {
  let database: TestDatabase;
  let fake: FakeUnipile;
  let clock: VirtualClock;
  let workspaceId: string;
  let seatA: string;
  let seatB: string;
  let poolId: string;
  let campaignA: string;
  let campaignB: string;

  async function deliver(payload: Record<string, unknown>) {
    const now = clock.now();
    const receipt = await receiveUnipileWebhook(
      database.db,
      {
        workspaceId,
        secret: webhookSecretFor(workspaceId),
        body: async () => JSON.stringify(payload),
      },
      now,
    );
    expect(receipt.status).toBe(200);
    if (receipt.deliveryId !== null) {
      await processUnipileDelivery(database.db, receipt.deliveryId, now);
    }
  }

  async function outcomes(campaignId: string) {
    const rows = await database.db
      .select({
        identifier: lead.publicIdentifier,
        state: enrollment.state,
        outcome: enrollment.outcome,
      })
      .from(enrollment)
      .innerJoin(lead, eq(lead.id, enrollment.leadId))
      .where(eq(enrollment.campaignId, campaignId));
    return Object.fromEntries(rows.map((r) => [r.identifier, r.outcome ?? r.state]));
  }

  async function actionsOf(campaignId: string) {
    return database.db
      .select({
        identifier: lead.publicIdentifier,
        kind: action.kind,
        status: action.status,
        reason: action.reason,
      })
      .from(action)
      .innerJoin(lead, eq(lead.id, action.leadId))
      .where(eq(action.campaignId, campaignId));
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    clock = new VirtualClock(START);
    fake = await new FakeUnipile({ now: () => clock.now() }).start();
    const { db } = database;
    workspaceId = randomUUID();
    await db
      .insert(organization)
      .values({ id: workspaceId, name: "Real seats", slug: `real-${workspaceId}` });
    await saveProviderCredential(db, workspaceId, {
      dsn: fake.baseUrl,
      apiKeyCiphertext: encryptSecret(fake.apiKey, requireEncryptionKey(), workspaceId),
      at: START,
    });
    poolId = await createCreditPool(db, workspaceId, {
      name: "Premium",
      plan: "premium_business",
      renewalDay: 1,
      balance: 10,
      at: START,
    });
    // LinkedIn counts fewer credits than the pool believes: the first refusal syncs the pool.
    fake.seat(SEAT_A, { inmailBalance: 6 });
    fake.seat(SEAT_B);
    const pacing = { timeZone: "Europe/Paris", warmup: { startDate: null } };
    seatA = await createSenderAccount(db, workspaceId, {
      name: "Seat A",
      provider: "unipile",
      providerAccountId: SEAT_A,
      pacing,
      creditPoolId: poolId,
    });
    seatB = await createSenderAccount(db, workspaceId, {
      name: "Seat B",
      provider: "unipile",
      providerAccountId: SEAT_B,
      pacing,
    });

    // The people LinkedIn knows, and what each one does.
    fake.person("ana-replies", { acceptsAfterMs: DAY, repliesAfterMs: 2 * HOUR });
    fake.person("ben-silent-accept", { acceptsAfterMs: DAY, acceptanceWebhookLost: true });
    fake.person("cat-ignores");
    fake.person("dan-refuses-inmail", { refusesInmail: true });
    fake.person("eve-no-credit");
    fake.person("fay-invited-before");
    fake.person("gus-5xx-invite");
    fake.person("hal-message-timeout", { acceptsAfterMs: DAY });
    fake.person("ivy-rate-limited");
    fake.person("jon-on-b");
    fake.person("kim-on-b");
    fake.fail({ call: "inmail", failure: "insufficient_credits", lead: "eve-no-credit" });
    fake.fail({ call: "invite", failure: "already_invited_recently", lead: "fay-invited-before" });
    fake.fail({ call: "invite", failure: "5xx_after_send", lead: "gus-5xx-invite" });
    fake.fail({ call: "start_chat", failure: "timeout_after_send", lead: "hal-message-timeout" });
    fake.fail({ call: "visit", failure: "429", lead: "ivy-rate-limited" });
    fake.fail({ call: "invite", failure: "account_restricted", accountId: SEAT_B });

    const leadsA = [
      "ana-replies",
      "ben-silent-accept",
      "cat-ignores",
      "dan-refuses-inmail",
      "eve-no-credit",
      "fay-invited-before",
      "gus-5xx-invite",
      "hal-message-timeout",
      "ivy-rate-limited",
    ];
    const leadsB = ["jon-on-b", "kim-on-b"];
    const asLeads = (ids: string[]) =>
      ids.map((id) => ({ publicIdentifier: id, firstName: id.split("-")[0]! }));
    ({ campaignId: campaignA } = await createCampaign(db, workspaceId, {
      name: "On seat A",
      graph,
      accountIds: [seatA],
      seed: "unipile-a",
    }));
    ({ campaignId: campaignB } = await createCampaign(db, workspaceId, {
      name: "On seat B",
      graph,
      accountIds: [seatB],
      seed: "unipile-b",
    }));
    await enrollLeads(
      db,
      workspaceId,
      campaignA,
      await upsertLeads(db, workspaceId, asLeads(leadsA)),
      {
        now: START,
      },
    );
    await enrollLeads(
      db,
      workspaceId,
      campaignB,
      await upsertLeads(db, workspaceId, asLeads(leadsB)),
      {
        now: START,
      },
    );

    // The same wiring as the engine runtime, on a virtual clock.
    const adapters = createUnipileAdapters(db, { timeoutMs: 300 });
    const background = createUnipileBackground(db, adapters, { pollEveryMs: 6 * HOUR });
    const deps: EngineDeps = {
      store: createEngineStore(db),
      provider: createProviderRouter({
        db,
        sandbox: new SandboxWorld({ seed: "unused", store: new InMemorySandboxStore() }),
        unipile: adapters,
      }),
      clock,
      owner: "unipile-test",
    };
    const end = START.getTime() + DAYS * DAY;
    for (;;) {
      const now = clock.now();
      for (const payload of fake.dueWebhooks(now)) await deliver(payload);
      await background.tick(now);
      if ((await runDueBatch(deps, { batchSize: 50 })) > 0) continue;
      const candidates = [
        (await nextWakeUp(database, now))?.getTime(),
        fake.nextScheduledAt()?.getTime(),
        // The relations poll runs every 6 hours of engine time.
        now.getTime() + 6 * HOUR,
      ].filter((t): t is number => t !== undefined);
      const next = Math.min(...candidates);
      if (next > end) break;
      clock.advanceTo(Math.max(next, now.getTime() + 1));
    }
  }, 180_000);

  afterAll(async () => {
    await fake?.stop();
    await database?.destroy();
  });

  it("walks every lead to the end its story calls for", async () => {
    expect(await outcomes(campaignA)).toEqual({
      "ana-replies": "replied",
      "ben-silent-accept": "no answer",
      "cat-ignores": "InMail sent",
      "dan-refuses-inmail": "InMail not sent",
      "eve-no-credit": "InMail not sent",
      "fay-invited-before": "InMail sent",
      "gus-5xx-invite": "InMail sent",
      "hal-message-timeout": "no answer",
      "ivy-rate-limited": "InMail sent",
    });
  });

  it("LinkedIn's record shows nobody contacted twice, and every sent action exactly once", async () => {
    const perPersonAndKind = new Map<string, number>();
    for (const send of fake.sends) {
      const key = `${send.accountId}|${send.publicIdentifier}|${send.kind}`;
      perPersonAndKind.set(key, (perPersonAndKind.get(key) ?? 0) + 1);
    }
    for (const [key, count] of perPersonAndKind) expect({ key, count }).toEqual({ key, count: 1 });

    const sent = (await actionsOf(campaignA)).filter((a) => a.status === "sent");
    const wireKind = (kind: string) => (kind === "connect" ? "invite" : kind);
    const fromEngine = sent.map((a) => `${a.identifier}|${wireKind(a.kind)}`).sort();
    const fromLinkedIn = fake.sends
      .filter((s) => s.accountId === SEAT_A)
      .map((s) => `${s.publicIdentifier}|${s.kind}`)
      .sort();
    expect(fromLinkedIn).toEqual(fromEngine);
  });

  it("visits carry notify=true; InMails go as InMail through the classic API, with their subject", async () => {
    const visits = fake.sends.filter((s) => s.kind === "visit");
    // Every lead was visited once (Ivy after the rate limit), with the notification on.
    expect(visits.map((v) => v.publicIdentifier).sort()).toEqual(
      [...Object.keys(await outcomes(campaignA)), "jon-on-b", "kim-on-b"].sort(),
    );
    for (const visit of visits) expect(visit.notify).toBe(true);
    const inmails = fake.sends.filter((s) => s.kind === "inmail");
    expect(inmails.map((s) => s.publicIdentifier).sort()).toEqual([
      "cat-ignores",
      "fay-invited-before",
      "gus-5xx-invite",
      "ivy-rate-limited",
    ]);
    for (const inmail of inmails) {
      const firstName = inmail.publicIdentifier.split("-")[0];
      expect(inmail).toMatchObject({
        inmail: true,
        api: "classic",
        subject: `Quick question, ${firstName}`,
      });
    }
    for (const invite of fake.sends.filter((s) => s.kind === "invite")) {
      expect(invite.note).toBe(`Hi ${invite.publicIdentifier.split("-")[0]}, happy to connect?`);
    }
  });

  it("routes refusals by their reason; reconciles unknown outcomes; cools down on a rate limit", async () => {
    const actions = await actionsOf(campaignA);
    const find = (identifier: string, kind: string) =>
      actions.filter((a) => a.identifier === identifier && a.kind === kind);
    expect(find("dan-refuses-inmail", "inmail")).toEqual([
      expect.objectContaining({ status: "not_sent", reason: "recipient_refuses_inmail" }),
    ]);
    expect(find("eve-no-credit", "inmail")).toEqual([
      expect.objectContaining({ status: "not_sent", reason: "no_credit" }),
    ]);
    expect(find("fay-invited-before", "connect")).toEqual([
      expect.objectContaining({ status: "not_sent", reason: "already_invited" }),
    ]);
    // Unknown outcomes were looked up before anything else: found sent, never sent again.
    expect(find("gus-5xx-invite", "connect")).toEqual([
      expect.objectContaining({ status: "sent", reason: "reconciled" }),
    ]);
    expect(find("hal-message-timeout", "message")).toEqual([
      expect.objectContaining({ status: "sent", reason: "reconciled" }),
    ]);
    // The 429 failed the attempt and the visit went through on a later day.
    expect(find("ivy-rate-limited", "visit").map((a) => [a.status, a.reason])).toEqual([
      ["failed", "limited"],
      ["sent", null],
    ]);
  });

  it("takes acceptances from webhooks and from the relations poll, and replies only from the lead", async () => {
    const events = await database.db
      .select({ identifier: lead.publicIdentifier, type: inboundEvent.type })
      .from(inboundEvent)
      .innerJoin(lead, eq(lead.id, inboundEvent.leadId))
      .where(eq(inboundEvent.accountId, seatA));
    const of = (type: string) =>
      events
        .filter((e) => e.type === type)
        .map((e) => e.identifier)
        .sort();
    expect(of("accepted")).toEqual(["ana-replies", "ben-silent-accept", "hal-message-timeout"]);
    // The seat's own messages came through the webhook too; only Ana's answer is a reply.
    expect(of("replied")).toEqual(["ana-replies"]);
  });

  it("syncs the pool with LinkedIn's InMail balance through an adjustment entry", async () => {
    const entries = await database.db
      .select()
      .from(creditLedger)
      .where(and(eq(creditLedger.poolId, poolId), eq(creditLedger.type, "adjustment")));
    expect(entries.some((e) => e.note === "synced with LinkedIn's InMail balance")).toBe(true);
    const [pool] = await database.db.select().from(creditPool).where(eq(creditPool.id, poolId));
    expect(pool!.balance).toBe(fake.inmailBalance(SEAT_A));
  });

  it("pauses the restricted seat and all its work", async () => {
    const [seat] = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.id, seatB));
    expect(seat!.status).toBe("restricted");
    expect(fake.sends.filter((s) => s.accountId === SEAT_B && s.kind !== "visit")).toEqual([]);
    const actions = await actionsOf(campaignB);
    expect(actions.filter((a) => a.kind === "connect")).toEqual([
      expect.objectContaining({ status: "failed", reason: "restricted" }),
    ]);
    const rows = await database.db
      .select({ state: enrollment.state })
      .from(enrollment)
      .where(eq(enrollment.campaignId, campaignB));
    expect(rows.map((r) => r.state)).toEqual(["active", "active"]);
  });
});
