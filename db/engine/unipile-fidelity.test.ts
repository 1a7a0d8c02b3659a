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
import { type FailureRule, FakeUnipile } from "@/test/fake-unipile/server";
import { VirtualClock } from "@/workflows/engine/clock";
import { MAX_REQUEST_ATTEMPTS, REQUEST_REFUSED } from "@/workflows/engine/step";
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
  campaign,
  campaignAlert,
  creditPool,
  enrollment,
  inboundEvent,
  lead,
  leadApiId,
  notification,
  organization,
  providerCredential,
  senderAccount,
} from "../schema/index";
import { releaseCampaignAlert } from "./alerts";
import { nextWakeUp } from "./simulation";
import { createEngineStore } from "./store";

// What real LinkedIn seats do that the happy path does not show: InMail through each plan's
// product, errors about the request, the seat, the API key or one person, and relations read
// in any order. Every scenario runs the real engine against the strict fake Unipile, which
// answers 400 invalid_parameters to any request that does not match the SDK's input types.

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 11).toString("base64");

const START = new Date("2026-03-02T07:00:00Z"); // a Monday, before working hours in Paris
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const inmailGraph = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node(
    "inmail",
    "inmail",
    {
      variants: [
        { id: "a", weight: 1, subject: "Hello {{firstName|there}}", body: "A short note." },
      ],
      firstDegree: "send_message",
    },
    { x: 0, y: 100 },
  )
  .node("sent", "end", { outcome: "InMail sent" }, { x: -100, y: 200 })
  .node("not-sent", "end", { outcome: "InMail not sent" }, { x: 100, y: 200 })
  .chain("start", "inmail")
  .edge("inmail", "sent", "sent")
  .edge("inmail", "not_sent", "not-sent")
  .build();

const connectGraph = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node(
    "connect",
    "connect",
    {
      noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}" }],
      skipIfConnected: true,
    },
    { x: 0, y: 100 },
  )
  .node("done", "end", { outcome: "invited" }, { x: 0, y: 200 })
  .chain("start", "connect", "done")
  .build();

const followGraph = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("follow", "follow", {}, { x: 0, y: 100 })
  .node("done", "end", { outcome: "followed" }, { x: 0, y: 200 })
  .chain("start", "follow", "done")
  .build();

interface SeatInput {
  id: string;
  plan?: string;
  pool?: { plan: "premium_business" | "sales_navigator_core"; balance: number };
  fake?: Parameters<FakeUnipile["seat"]>[1];
}

interface Scenario {
  database: TestDatabase;
  fake: FakeUnipile;
  clock: VirtualClock;
  startedAt: Date;
  workspaceId: string;
  seats: string[];
  pools: Array<string | null>;
  campaigns: string[];
  run(days: number): Promise<void>;
  outcomes(campaignId: string): Promise<Record<string, string>>;
}

