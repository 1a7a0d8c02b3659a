import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareSimulation, runSimulation } from "@/db/engine/simulation";
import { creditLedger, creditPool } from "@/db/schema/index";
import { apiRequest, routeParams, signUp } from "@/test/auth-helpers";
import { seedCreditsScenario } from "@/test/credits-scenario";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import type { CampaignCredits } from "@/views/credits";
import { budgetKey } from "@/workflows/credits/budgets";
import { percentile } from "@/workflows/simulation/forecast";
import { starterTemplates } from "@/workflows/templates/index";
import { campaignForecast, clearForecastCache } from "../forecast/get-campaign-forecast";
import { type Caller, resolveCaller } from "../http/guard";
import { campaignCredits } from "./get-campaign-credits";
import { listPools } from "./list-pools";
import { setBudgets } from "./set-campaign-budgets";

const creditsRoute = await import("@/app/api/campaigns/[campaignId]/credits/route");

// The budget panel's read model on a campaign whose every credit is known (test/credits-scenario
// tells its story), then on a campaign the real engine ran on the virtual clock.

const NOW = new Date("2026-03-10T12:00:00Z");

/** The branch rows add up to the campaign's ledger: spend net of credits given back, refunds. */
async function expectRowsToMatchLedger(
  database: TestDatabase,
  campaignId: string,
  credits: CampaignCredits,
) {
  const entries = await database.db
    .select()
    .from(creditLedger)
    .where(eq(creditLedger.campaignId, campaignId));
  const sum = (type: string) =>
    entries.filter((e) => e.type === type).reduce((total, e) => total + e.amount, 0);
  const rows = credits.rows;
  const spent = rows.reduce((t, r) => t + r.spent, 0);
  const refunded = rows.reduce((t, r) => t + r.refunded, 0);
  expect(spent).toBe(sum("spend") - sum("adjustment"));
  expect(refunded).toBe(sum("refund"));
  expect(credits.totals.spent).toBe(spent);
  expect(credits.totals.refunded).toBe(refunded);
  expect(credits.totals.net).toBe(spent - refunded);
  // Every credit kept is one paid InMail.
  expect(rows.reduce((t, r) => t + r.inmailsPaid, 0)).toBe(spent);
}

