import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCampaign,
  createCreditPool,
  createSenderAccount,
  enrollLeads,
  upsertLeads,
} from "@/db/queries/launch";
import { signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { generateLeads } from "@/workflows/simulation/campaign-file";
import { FORECAST_SEEDS, summarizeForecast } from "@/workflows/simulation/forecast";
import { simulateInMemory } from "@/workflows/simulation/memory-run";
import { starterTemplates } from "@/workflows/templates/index";
import { campaignForecast, forecastSpecs, runForecastInWorker } from "./forecast";
import { type Caller, resolveCaller } from "./guard";

const NOW = new Date("2026-03-02T08:00:00Z");
const graph = starterTemplates.find((t) => t.id === "connect-then-inmail")!.graph;

describe.each(BACKENDS)("the campaign forecast on %s", (backend) => {
  let database: TestDatabase;
  let caller: Caller;
  let campaignId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const { cookie } = await signUp("Fiona Forecast", "fiona@example.com");
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
});