describe.each(BACKENDS)(
  "real LinkedIn fidelity on the strict fake Unipile, on %s",
  (backend) => {
    // One database, one fake and one clock for all scenarios, each in a workspace of its own;
    // a scenario's campaigns are paused when the next one starts, so they never mix.
    let database: TestDatabase;
    let fake: FakeUnipile;
    const clock = new VirtualClock(START);
    const running: string[] = [];

    beforeAll(async () => {
      database = await createTestDatabase(backend);
      fake = await new FakeUnipile({ now: () => clock.now() }).start();
    }, 120_000);

    afterAll(async () => {
      await fake?.stop();
      await database?.destroy();
    });

    async function scenario(input: {
      seats: SeatInput[];
      people: Record<string, Parameters<FakeUnipile["person"]>[1]>;
      graph: unknown;
      /** The leads of each seat's campaign (one campaign per seat). */
      leads: string[][];
      failures?: FailureRule[];
      prepare?: (fake: FakeUnipile) => void;
    }): Promise<Scenario> {
      const { db } = database;
      for (const id of running.splice(0)) {
        await db.update(campaign).set({ status: "paused" }).where(eq(campaign.id, id));
      }
      // Every scenario starts on a Monday morning before working hours in Paris, as the first
      // one does, whichever scenarios ran before it: their working days are the same.
      const monday = new Date(clock.now());
      monday.setUTCHours(START.getUTCHours(), 0, 0, 0);
      if (monday < clock.now()) monday.setUTCDate(monday.getUTCDate() + 1);
      while (monday.getUTCDay() !== START.getUTCDay()) monday.setUTCDate(monday.getUTCDate() + 1);
      clock.advanceTo(monday);
      const startedAt = clock.now();
      const workspaceId = randomUUID();
      await db
        .insert(organization)
        .values({ id: workspaceId, name: "Real seats", slug: `real-${workspaceId}` });
      await saveProviderCredential(db, workspaceId, {
        dsn: fake.baseUrl,
        apiKeyCiphertext: encryptSecret(fake.apiKey, requireEncryptionKey(), workspaceId),
        at: startedAt,
      });
      const seats: string[] = [];
      const pools: Array<string | null> = [];
      for (const seat of input.seats) {
        fake.seat(seat.id, seat.fake ?? {});
        const poolId = seat.pool
          ? await createCreditPool(db, workspaceId, {
              name: seat.id,
              plan: seat.pool.plan,
              renewalDay: 1,
              balance: seat.pool.balance,
              at: startedAt,
            })
          : null;
        pools.push(poolId);
        seats.push(
          await createSenderAccount(db, workspaceId, {
            name: seat.id,
            provider: "unipile",
            providerAccountId: seat.id,
            pacing: { timeZone: "Europe/Paris", warmup: { startDate: null } },
            creditPoolId: poolId,
            linkedinPlan: seat.plan,
          }),
        );
      }
      for (const [identifier, traits] of Object.entries(input.people))
        fake.person(identifier, traits);
      for (const rule of input.failures ?? []) fake.fail(rule);
      input.prepare?.(fake);
      const campaigns: string[] = [];
      for (const [index, identifiers] of input.leads.entries()) {
        const { campaignId } = await createCampaign(db, workspaceId, {
          name: `Campaign ${index}`,
          graph: input.graph,
          accountIds: [seats[index]!],
          seed: `fidelity-${index}`,
        });
        campaigns.push(campaignId);
        running.push(campaignId);
        const leadIds = await upsertLeads(
          db,
          workspaceId,
          identifiers.map((id) => ({ publicIdentifier: id, firstName: id.split("-")[0]! })),
        );
        await enrollLeads(db, workspaceId, campaignId, leadIds, { now: startedAt });
      }

      const adapters = createUnipileAdapters(db, { timeoutMs: 2_000 });
      const background = createUnipileBackground(db, adapters, { pollEveryMs: 6 * HOUR });
      const deps = {
        store: createEngineStore(db),
        provider: createProviderRouter({
          db,
          sandbox: new SandboxWorld({ seed: "unused", store: new InMemorySandboxStore() }),
          unipile: adapters,
        }),
        clock,
        owner: `fidelity-${backend}`,
      };
      async function deliver(payload: Record<string, unknown>) {
        const now = clock.now();
        const owner = await db
          .select({ workspaceId: senderAccount.workspaceId })
          .from(senderAccount)
          .where(eq(senderAccount.providerAccountId, String(payload.account_id)));
        const target = owner[0]?.workspaceId;
        if (!target) return;
        const receipt = await receiveUnipileWebhook(
          db,
          {
            workspaceId: target,
            secret: webhookSecretFor(target),
            body: async () => JSON.stringify(payload),
          },
          now,
        );
        if (receipt.deliveryId !== null) await processUnipileDelivery(db, receipt.deliveryId, now);
      }
      return {
        database,
        fake,
        clock,
        startedAt,
        workspaceId,
        seats,
        pools,
        campaigns,
        async run(days) {
          const end = clock.now().getTime() + days * DAY;
          for (;;) {
            const now = clock.now();
            for (const payload of fake.dueWebhooks(now)) await deliver(payload);
            await background.tick(now);
            if ((await runDueBatch(deps, { batchSize: 50 })) > 0) continue;
            // Held leads stay due but are not claimed: never wait on them.
            const candidates = [
              (await nextWakeUp(database, now))?.getTime(),
              fake.nextScheduledAt()?.getTime(),
              now.getTime() + 6 * HOUR,
            ].filter((t): t is number => t !== undefined && t > now.getTime());
            const next = Math.min(...candidates);
            if (next > end) break;
            clock.advanceTo(next);
          }
        },
        async outcomes(campaignId) {
          const rows = await db
            .select({
              identifier: lead.publicIdentifier,
              state: enrollment.state,
              outcome: enrollment.outcome,
              nodeId: enrollment.nodeId,
            })
            .from(enrollment)
            .innerJoin(lead, eq(lead.id, enrollment.leadId))
            .where(eq(enrollment.campaignId, campaignId));
          return Object.fromEntries(
            rows.map((r) => [
              r.identifier,
              r.state === "active" ? `at ${r.nodeId}` : (r.outcome ?? r.state),
            ]),
          );
        },
      };
    }

    async function actionsOf(s: Scenario, campaignId: string) {
      return s.database.db
        .select({
          identifier: lead.publicIdentifier,
          kind: action.kind,
          status: action.status,
          reason: action.reason,
        })
        .from(action)
        .innerJoin(lead, eq(lead.id, action.leadId))
        .where(eq(action.campaignId, campaignId))
        .orderBy(action.createdAt);
    }

    async function seatRow(s: Scenario, id: string) {
      const [row] = await s.database.db
        .select()
        .from(senderAccount)
        .where(eq(senderAccount.id, id));
      return row!;
    }

    it("a Sales Navigator seat's InMail goes through sales_navigator with the ACw id and draws that counter; a Premium seat's through classic", async () => {
      const s = await scenario({
        seats: [
          {
            id: "seat-sn",
            plan: "sales_navigator",
            pool: { plan: "sales_navigator_core", balance: 50 },
            fake: { inmailBalance: 0, salesNavigatorBalance: 40 },
          },
          { id: "seat-premium", plan: "premium", fake: { inmailBalance: 5 } },
        ],
        people: { "sam-sn": {}, "pia-premium": {} },
        graph: inmailGraph,
        leads: [["sam-sn"], ["pia-premium"]],
      });
      await s.run(2);
      expect(s.fake.refused).toEqual([]);
      expect(await s.outcomes(s.campaigns[0]!)).toEqual({ "sam-sn": "InMail sent" });
      expect(await s.outcomes(s.campaigns[1]!)).toEqual({ "pia-premium": "InMail sent" });

      const sam = s.fake.person("sam-sn");
      const pia = s.fake.person("pia-premium");
      const inmails = s.fake.sends
        .filter((x) => x.kind === "inmail")
        .sort((a, b) => a.accountId.localeCompare(b.accountId));
      // The wire carried each product's own member id (the strict fake checks the family).
      expect(sam.salesNavigatorId).toMatch(/^ACw/);
      expect(inmails).toEqual([
        expect.objectContaining({
          accountId: "seat-premium",
          attendeeId: pia.providerId,
          api: "classic",
          inmail: true,
        }),
        expect.objectContaining({
          accountId: "seat-sn",
          attendeeId: sam.salesNavigatorId,
          api: "sales_navigator",
          inmail: true,
        }),
      ]);
      const [cached] = await s.database.db
        .select()
        .from(leadApiId)
        .where(and(eq(leadApiId.accountId, s.seats[0]!), eq(leadApiId.api, "sales_navigator")));
      expect(cached!.providerId).toBe(sam.salesNavigatorId);

      // The Sales Navigator counter paid, not the classic one; the pool follows that counter.
      expect(s.fake.inmailBalance("seat-sn", "sales_navigator")).toBe(39);
      expect(s.fake.inmailBalance("seat-sn", "classic")).toBe(0);
      expect(s.fake.inmailBalance("seat-premium", "classic")).toBe(4);
      const [pool] = await s.database.db
        .select()
        .from(creditPool)
        .where(eq(creditPool.id, s.pools[0]!));
      expect(pool!.balance).toBe(39);
    });

    it("a malformed_request leaves the lead at its step, is retried, then holds the step with an alert; no lead is ended", async () => {
      const s = await scenario({
        seats: [{ id: "seat-bad-request" }],
        people: { "max-malformed": {}, "nia-fine": {} },
        graph: connectGraph,
        leads: [["max-malformed", "nia-fine"]],
        failures: [
          {
            call: "invite",
            failure: "malformed_request",
            accountId: "seat-bad-request",
            times: 100,
          },
        ],
      });
      await s.run(2);
      expect(await s.outcomes(s.campaigns[0]!)).toEqual({
        "max-malformed": "at connect",
        "nia-fine": "at connect",
      });
      const attempts = (await actionsOf(s, s.campaigns[0]!)).filter((a) => a.kind === "connect");
      // Every attempt failed as a refused request, none routed a lead; a bounded number of them.
      expect(attempts.every((a) => a.status === "failed" && a.reason === REQUEST_REFUSED)).toBe(
        true,
      );
      expect(attempts.length).toBeGreaterThanOrEqual(MAX_REQUEST_ATTEMPTS);
      expect(attempts.length).toBeLessThanOrEqual(2 * MAX_REQUEST_ATTEMPTS);
      const alerts = await s.database.db
        .select()
        .from(campaignAlert)
        .where(eq(campaignAlert.campaignId, s.campaigns[0]!));
      expect(alerts).toEqual([
        expect.objectContaining({
          nodeId: "connect",
          holdStep: true,
          title: "Outflow could not send",
          resolvedAt: null,
        }),
      ]);
      expect(alerts[0]!.detail).toContain("malformed_request");
      const notices = await s.database.db
        .select()
        .from(notification)
        .where(eq(notification.workspaceId, s.workspaceId));
      expect(notices).toEqual([expect.objectContaining({ kind: "step_held", audience: "admins" })]);
      expect((await seatRow(s, s.seats[0]!)).status).toBe("active");

      // Held: more days pass and nothing more is tried.
      const before = attempts.length;
      await s.run(3);
      expect(
        (await actionsOf(s, s.campaigns[0]!)).filter((a) => a.kind === "connect"),
      ).toHaveLength(before);

      // Fixed, then retried by a person: the held leads go on and the notice is closed.
      s.fake.clearFailures("seat-bad-request");
      expect(
        await releaseCampaignAlert(s.database.db, s.workspaceId, alerts[0]!.id, s.clock.now()),
      ).toBe(true);
      await s.run(3);
      expect(await s.outcomes(s.campaigns[0]!)).toEqual({
        "max-malformed": "invited",
        "nia-fine": "invited",
      });
      const [closed] = await s.database.db
        .select()
        .from(notification)
        .where(eq(notification.workspaceId, s.workspaceId));
      expect(closed!.closedAt).not.toBeNull();
    });

    it("feature_not_subscribed pauses the seat with the reason and leaves its leads alone", async () => {
      const s = await scenario({
        seats: [{ id: "seat-no-feature" }],
        people: { "ola-first": {}, "per-second": {} },
        graph: inmailGraph,
        leads: [["ola-first", "per-second"]],
        failures: [
          {
            call: "inmail",
            failure: "feature_not_subscribed",
            accountId: "seat-no-feature",
            times: 100,
          },
        ],
      });
      await s.run(2);
      const seat = await seatRow(s, s.seats[0]!);
      expect(seat.status).toBe("paused");
      expect(seat.statusReason).toContain("feature_not_subscribed");
      expect(await s.outcomes(s.campaigns[0]!)).toEqual({
        "ola-first": "at inmail",
        "per-second": "at inmail",
      });
      // One refusal paused the seat: the second lead was never tried.
      expect((await actionsOf(s, s.campaigns[0]!)).filter((a) => a.kind === "inmail")).toHaveLength(
        1,
      );
    });

    it("a 401 missing_credentials shows the credentials banner, tells the admins, and leaves seats active", async () => {
      const s = await scenario({
        seats: [{ id: "seat-key" }],
        people: { "quin-key": {} },
        graph: connectGraph,
        leads: [["quin-key"]],
        failures: [
          // Refused until the key is fixed (below), however many tries a working day holds.
          { call: "profile", failure: "missing_credentials", accountId: "seat-key", times: 1000 },
        ],
      });
      await s.run(1);
      const [credential] = await s.database.db
        .select()
        .from(providerCredential)
        .where(eq(providerCredential.workspaceId, s.workspaceId));
      expect(credential!.problem).toContain("check the Unipile API key");
      const notices = await s.database.db
        .select()
        .from(notification)
        .where(eq(notification.workspaceId, s.workspaceId));
      expect(notices).toEqual([
        expect.objectContaining({
          kind: "unipile_credentials",
          audience: "admins",
          title: "Check the Unipile API key",
        }),
      ]);
      expect((await seatRow(s, s.seats[0]!)).status).toBe("active");
      // Once the key answers again the lead goes on: nobody was ended meanwhile.
      s.fake.clearFailures("seat-key");
      await s.run(2);
      expect(await s.outcomes(s.campaigns[0]!)).toEqual({ "quin-key": "invited" });
    });

    it("cannot_resend_yet for one person makes that person wait three weeks and does not cool the seat", async () => {
      const s = await scenario({
        seats: [{ id: "seat-resend" }],
        people: { "ria-withdrawn": {}, "sol-next": {}, "tom-next": {} },
        graph: connectGraph,
        leads: [["ria-withdrawn", "sol-next", "tom-next"]],
        failures: [{ call: "invite", failure: "cannot_resend_yet", lead: "ria-withdrawn" }],
      });
      await s.run(4);
      const seat = await seatRow(s, s.seats[0]!);
      expect(seat.status).toBe("active");
      expect(seat.coolingUntil).toBeNull();
      expect(await s.outcomes(s.campaigns[0]!)).toEqual({
        "ria-withdrawn": "at connect",
        "sol-next": "invited",
        "tom-next": "invited",
      });
      const [ria] = await s.database.db
        .select({ nextRunAt: enrollment.nextRunAt })
        .from(enrollment)
        .innerJoin(lead, eq(lead.id, enrollment.leadId))
        .where(eq(lead.publicIdentifier, "ria-withdrawn"));
      expect(ria!.nextRunAt.getTime()).toBeGreaterThanOrEqual(s.startedAt.getTime() + 20 * DAY);
    });

    it("relations returned in any order, over several pages, are all found by the poll", async () => {
      const people = ["ann", "bo", "cy", "di", "ed", "fi", "gil"].map((n) => `${n}-accepts`);
      const s = await scenario({
        seats: [{ id: "seat-relations" }],
        people: Object.fromEntries(
          people.map((id, i) => [
            id,
            { acceptsAfterMs: (i + 1) * 3 * HOUR, acceptanceWebhookLost: true },
          ]),
        ),
        graph: connectGraph,
        leads: [people],
        prepare: (fake) => {
          fake.relationsOrder = { shuffle: true, pageSize: 2 };
          // Older connections of the seat, in among the new ones.
          for (const old of ["old-one", "old-two", "old-three"]) {
            fake.person(old);
            fake.accept("seat-relations", old, new Date(clock.now().getTime() - 30 * DAY));
          }
        },
      });
      await s.run(4);
      const accepted = await s.database.db
        .selectDistinct({ identifier: lead.publicIdentifier })
        .from(inboundEvent)
        .innerJoin(lead, eq(lead.id, inboundEvent.leadId))
        .where(and(eq(lead.workspaceId, s.workspaceId), eq(inboundEvent.type, "accepted")));
      expect(accepted.map((a) => a.identifier).sort()).toEqual([...people].sort());
    });

    it("follows through the raw route with encoding false, and a LinkedIn refusal inside a 2xx is not counted as sent", async () => {
      const s = await scenario({
        seats: [{ id: "seat-follow" }],
        people: { "uma-follows": {}, "vic-refused": {} },
        graph: followGraph,
        leads: [["uma-follows", "vic-refused"]],
        failures: [
          { call: "follow", failure: "linkedin_refusal_in_2xx", lead: "vic-refused", times: 100 },
        ],
      });
      await s.run(4);
      expect(s.fake.refused).toEqual([]);
      expect(
        s.fake.sends.filter((x) => x.kind === "follow").map((x) => x.publicIdentifier),
      ).toEqual(["uma-follows"]);
      const actions = await actionsOf(s, s.campaigns[0]!);
      expect(actions.filter((a) => a.identifier === "uma-follows")).toEqual([
        expect.objectContaining({ status: "sent" }),
      ]);
      const vic = actions.filter((a) => a.identifier === "vic-refused");
      expect(vic.length).toBeGreaterThan(0);
      expect(vic.every((a) => a.status !== "sent")).toBe(true);
      expect((await s.outcomes(s.campaigns[0]!))["vic-refused"]).toBe("at follow");
    });
  },
  180_000,
);