describe.each(BACKENDS)("the budget panel's numbers on %s", (backend) => {
  let database: TestDatabase;
  let caller: Caller;
  let scenario: Awaited<ReturnType<typeof seedCreditsScenario>>;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const { cookie } = await signUp("Carla Credits", "carla@example.com");
    caller = await resolveCaller(new Headers({ cookie }));
    scenario = await seedCreditsScenario(database.db, caller.workspace.workspaceId, NOW);
  });

  afterAll(async () => {
    await database?.destroy();
  });

  it("shows every figure of each InMail branch row of the seeded campaign", async () => {
    const credits = await campaignCredits(caller, { campaignId: scenario.campaignId }, NOW);
    expect(credits.rows).toEqual([
      {
        key: "inmail@accepted:no",
        nodeId: "inmail",
        branch: "accepted:no",
        label: "Not accepted within 7 days › InMail 'Quick question'",
        leadsReached: 43,
        inmailsPaid: 35,
        inmailsFree: 2,
        sentAsMessage: 2,
        notSent: 4,
        notSentReasons: { recipient_refuses_inmail: 3, budget_reached: 1 },
        spent: 35,
        refunded: 4,
        refundsPending: 2,
        net: 31,
        replies: 7,
        netPerReply: 4.43,
        budget: null,
      },
      {
        key: "follow-up@accepted:no>replied-to-inmail:no",
        nodeId: "follow-up",
        branch: "accepted:no>replied-to-inmail:no",
        label: "Not accepted within 7 days › No reply within 10 days › InMail 'Following up'",
        leadsReached: 20,
        inmailsPaid: 20,
        inmailsFree: 0,
        sentAsMessage: 0,
        notSent: 0,
        notSentReasons: {},
        spent: 20,
        refunded: 1,
        refundsPending: 1,
        net: 19,
        replies: 2,
        netPerReply: 9.5,
        budget: null,
      },
    ]);
    expect(credits.totals).toEqual({
      spent: 55,
      refunded: 5,
      refundsPending: 3,
      net: 50,
      replies: 9,
    });
    expect(credits.budget).toEqual({ campaign: null, used: 50 });
  });

  it("projects 160 credits for 343 leads in flight at 5 a day: short by 30 after 26 days", async () => {
    const credits = await campaignCredits(caller, { campaignId: scenario.campaignId }, NOW);
    // 343 leads × reach 43 / 86 × paid share 55 / 59 ≈ 160; 35 paid in 7 days → 5 a day. The
    // balance of 100 and the renewal of 25 March (+30) pay for 26 days.
    expect(credits.projection).toEqual({
      type: "runs_out",
      creditsNeeded: 160,
      runsOutOn: new Date("2026-04-05T12:00:00Z"),
      leadsNotSent: 30,
      basis: "observed",
      inFlight: 343,
    });
  });

  it("shows the pool's balance, next renewal, forfeit, refunds pending and daily balances", async () => {
    const pools = await listPools(caller, NOW);
    expect(pools).toEqual([
      {
        id: scenario.poolId,
        name: "Recruiter team",
        plan: "recruiter_lite",
        planLabel: "Recruiter Lite",
        allowance: 30,
        cap: 120,
        // No threshold of its own: credits.low at 10 % of the allowance.
        lowThreshold: null,
        lowMark: 3,
        renewalDay: 25,
        refundPolicy: { type: "on_reply", windowDays: 90, delayDays: 1 },
        addOnBlockSize: 10,
        balance: 100,
        refundsPending: 3,
        accounts: [{ id: scenario.accountId, name: "Carla's seat" }],
        // At 100 of 120, the renewal can only add 20: the other 10 are forfeited.
        nextRenewal: { at: "2026-03-25T00:00:00.000Z", grant: 20, forfeit: 10 },
        history: [
          { day: "2026-01-15", balance: 80 },
          { day: "2026-01-25", balance: 110 },
          // 10 granted, 20 forfeited: a forfeit moves nothing.
          { day: "2026-02-25", balance: 120 },
          { day: "2026-02-26", balance: 113 },
          { day: "2026-02-27", balance: 101 },
          { day: "2026-02-28", balance: 100 },
          { day: "2026-03-04", balance: 98 },
          // 3 refused and 2 free InMails took a credit and gave it back the same day.
          { day: "2026-03-05", balance: 95 },
          // 3 spent, 2 refunds, 30 bought.
          { day: "2026-03-06", balance: 124 },
          { day: "2026-03-07", balance: 123 },
          { day: "2026-03-08", balance: 114 },
          { day: "2026-03-09", balance: 102 },
          { day: "2026-03-10", balance: 100 },
        ],
      },
    ]);
    const credits = await campaignCredits(caller, { campaignId: scenario.campaignId }, NOW);
    expect(credits.pools).toEqual(pools);
  });

  it("the branch rows add up to the campaign's ledger spend and refunds", async () => {
    const credits = await campaignCredits(caller, { campaignId: scenario.campaignId }, NOW);
    await expectRowsToMatchLedger(database, scenario.campaignId, credits);
    const [pool] = await database.db
      .select()
      .from(creditPool)
      .where(eq(creditPool.id, scenario.poolId));
    const entries = await database.db
      .select()
      .from(creditLedger)
      .where(eq(creditLedger.poolId, scenario.poolId));
    const moves = { grant: 1, refund: 1, purchase: 1, adjustment: 1, spend: -1, forfeit: 0 };
    expect(entries.reduce((t, e) => t + moves[e.type as keyof typeof moves] * e.amount, 0)).toBe(
      pool!.balance,
    );
  });

  it("serves the panel over GET and shows a budget set over PUT in its row", async () => {
    // The same campaign seeded in a workspace of its own: the others read it without budgets.
    const bea = await signUp("Bea Budgets", "bea@example.com");
    const beaCaller = await resolveCaller(new Headers({ cookie: bea.cookie }));
    const own = await seedCreditsScenario(database.db, beaCaller.workspace.workspaceId, NOW);
    const path = `/api/campaigns/${own.campaignId}/credits`;
    const params = routeParams({ campaignId: own.campaignId });
    const put = await creditsRoute.PUT(
      apiRequest(path, {
        method: "PUT",
        cookie: bea.cookie,
        body: {
          campaign: 60,
          branches: { [budgetKey("follow-up", "accepted:no>replied-to-inmail:no")]: 25 },
        },
      }),
      params,
    );
    expect(put.status).toBe(200);
    const response = await creditsRoute.GET(apiRequest(path, { cookie: bea.cookie }), params);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.rows.map((r: { key: string; budget: number | null }) => [r.key, r.budget])).toEqual(
      [
        ["inmail@accepted:no", null],
        ["follow-up@accepted:no>replied-to-inmail:no", 25],
      ],
    );
    expect(body.budget).toEqual({ campaign: 60, used: 50 });
    expect(body.totals.spent).toBe(55);
  });

  it("answers 404 for another workspace's campaign, and 401 without a session", async () => {
    const other = await signUp("Otto Other", "otto@example.com");
    const path = `/api/campaigns/${scenario.campaignId}/credits`;
    const params = routeParams({ campaignId: scenario.campaignId });
    const stranger = await creditsRoute.GET(apiRequest(path, { cookie: other.cookie }), params);
    expect(stranger.status).toBe(404);
    const anonymous = await creditsRoute.GET(apiRequest(path), params);
    expect(anonymous.status).toBe(401);
  });
  it("projects from the campaign's forecast once there is one, with the forecast's numbers", async () => {
    const forecast = await campaignForecast(
      caller,
      { campaignId: scenario.campaignId, days: 90 },
      { now: NOW },
    );
    try {
      const { projection } = await campaignCredits(
        caller,
        { campaignId: scenario.campaignId },
        NOW,
      );
      const credits = forecast.seeds.map((seed) =>
        Object.values(seed.creditsByBranch).reduce((t, n) => t + n, 0),
      );
      expect(projection).toMatchObject({
        basis: "forecast",
        creditsNeeded: percentile(credits, 0.5),
        range: { runs: forecast.seeds.length, dryRuns: forecast.poolDry?.seeds ?? 0 },
      });
      if ((forecast.poolDry?.seeds ?? 0) * 2 > forecast.seeds.length) {
        expect(projection?.type).toBe("runs_out");
        const on = projection?.type === "runs_out" ? projection.runsOutOn.getTime() : 0;
        expect(on).toBeGreaterThanOrEqual(Date.parse(forecast.poolDry!.first));
        expect(on).toBeLessThanOrEqual(Date.parse(forecast.poolDry!.last));
      } else {
        expect(projection?.type).toBe("enough");
      }
    } finally {
      clearForecastCache();
    }
  }, 240_000);
});

