import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prepareSimulation, runSimulation } from "@/db/engine/simulation";
import { buildTrace } from "@/db/engine/trace";
import {
  createCampaign,
  createCreditPool,
  createSenderAccount,
  enrollLeads,
  upsertLeads,
} from "@/db/queries/launch";
import { action, campaign as campaignTable, enrollment, inboundEvent } from "@/db/schema/index";
import { callRoute, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { generateLeads } from "@/workflows/simulation/campaign-file";
import { FORECAST_SEEDS, seedFigures, summarizeForecast } from "@/workflows/simulation/forecast";
import { simulateInMemory } from "@/workflows/simulation/memory-run";
import { starterTemplates } from "@/workflows/templates/index";
import { type Caller, resolveCaller } from "../http/guard";
import { forecastSpecs } from "./forecast-specs";
import { forecastLoad, runForecastInWorker, setForecastLimits } from "./forecast-workers";
import { campaignEta } from "./get-campaign-eta";
import { campaignForecast, clearForecastCache, lastForecast } from "./get-campaign-forecast";
import { MIN_SETTLED_INVITATIONS, observedRates } from "./observed-rates";

const forecastRoute = await import("@/app/api/campaigns/[campaignId]/forecast/route");
const campaignsRoute = await import("@/app/api/campaigns/route");

const NOW = new Date("2026-03-02T08:00:00Z");
const DAY_MS = 86_400_000;
const graph = starterTemplates.find((t) => t.id === "connect-then-inmail")!.graph;

describe.each(BACKENDS)("the campaign forecast on %s", (backend) => {
  let database: TestDatabase;
  let caller: Caller;
  let campaignId: string;
  let annaId: string;
  let cookie: string;
  let brunoId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ({ cookie } = await signUp("Fiona Forecast", "fiona@example.com"));
    caller = await resolveCaller(new Headers({ cookie }));
    const ws = caller.workspace.workspaceId;
    const poolId = await createCreditPool(database.db, ws, {
      name: "Sales Navigator",
      plan: "sales_navigator_core",
      renewalDay: 15,
      balance: 8,
      at: NOW,
    });
    const seat = await createSenderAccount(database.db, ws, {
      name: "Anna",
      provider: "sandbox",
      providerAccountId: "anna",
      pacing: { timeZone: "Europe/London", warmup: { startDate: null } },
      creditPoolId: poolId,
    });
    annaId = seat;
    brunoId = await createSenderAccount(database.db, ws, {
      name: "Bruno",
      provider: "sandbox",
      providerAccountId: "bruno",
      pacing: { timeZone: "Europe/Berlin", warmup: { startDate: null } },
      creditPoolId: poolId,
    });
    ({ campaignId } = await createCampaign(database.db, ws, {
      name: "Forecast me",
      graph,
      accountIds: [seat],
      seed: "forecast-test",
    }));
    const leadIds = await upsertLeads(database.db, ws, generateLeads(30, "forecast-test"));
    await enrollLeads(database.db, ws, campaignId, leadIds, { now: NOW });
  });
  afterAll(async () => {
    await database?.destroy();
  });
  afterEach(() => {
    setForecastLimits({ running: 2, queued: 8 });
  });

  it("reads the seats, the pool and the leads in flight into one run per seed", async () => {
    const { specs, seats, leads } = await forecastSpecs(
      database.db,
      caller.workspace.workspaceId,
      { campaignId, days: 30 },
      NOW,
    );
    expect(specs).toHaveLength(FORECAST_SEEDS);
    expect(new Set(specs.map((s) => s.seed)).size).toBe(FORECAST_SEEDS);
    expect(seats).toEqual(["Anna"]);
    expect(leads).toBe(30);
    expect(specs[0]!.pool).toMatchObject({ plan: "sales_navigator_core", balance: 8 });
    expect(specs[0]!.leads.map((l) => l.publicIdentifier)).toEqual(
      generateLeads(30, "forecast-test").map((l) => l.publicIdentifier),
    );
  });

  it("applies what if: more seats, another invitation cap, another lead count", async () => {
    const { specs, seats, leads } = await forecastSpecs(
      database.db,
      caller.workspace.workspaceId,
      { campaignId, days: 30, seats: 3, connectCap: 7, leads: 45 },
      NOW,
    );
    expect(seats).toHaveLength(3);
    expect(leads).toBe(45);
    expect(specs[0]!.leads).toHaveLength(45);
    for (const account of specs[0]!.accounts) {
      expect(
        (account.pacing as { caps: { perDay: { connect: number } } }).caps.perDay.connect,
      ).toBe(7);
    }
  });

  it("refuses a campaign of another workspace", async () => {
    await expect(
      forecastSpecs(database.db, "another-workspace", { campaignId, days: 30 }, NOW),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("gives in its worker exactly the figures of the same seeds run in memory here", async () => {
    const forecast = await campaignForecast(caller, { campaignId, days: 30 }, { now: NOW });
    const { specs } = await forecastSpecs(
      database.db,
      caller.workspace.workspaceId,
      { campaignId, days: 30 },
      NOW,
    );
    const traces = [];
    for (const spec of specs) traces.push(await simulateInMemory(spec));
    const { seeds, finish, acceptances, creditsByBranch } = summarizeForecast(traces);
    expect(forecast.seeds).toEqual(seeds);
    expect(forecast).toMatchObject({ finish, acceptances, creditsByBranch, seats: ["Anna"] });
    expect(Object.values(forecast.creditsByBranch).some((n) => n > 0)).toBe(true);
  }, 120_000);

  it("stops the worker when the time runs out or the caller goes away", async () => {
    const { specs } = await forecastSpecs(
      database.db,
      caller.workspace.workspaceId,
      { campaignId, days: 30 },
      NOW,
    );
    await expect(runForecastInWorker(specs, { timeoutMs: 1 })).rejects.toMatchObject({
      code: "forecast_timeout",
    });
    const leaving = new AbortController();
    const running = runForecastInWorker(specs, { signal: leaving.signal });
    leaving.abort();
    await expect(running).rejects.toMatchObject({ code: "cancelled" });
  }, 60_000);
  it("applies what if: seats chosen among the workspace's, a branch's budget, the draft", async () => {
    const ws = caller.workspace.workspaceId;
    const { specs, seats } = await forecastSpecs(
      database.db,
      ws,
      { campaignId, days: 30, seatIds: [annaId, brunoId], branchBudgets: { "inmail@x": 3 } },
      NOW,
    );
    expect(seats).toEqual(["Anna", "Bruno"]);
    expect(specs[0]!.budgets).toEqual({ campaign: null, branches: { "inmail@x": 3 } });
    await expect(
      forecastSpecs(database.db, ws, { campaignId, days: 30, seatIds: ["not-a-seat"] }, NOW),
    ).rejects.toMatchObject({ status: 400, code: "unknown_seat" });
    // Another workspace's seat is as unknown as one that never existed.
    const otto = await signUp("Otto Other", "otto-forecast@example.com");
    const other = await resolveCaller(new Headers({ cookie: otto.cookie }));
    const theirs = await createSenderAccount(database.db, other.workspace.workspaceId, {
      name: "Theirs",
      provider: "sandbox",
      providerAccountId: "theirs",
      pacing: { timeZone: "UTC" },
    });
    await expect(
      forecastSpecs(database.db, ws, { campaignId, days: 30, seatIds: [theirs] }, NOW),
    ).rejects.toMatchObject({ code: "unknown_seat" });
  });

  it("spends what a branch's budget allows and no more", async () => {
    const ws = caller.workspace.workspaceId;
    const { specs } = await forecastSpecs(database.db, ws, { campaignId, days: 30 }, NOW);
    const free = seedFigures(await simulateInMemory(specs[0]!));
    const [branch, used] = Object.entries(free.creditsByBranch).find(([, n]) => n > 1)!;
    const limited = await forecastSpecs(
      database.db,
      ws,
      { campaignId, days: 30, branchBudgets: { [branch]: 1 } },
      NOW,
    );
    const capped = seedFigures(await simulateInMemory(limited.specs[0]!));
    expect(used).toBeGreaterThan(1);
    expect(capped.creditsByBranch[branch]).toBeLessThanOrEqual(1);
  }, 120_000);

  it("offers the workspace's seats and the InMail branches, and gives the ETA once", async () => {
    clearForecastCache();
    const { status, body } = await callRoute(
      forecastRoute.GET,
      `/api/campaigns/${campaignId}/forecast?eta=0`,
      { cookie, params: { campaignId } },
    );
    expect(status).toBe(200);
    expect(body.seats).toEqual([
      { id: annaId, name: "Anna", inCampaign: true },
      { id: brunoId, name: "Bruno", inCampaign: false },
    ]);
    expect(body.branches.length).toBeGreaterThan(0);
    expect(body.branches[0].label).not.toMatch(/\{\{/);
    expect(body).toMatchObject({ leadsEnrolled: 30, leadsInFlight: 30, eta: null });
    expect(body.rates.source).toBe("defaults");

    const first = await campaignEta(caller, campaignId, { now: NOW });
    expect(first.seeds).toBe(1);
    expect(first.finish).not.toBeNull();
    // Unchanged campaign: the kept figure, not another run.
    const again = await campaignEta(caller, campaignId, { now: new Date(NOW.getTime() + 60_000) });
    expect(again.computedAt).toBe(first.computedAt);
    // A change of the campaign (its budgets) makes it run again.
    await database.db
      .update(campaignTable)
      .set({ budgets: { campaign: 100, branches: {} } })
      .where(eq(campaignTable.id, campaignId));
    const changed = await campaignEta(caller, campaignId, {
      now: new Date(NOW.getTime() + 120_000),
    });
    expect(changed.computedAt).not.toBe(first.computedAt);
    // A full forecast of the campaign as it is is kept and then stands for the ETA.
    const full = await campaignForecast(caller, { campaignId, days: 90 }, { now: NOW });
    expect(lastForecast(campaignId, NOW)?.seeds).toBe(FORECAST_SEEDS);
    const eta = await campaignEta(caller, campaignId, { now: NOW });
    expect(eta).toMatchObject({ seeds: FORECAST_SEEDS, finish: full.finish?.median ?? null });
    // A what-if forecast is not the campaign: it is not kept.
    await campaignForecast(caller, { campaignId, days: 90, seats: 2 }, { now: NOW });
    expect(lastForecast(campaignId, NOW)?.fingerprint).toBe(
      (
        await forecastSpecs(
          database.db,
          caller.workspace.workspaceId,
          { campaignId, days: 90 },
          NOW,
        )
      ).fingerprint,
    );
    await database.db
      .update(campaignTable)
      .set({ budgets: null })
      .where(eq(campaignTable.id, campaignId));
  }, 240_000);

  it("forecasts a draft made in the app, before it has leads, from the editor's request", async () => {
    const created = await callRoute(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie,
      body: {
        name: "Drafted in the app",
        templateId: "connect-then-inmail",
        accountIds: [annaId],
        draft: true,
      },
    });
    expect(created.status).toBe(201);
    const draftId = created.body.id as string;
    const { status, body } = await callRoute(
      forecastRoute.POST,
      `/api/campaigns/${draftId}/forecast`,
      {
        method: "POST",
        cookie,
        params: { campaignId: draftId },
        body: { draft: true, leads: 10, days: 30, seatIds: [annaId, brunoId] },
      },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      leads: 10,
      seats: ["Anna", "Bruno"],
      rates: { source: "defaults" },
    });
    expect(body.finish).not.toBeNull();
  }, 120_000);

  it("runs at most the set number of workers, queues a few more and turns the rest away", async () => {
    setForecastLimits({ running: 1, queued: 1 });
    const { specs } = await forecastSpecs(
      database.db,
      caller.workspace.workspaceId,
      { campaignId, days: 30 },
      NOW,
    );
    const first = new AbortController();
    const second = new AbortController();
    const running = runForecastInWorker(specs, { signal: first.signal });
    const queued = runForecastInWorker(specs, { signal: second.signal });
    expect(forecastLoad()).toMatchObject({ running: 1, queued: 1 });
    await expect(runForecastInWorker(specs)).rejects.toMatchObject({
      status: 503,
      code: "forecast_busy",
      message: expect.stringMatching(/Try again/),
    });
    // Leaving while queued gives the place up without ever starting a worker.
    second.abort();
    await expect(queued).rejects.toMatchObject({ code: "cancelled" });
    expect(forecastLoad()).toMatchObject({ running: 1, queued: 0 });
    first.abort();
    await expect(running).rejects.toMatchObject({ code: "cancelled" });
    expect(forecastLoad()).toMatchObject({ running: 0, queued: 0 });
  }, 60_000);

  it("stops a worker that outgrows its memory", async () => {
    const { specs } = await forecastSpecs(
      database.db,
      caller.workspace.workspaceId,
      { campaignId, days: 90, leads: 2000 },
      NOW,
    );
    await expect(runForecastInWorker(specs, { memoryMb: 16 })).rejects.toMatchObject({
      code: "forecast_memory",
    });
    expect(forecastLoad()).toMatchObject({ running: 0 });
  }, 120_000);

  it("before launch agrees with the real run on the virtual clock with the same seed", async () => {
    // A draft with no leads yet: the user types 12. The forecast's first seed, then the same
    // campaign launched on a database and run by the engine on the virtual clock.
    const ws = caller.workspace.workspaceId;
    const { campaignId: draftId } = await createCampaign(database.db, ws, {
      name: "Not launched",
      graph,
      accountIds: [annaId],
      seed: "before-launch",
      status: "draft",
    });
    const { specs } = await forecastSpecs(
      database.db,
      ws,
      { campaignId: draftId, draft: true, leads: 12, days: 21 },
      NOW,
    );
    const forecast = await runForecastInWorker([specs[0]!]);
    const predicted = forecast.seeds[0]!;
    const real = await createTestDatabase(backend);
    let actual: ReturnType<typeof seedFigures>;
    try {
      const run = await prepareSimulation(real, specs[0]!);
      await runSimulation(real, run);
      actual = seedFigures(await buildTrace(real, specs[0]!, run));
    } finally {
      await real.destroy();
    }
    // Tolerance: the finish within one day; each day's sends per seat within 10 % (at least 1).
    expect(predicted.finishedAt).not.toBeNull();
    expect(actual.finishedAt).not.toBeNull();
    expect(
      Math.abs(Date.parse(predicted.finishedAt!) - Date.parse(actual.finishedAt!)),
    ).toBeLessThanOrEqual(DAY_MS);
    const sends = (f: typeof predicted) =>
      Object.values(f.sendsPerDay).reduce(
        (sum, days) => sum + Object.values(days).reduce((t, n) => t + n, 0),
        0,
      );
    expect(sends(predicted)).toBeGreaterThan(0);
    for (const seat of new Set([
      ...Object.keys(predicted.sendsPerDay),
      ...Object.keys(actual.sendsPerDay),
    ])) {
      const days = new Set([
        ...Object.keys(predicted.sendsPerDay[seat] ?? {}),
        ...Object.keys(actual.sendsPerDay[seat] ?? {}),
      ]);
      for (const day of days) {
        const p = predicted.sendsPerDay[seat]?.[day] ?? 0;
        const a = actual.sendsPerDay[seat]?.[day] ?? 0;
        expect(Math.abs(p - a), `${seat} on ${day}`).toBeLessThanOrEqual(Math.max(1, a * 0.1));
      }
    }
  }, 300_000);
});

describe.each(BACKENDS)("the workspace's observed rates on %s", (backend) => {
  let database: TestDatabase;
  let caller: Caller;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const { cookie } = await signUp("Rita Rates", "rita@example.com");
    caller = await resolveCaller(new Headers({ cookie }));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  /** `n` invitations sent `daysAgo` days before NOW, the first `accepted` of them accepted. */
  async function invitations(
    n: number,
    accepted: number,
    daysAgo: number,
    tag: string,
    acceptedAfterMs = DAY_MS,
  ) {
    const ws = caller.workspace.workspaceId;
    const seat = await createSenderAccount(database.db, ws, {
      name: `Seat ${tag}`,
      provider: "sandbox",
      providerAccountId: `seat-${tag}`,
      pacing: { timeZone: "UTC" },
    });
    const { campaignId } = await createCampaign(database.db, ws, {
      name: `Rates ${tag}`,
      graph,
      accountIds: [seat],
      seed: tag,
    });
    const leads = generateLeads(n, tag).map((l) => ({
      ...l,
      publicIdentifier: `${tag}-${l.publicIdentifier}`,
    }));
    const leadIds = await upsertLeads(database.db, ws, leads);
    await enrollLeads(database.db, ws, campaignId, leadIds, { now: NOW });
    const rows = await database.db
      .select({ id: enrollment.id, leadId: enrollment.leadId })
      .from(enrollment)
      .where(eq(enrollment.campaignId, campaignId));
    const sentAt = new Date(NOW.getTime() - daysAgo * DAY_MS);
    await database.db.insert(action).values(
      rows.map((row, i) => ({
        id: `${tag}-a${i}`,
        workspaceId: ws,
        idempotencyKey: `${tag}-k${i}`,
        enrollmentId: row.id,
        campaignId,
        leadId: row.leadId,
        accountId: seat,
        nodeId: "connect",
        kind: "connect",
        branch: "",
        status: "sent",
        localDate: sentAt.toISOString().slice(0, 10),
        createdAt: sentAt,
        sentAt,
      })),
    );
    if (accepted > 0) {
      await database.db.insert(inboundEvent).values(
        rows.slice(0, accepted).map((row, i) => ({
          workspaceId: ws,
          provider: "sandbox",
          externalId: `${tag}-e${i}`,
          type: "accepted",
          providerAccountId: `seat-${tag}`,
          accountId: seat,
          leadId: row.leadId,
          occurredAt: new Date(sentAt.getTime() + acceptedAfterMs),
          receivedAt: new Date(sentAt.getTime() + acceptedAfterMs),
        })),
      );
    }
  }

  it("keeps the defaults until 50 invitations have settled, then uses the workspace's own", async () => {
    const ws = caller.workspace.workspaceId;
    // 40 invitations of three weeks ago, 12 accepted; 30 of two days ago, none accepted yet
    // (not settled); 10 of two days ago already accepted (settled).
    await invitations(40, 12, 21, "old");
    await invitations(30, 0, 2, "recent");
    expect(await observedRates(database.db, ws, NOW)).toMatchObject({
      source: "defaults",
      invitations: 40,
      acceptance: 0.35,
    });
    // An event at the very instant of the send answers nothing: these 5 are not settled yet.
    await invitations(5, 5, 2, "instant", 0);
    expect(await observedRates(database.db, ws, NOW)).toMatchObject({ invitations: 40 });
    await invitations(10, 10, 2, "quick");
    const rates = await observedRates(database.db, ws, NOW);
    expect(rates.invitations).toBe(MIN_SETTLED_INVITATIONS);
    expect(rates.source).toBe("observed");
    expect(rates.acceptance).toBeCloseTo(22 / 50, 5);
    // Too few messages for a reply rate of its own: the default.
    expect(rates.reply).toBe(0.2);

    // The forecast runs the workspace's rates in its sandbox and says so.
    const seat = await createSenderAccount(database.db, ws, {
      name: "Forecast seat",
      provider: "sandbox",
      providerAccountId: "forecast-seat",
      pacing: { timeZone: "UTC" },
    });
    const { campaignId } = await createCampaign(database.db, ws, {
      name: "Planned",
      graph,
      accountIds: [seat],
      seed: "planned",
      status: "draft",
    });
    const { specs, rates: used } = await forecastSpecs(
      database.db,
      ws,
      { campaignId, draft: true, leads: 10, days: 14 },
      NOW,
    );
    expect(used.source).toBe("observed");
    expect(specs[0]!.sandbox).toMatchObject({
      defaults: { acceptance: { probability: rates.acceptance } },
    });
    // Another workspace sees none of these invitations.
    const { cookie } = await signUp("Nina New", "nina-rates@example.com");
    const other = await resolveCaller(new Headers({ cookie }));
    expect(await observedRates(database.db, other.workspace.workspaceId, NOW)).toMatchObject({
      source: "defaults",
      invitations: 0,
    });
  }, 120_000);
});