describe("the strict fake Unipile refuses requests that drift from the SDK's input types", () => {
  let fake: FakeUnipile;
  beforeAll(async () => {
    fake = await new FakeUnipile().start();
    fake.seat("seat-x");
    fake.person("wes-strict");
  });
  afterAll(async () => {
    await fake.stop();
  });

  async function post(path: string, body: BodyInit, contentType?: string) {
    const response = await fetch(`${fake.baseUrl}/api/v1/${path}`, {
      method: "POST",
      headers: {
        "x-api-key": fake.apiKey,
        ...(contentType ? { "content-type": contentType } : {}),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as { type?: string } };
  }

  it("an InMail through sales_navigator addressed with a classic id answers 400 invalid_parameters", async () => {
    const form = new FormData();
    form.append("account_id", "seat-x");
    form.append("text", "Hello");
    form.append("attendees_ids", fake.person("wes-strict").providerId);
    form.append("linkedin[api]", "sales_navigator");
    form.append("linkedin[inmail]", "true");
    const answer = await post("chats", form);
    expect(answer).toMatchObject({ status: 400, body: { type: "errors/invalid_parameters" } });
    expect(fake.sends).toEqual([]);
  });

  it("a follow without encoding false, or an invitation without provider_id, answers 400", async () => {
    const follow = await post(
      "linkedin",
      JSON.stringify({ account_id: "seat-x", method: "POST", request_url: "https://x", body: {} }),
      "application/json",
    );
    expect(follow).toMatchObject({ status: 400, body: { type: "errors/invalid_parameters" } });
    const invite = await post(
      "users/invite",
      JSON.stringify({ account_id: "seat-x" }),
      "application/json",
    );
    expect(invite).toMatchObject({ status: 400, body: { type: "errors/invalid_parameters" } });
    expect(fake.sends).toEqual([]);
  });
});