describe("the budget panel after the real engine ran a campaign on the virtual clock", () => {
  let database: TestDatabase;
  let caller: Caller;
  let run: Awaited<ReturnType<typeof prepareSimulation>>;
  const key = budgetKey("inmail", "accepted:no");
  const BUDGET = 5;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    const start = new Date("2026-03-02T07:00:00Z");
    run = await prepareSimulation(database, {
      graph: starterTemplates.find((t) => t.id === "connect-then-inmail")!.graph,
      accounts: [{ id: "acct-panel", pacing: { timeZone: "Europe/Paris" } }],
      pool: { plan: "recruiter_lite", balance: 40, renewalDay: 20 },
      leads: Array.from({ length: 20 }, (_, i) => ({ publicIdentifier: `panel-lead-${i}` })),
      seed: "budget-panel",
      start,
      days: 30,
      sandbox: {
        defaults: {
          acceptance: { probability: 0.3 },
          reply: { afterInmail: 0.5, afterMessage: 0.3 },
        },
      },
    });
    // A caller in the simulation's workspace, as the route handlers would resolve one.
    caller = {
      db: database.db,
      headers: new Headers(),
      sessionId: "simulation",
      user: { id: "simulation", name: "Simulation", email: "simulation@example.com" },
      workspace: {
        workspaceId: run.workspaceId,
        workspaceName: "Simulation",
        workspaceSlug: `sim-${run.workspaceId}`,
        memberId: "simulation",
        role: "owner",
      },
      memberships: [],
    };
    await setBudgets(caller, {
      campaignId: run.campaignId,
      campaign: null,
      branches: { [key]: BUDGET },
    });
    await runSimulation(database, run);
  }, 300_000);

  afterAll(async () => {
    await database?.destroy();
  });

  it("adds up to the ledger, and shows the branch stopped at its budget", async () => {
    const credits = await campaignCredits(caller, { campaignId: run.campaignId }, run.clock.now());
    await expectRowsToMatchLedger(database, run.campaignId, credits);
    const [row] = credits.rows;
    expect(row?.key).toBe(key);
    expect(row?.budget).toBe(BUDGET);
    expect(row?.spent).toBeGreaterThan(0);
    // The engine counts a budget net of refunds, as the row does.
    expect(row!.net).toBeLessThanOrEqual(BUDGET);
    expect(row!.notSentReasons.budget_reached).toBeGreaterThan(0);
    // Replies to paid InMails came back as refunds, so both sides of the sum were exercised.
    expect(row!.refunded).toBeGreaterThan(0);
    expect(row!.replies).toBeGreaterThan(0);
  });
});
