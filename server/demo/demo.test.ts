import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestEvent } from "@/db/engine/events";
import { nextWakeUp } from "@/db/engine/simulation";
import { createEngineStore } from "@/db/engine/store";
import { createDatabaseSandboxStore } from "@/db/sandbox-store";
import {
  action,
  campaign,
  creditPool,
  enrollment,
  lead,
  organization,
  sandboxReceived,
  senderAccount,
} from "@/db/schema/index";
import { apiRequest, routeParams, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";
import { VirtualClock } from "@/workflows/engine/clock";
import { pumpEvents, runDueBatch } from "@/workflows/engine/worker";
import { branchMap } from "@/workflows/graph/index";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import { publicIdentifierSchema } from "../campaigns/add-leads-to-campaign";
import { resolveCaller } from "../http/guard";
import { DEMO_LEAD_COUNT, DEMO_WORKING_HOURS, demoGraph, demoLeads } from "./demo-data";
import { sandboxDelivery } from "./get-sandbox-delivery";

const campaignActions = await import("@/app/(app)/campaigns/actions");
const demoRoute = await import("@/app/api/demo/route");
const campaignRoute = await import("@/app/api/campaigns/[campaignId]/route");

async function loadDemo(cookie: string, body: unknown = {}) {
  const response = await demoRoute.POST(
    apiRequest("/api/demo", { method: "POST", cookie, body }),
    routeParams({}),
  );
  return { status: response.status, body: await response.json() };
}

describe("demo leads", () => {
  it("are 200 distinct, valid and the same every time", () => {
    const leads = demoLeads();
    expect(leads).toHaveLength(DEMO_LEAD_COUNT);
    expect(leads[0]).toMatchObject({
      publicIdentifier: "demo-ada-lovelace-0001",
      firstName: "Ada",
      lastName: "Lovelace",
    });
    expect(new Set(leads.map((l) => l.publicIdentifier)).size).toBe(DEMO_LEAD_COUNT);
    expect(new Set(leads.map((l) => `${l.firstName} ${l.lastName}`)).size).toBe(DEMO_LEAD_COUNT);
    for (const l of leads) {
      expect(publicIdentifierSchema.safeParse(l.publicIdentifier).success).toBe(true);
      expect(l.company).not.toBe("");
      expect(l.title).not.toBe("");
    }
    expect(demoLeads()).toEqual(leads);
  });
});

describe.each(BACKENDS)("the demo on %s", (backend) => {
  let database: TestDatabase;
  let cookie: string;
  let workspaceId: string;

  async function countsOf(id: string) {
    const { db } = database;
    return {
      accounts: (await db.select().from(senderAccount).where(eq(senderAccount.workspaceId, id)))
        .length,
      leads: (await db.select().from(lead).where(eq(lead.workspaceId, id))).length,
      campaigns: await db.select().from(campaign).where(eq(campaign.workspaceId, id)),
      enrollments: (await db.select().from(enrollment).where(eq(enrollment.workspaceId, id)))
        .length,
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ({ cookie } = await signUp("Nora Quinn", "nora@example.com"));
    const [workspace] = await database.db.select({ id: organization.id }).from(organization);
    workspaceId = workspace!.id;
  });

  afterAll(async () => {
    await database?.destroy();
  });

  let owners = 0;
  /** A new owner's workspace with the demo loaded, for a test that runs or reloads it. */
  async function freshDemo(timeZone = "America/Chicago") {
    owners += 1;
    const owner = await signUp(`Demo Owner ${owners}`, `demo-owner-${owners}@example.com`);
    const loaded = await loadDemo(owner.cookie, { timeZone });
    expect(loaded.status).toBe(201);
    const caller = await resolveCaller(new Headers({ cookie: owner.cookie }));
    return { cookie: owner.cookie, workspaceId: caller.workspace.workspaceId };
  }

  it("makes 1 sandbox account, 200 leads and 1 running campaign with 200 enrollments", async () => {
    const loaded = await loadDemo(cookie, { timeZone: "America/Chicago" });
    expect(loaded.status).toBe(201);
    expect(loaded.body).toMatchObject({ created: true, leads: 200, enrolled: 200 });

    const counts = await countsOf(workspaceId);
    expect(counts).toMatchObject({ accounts: 1, leads: 200, enrollments: 200 });
    expect(counts.campaigns).toHaveLength(1);
    expect(counts.campaigns[0]).toMatchObject({
      id: loaded.body.campaignId,
      name: "Demo: Connect first, InMail those who don't accept",
      status: "running",
    });
    const [account] = await database.db
      .select()
      .from(senderAccount)
      .where(eq(senderAccount.workspaceId, workspaceId));
    expect(account).toMatchObject({ name: "Demo sender", provider: "sandbox", status: "active" });
    expect(account!.pacing).toMatchObject({
      timeZone: "America/Chicago",
      // Real hours: Monday to Friday, 09:00 to 18:00 in the visitor's zone.
      workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
      // A second campaign launched on the demo seat does not hold back the demo's follow-ups.
      priorities: true,
    });
    const [pool] = await database.db
      .select()
      .from(creditPool)
      .where(eq(creditPool.id, account!.creditPoolId!));
    expect(pool).toMatchObject({ plan: "sales_navigator_core", balance: 50 });

    const detail = await campaignRoute.GET(
      apiRequest(`/api/campaigns/${loaded.body.campaignId}`, { cookie }),
      routeParams({ campaignId: loaded.body.campaignId }),
    );
    expect(await detail.json()).toMatchObject({
      status: "running",
      counts: { enrolled: 200, active: 200 },
      nodes: expect.arrayContaining([expect.objectContaining({ nodeId: "start", waiting: 200 })]),
    });
  });

  it("leaves rows the engine picks up at once, at full (warmed-up) caps", async () => {
    const { workspaceId } = await freshDemo();
    // Other tests' demos are due too: claim until nothing is left, keeping this workspace's.
    const store = createEngineStore(database.db);
    const ours = new Map<string, Awaited<ReturnType<typeof store.claimDue>>[number]>();
    for (let round = 0; round < 50; round++) {
      const claimed = await store.claimDue({
        now: new Date(Date.now() + 1000),
        owner: "demo-test",
        leaseMs: 60_000,
        limit: 500,
      });
      if (claimed.length === 0) break;
      for (const c of claimed) {
        if (c.enrollment.workspaceId === workspaceId) ours.set(c.enrollment.id, c);
      }
    }
    expect(ours.size).toBe(200);
    const [first] = ours.values();
    expect(first!.account.pacing.warmup.startDate).not.toBeNull();
    expect(first!.account.pacing.warmup.startDate! < new Date().toISOString()).toBe(true);
  });

  it("a second click does not duplicate: it answers the same campaign", async () => {
    const { cookie, workspaceId } = await freshDemo();
    const [before] = (await countsOf(workspaceId)).campaigns;
    const again = await loadDemo(cookie, {});
    expect(again).toEqual({
      status: 200,
      body: { campaignId: before!.id, created: false, leads: 0, enrolled: 0 },
    });
    actAs(cookie);
    const action = await campaignActions.loadDemoAction({});
    expect(action).toMatchObject({ ok: true, data: { campaignId: before!.id, created: false } });
    const counts = await countsOf(workspaceId);
    expect(counts).toMatchObject({ accounts: 1, leads: 200, enrollments: 200 });
    expect(counts.campaigns).toHaveLength(1);
  });

  it("two clicks at once still make one demo, in the browser's zone or UTC", async () => {
    const { cookie: other } = await signUp("Olga Owner", "olga@example.com");
    const results = await Promise.all([
      loadDemo(other, { timeZone: "Not/AZone" }),
      loadDemo(other, { timeZone: "Not/AZone" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(results[0]!.body.campaignId).toBe(results[1]!.body.campaignId);
    const [row] = await database.db
      .select({ workspaceId: campaign.workspaceId })
      .from(campaign)
      .where(eq(campaign.id, results[0]!.body.campaignId));
    const counts = await countsOf(row!.workspaceId);
    expect(counts).toMatchObject({ accounts: 1, leads: 200, enrollments: 200 });
    const [account] = await database.db
      .select({ pacing: senderAccount.pacing })
      .from(senderAccount)
      .where(eq(senderAccount.workspaceId, row!.workspaceId));
    expect(account?.pacing).toMatchObject({ timeZone: "UTC", workingHours: DEMO_WORKING_HOURS });
  });

  it("has two InMail branches, the second a follow-up to those who did not answer the first", () => {
    const graph = demoGraph();
    const inmails = graph.nodes.filter((node) => node.kind === "inmail");
    expect(inmails.map((node) => node.id)).toEqual(["inmail", "follow-up"]);
    const paths = branchMap(graph).byNode;
    expect(paths.get("follow-up")?.map((path) => path.label)).toEqual([
      expect.stringMatching(/Not accepted.*No reply/),
    ]);
  });

  it("counts what the sandbox seat sent against what the sandbox received, and repeats", async () => {
    const { cookie, workspaceId } = await freshDemo();
    const caller = await resolveCaller(new Headers({ cookie }));
    const [demo] = (await countsOf(workspaceId)).campaigns;
    expect(await sandboxDelivery(caller, { campaignId: demo!.id })).toEqual({
      sent: 0,
      received: 0,
      duplicates: 0,
    });
    // The engine runs the demo on a virtual clock against the sandbox until a few sends went out.
    const world = new SandboxWorld({
      seed: "demo-test",
      store: createDatabaseSandboxStore(database.db),
    });
    const clock = new VirtualClock(new Date());
    const deps = {
      store: createEngineStore(database.db),
      provider: world,
      clock,
      owner: "demo-test",
    };
    for (let i = 0; i < 400; i++) {
      const sent = await database.db
        .select()
        .from(action)
        .where(and(eq(action.campaignId, demo!.id), eq(action.status, "sent")));
      if (sent.length >= 3) break;
      // LinkedIn's answers are delivered as the engine's webhook path would: an event left
      // undelivered would hold the next wake-up in the past (other tests' demos send too).
      const now = clock.now();
      await pumpEvents(world, now, (event) => ingestEvent(database.db, "sandbox", event, now));
      if ((await runDueBatch(deps, { batchSize: 50 })) > 0) continue;
      const next = await nextWakeUp(database, now);
      if (!next) break;
      // At least a minute on: a row the engine leaves for later does not hold the clock.
      clock.advanceTo(Math.max(next.getTime(), clock.now().getTime() + 60_000));
    }
    const delivery = await sandboxDelivery(caller, { campaignId: demo!.id });
    expect(delivery!.sent).toBeGreaterThanOrEqual(3);
    expect(delivery).toEqual({ sent: delivery!.sent, received: delivery!.sent, duplicates: 0 });
    // Every send fell in the seat's working hours, in its zone (Chicago).
    const sent = await database.db.select().from(action).where(eq(action.workspaceId, workspaceId));
    for (const row of sent.filter((a) => a.status === "sent")) {
      const local = new Intl.DateTimeFormat("en-GB", {
        timeZone: "America/Chicago",
        weekday: "short",
        hour: "2-digit",
        hourCycle: "h23",
      }).formatToParts(row.sentAt!);
      const hour = Number(local.find((p) => p.type === "hour")!.value);
      expect(["Sat", "Sun"]).not.toContain(local.find((p) => p.type === "weekday")!.value);
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(18);
    }
    // A send LinkedIn got twice (a retry under the next attempt's key) shows as a duplicate.
    const [one] = await database.db
      .select()
      .from(sandboxReceived)
      .where(
        eq(sandboxReceived.idempotencyKey, sent.find((a) => a.status === "sent")!.idempotencyKey),
      );
    const retryKey = one!.idempotencyKey.replace(/:[^:]*$/, ":9");
    await database.db.insert(action).values({
      ...sent.find((a) => a.idempotencyKey === one!.idempotencyKey)!,
      id: "retry-action",
      idempotencyKey: retryKey,
      status: "failed",
    });
    await database.db.insert(sandboxReceived).values({
      idempotencyKey: retryKey,
      providerAccountId: one!.providerAccountId,
      leadPublicIdentifier: one!.leadPublicIdentifier,
      kind: one!.kind,
      at: one!.at,
      record: one!.record,
    });
    expect(await sandboxDelivery(caller, { campaignId: demo!.id })).toEqual({
      sent: delivery!.sent,
      received: delivery!.sent + 1,
      duplicates: 1,
    });
    // Another workspace's caller learns nothing of it.
    const { cookie: stranger } = await signUp("Sid Stranger", "sid-demo@example.com");
    const other = await resolveCaller(new Headers({ cookie: stranger }));
    expect(await sandboxDelivery(other, { campaignId: demo!.id })).toBeNull();
  }, 120_000);
});
