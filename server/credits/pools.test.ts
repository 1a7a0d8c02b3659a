import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaign, creditLedger, creditPool, senderAccount } from "@/db/schema/index";
import { callRoute as call, joinAsMember, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { nextRenewal } from "@/workflows/credits/renewal";

const poolsRoute = await import("@/app/api/credits/pools/route");
const poolRoute = await import("@/app/api/credits/pools/[poolId]/route");
const purchaseRoute = await import("@/app/api/credits/pools/[poolId]/purchase/route");
const correctionRoute = await import("@/app/api/credits/pools/[poolId]/correction/route");
const poolAccountRoute = await import(
  "@/app/api/credits/pools/[poolId]/accounts/[accountId]/route"
);
const creditsRoute = await import("@/app/api/campaigns/[campaignId]/credits/route");
const accountsRoute = await import("@/app/api/accounts/route");
const campaignsRoute = await import("@/app/api/campaigns/route");

describe.each(BACKENDS)("credit pools on %s", (backend) => {
  let database: TestDatabase;
  let owner: string;
  let member: string;
  let stranger: string;

  const createPool = (body: Record<string, unknown>, cookie = owner) =>
    call(poolsRoute.POST, "/api/credits/pools", { method: "POST", cookie, body });
  const purchase = (poolId: string, blocks: number, cookie = owner) =>
    call(purchaseRoute.POST, `/api/credits/pools/${poolId}/purchase`, {
      method: "POST",
      cookie,
      body: { blocks },
      params: { poolId },
    });
  const correct = (poolId: string, amount: number, note: string, cookie = owner) =>
    call(correctionRoute.POST, `/api/credits/pools/${poolId}/correction`, {
      method: "POST",
      cookie,
      body: { amount, note },
      params: { poolId },
    });
  const poolRow = async (poolId: string) =>
    (await database.db.select().from(creditPool).where(eq(creditPool.id, poolId)))[0]!;
  const ledgerOf = (poolId: string) =>
    database.db
      .select()
      .from(creditLedger)
      .where(eq(creditLedger.poolId, poolId))
      .orderBy(asc(creditLedger.id));
  /** The balance as the ledger tells it: a forfeit moves nothing. */
  const ledgerBalance = async (poolId: string) =>
    (await ledgerOf(poolId)).reduce(
      (t, e) => t + (e.type === "spend" ? -e.amount : e.type === "forfeit" ? 0 : e.amount),
      0,
    );

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ({ cookie: owner } = await signUp("Petra Pool", "petra@example.com"));
    ({ cookie: stranger } = await signUp("Sam Stranger", "sam@example.com"));
    ({ cookie: member } = await signUp("Mia Member", "mia@example.com"));
    const accepted = await joinAsMember(owner, member, "mia@example.com");
    expect(accepted.status).toBe(200);
  });

  afterAll(async () => {
    await database?.destroy();
  });

  it("creates a pool from the catalog with the plan's numbers and its opening balance in the ledger", async () => {
    const before = new Date();
    const created = await createPool({
      name: "Sales team",
      plan: "sales_navigator_core",
      renewalDay: 12,
      openingBalance: 42,
    });
    expect(created.status).toBe(201);
    const row = await poolRow(created.body.id);
    expect(row).toMatchObject({
      name: "Sales team",
      plan: "sales_navigator_core",
      allowance: 50,
      cap: 150,
      renewalDay: 12,
      refundPolicy: { type: "none" },
      balance: 42,
    });
    expect(row.nextRenewalAt?.toISOString()).toBe(
      nextRenewal({ renewalAnchorDay: 12, timeZone: "UTC" }, before).toISOString(),
    );
    expect(await ledgerOf(created.body.id)).toMatchObject([
      { type: "adjustment", amount: 42, note: "opening balance" },
    ]);

    const recruiter = await createPool({
      name: "Recruiters",
      plan: "recruiter_lite",
      renewalDay: 3,
    });
    expect(await poolRow(recruiter.body.id)).toMatchObject({
      allowance: 30,
      cap: 120,
      balance: 0,
      refundPolicy: { type: "on_reply", windowDays: 90, delayDays: 1 },
    });
    expect(await ledgerOf(recruiter.body.id)).toEqual([]);
  });

  it("takes a custom plan's own numbers and refuses other numbers for a fixed plan", async () => {
    const custom = await createPool({
      name: "Agency contract",
      plan: "custom",
      renewalDay: 31,
      allowance: 20,
      cap: 60,
      refundPolicy: { type: "on_reply", windowDays: 30, delayDays: 2 },
    });
    expect(custom.status).toBe(201);
    expect(await poolRow(custom.body.id)).toMatchObject({
      allowance: 20,
      cap: 60,
      renewalDay: 31,
      refundPolicy: { type: "on_reply", windowDays: 30, delayDays: 2 },
    });

    const missing = await createPool({ name: "Half custom", plan: "custom", renewalDay: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fieldErrors).toEqual({
      allowance: ["A custom plan needs its monthly allowance."],
      cap: ["A custom plan needs the most it can hold."],
    });
    const fixed = await createPool({
      name: "Career",
      plan: "premium_career",
      renewalDay: 1,
      allowance: 10,
    });
    expect(fixed.status).toBe(400);
    expect(fixed.body.error.fieldErrors.allowance).toEqual([
      "Premium Career grants 5 credits a month; only team and custom plans set their own.",
    ]);
    const upsideDown = await createPool({
      name: "Team",
      plan: "recruiter_professional",
      renewalDay: 1,
      // Above the plan's default cap of 450.
      allowance: 500,
    });
    expect(upsideDown.status).toBe(400);
    expect(upsideDown.body.error.fieldErrors.cap).toEqual([
      "The most a pool can hold must be at least its monthly allowance.",
    ]);
    const badDay = await createPool({ name: "Odd", plan: "premium_career", renewalDay: 32 });
    expect(badDay.status).toBe(400);
    expect(badDay.body.error.fieldErrors.renewalDay).toEqual([
      "Give the renewal day as a whole number from 1 to 31.",
    ]);
  });

  it("refuses a pool that could not exist: opening above its cap, holding nothing, a cap below its balance", async () => {
    const overfull = await createPool({
      name: "Overfull",
      plan: "custom",
      renewalDay: 1,
      allowance: 0,
      cap: 0,
      openingBalance: 20,
    });
    expect(overfull.status).toBe(400);
    expect(overfull.body.error.fieldErrors).toEqual({
      cap: ["A pool must be able to hold at least 1 credit."],
    });
    const above = await createPool({
      name: "Above",
      plan: "premium_career",
      renewalDay: 1,
      openingBalance: 16,
    });
    expect(above.status).toBe(400);
    expect(above.body.error.fieldErrors).toEqual({
      openingBalance: [
        "Premium Career holds at most 15 credits; the opening balance cannot be 16.",
      ],
    });
    const team = await createPool({
      name: "Team of ten",
      plan: "custom",
      renewalDay: 1,
      allowance: 10,
      cap: 30,
      openingBalance: 25,
    });
    expect(team.status).toBe(201);
    const poolId = team.body.id as string;
    const lowered = await call(poolRoute.PATCH, `/api/credits/pools/${poolId}`, {
      method: "PATCH",
      cookie: owner,
      body: { cap: 20 },
      params: { poolId },
    });
    expect(lowered.status).toBe(400);
    expect(lowered.body.error.fieldErrors).toEqual({
      cap: ["The pool holds 25 credits now; the most it can hold cannot be less."],
    });
    expect(await poolRow(poolId)).toMatchObject({ cap: 30, balance: 25 });
  });

  it("edits the refund policy and the renewal day, moving the next renewal to the new day", async () => {
    const created = await createPool({ name: "Editable", plan: "premium_business", renewalDay: 5 });
    const poolId = created.body.id as string;
    const before = new Date();
    const edited = await call(poolRoute.PATCH, `/api/credits/pools/${poolId}`, {
      method: "PATCH",
      cookie: owner,
      body: { renewalDay: 20, refundPolicy: { type: "on_reply", windowDays: 60 } },
      params: { poolId },
    });
    expect(edited.status).toBe(200);
    const row = await poolRow(poolId);
    expect(row).toMatchObject({
      renewalDay: 20,
      // The posting delay takes its default of 1 day.
      refundPolicy: { type: "on_reply", windowDays: 60, delayDays: 1 },
      allowance: 15,
      cap: 45,
    });
    expect(row.nextRenewalAt?.toISOString()).toBe(
      nextRenewal({ renewalAnchorDay: 20, timeZone: "UTC" }, before).toISOString(),
    );
    const none = await call(poolRoute.PATCH, `/api/credits/pools/${poolId}`, {
      method: "PATCH",
      cookie: owner,
      body: { refundPolicy: { type: "none" }, cap: 100 },
      params: { poolId },
    });
    expect(none.status).toBe(400);
    expect(none.body.error.fieldErrors.cap).toEqual([
      "Premium Business holds at most 45 credits; only team and custom plans set their own.",
    ]);
    expect((await poolRow(poolId)).refundPolicy).toEqual({
      type: "on_reply",
      windowDays: 60,
      delayDays: 1,
    });
    const windowless = await call(poolRoute.PATCH, `/api/credits/pools/${poolId}`, {
      method: "PATCH",
      cookie: owner,
      body: { refundPolicy: { type: "on_reply", windowDays: 0 } },
      params: { poolId },
    });
    expect(windowless.status).toBe(400);
  });

  it("assigns sender accounts to a pool and takes them off it", async () => {
    const pool = await createPool({
      name: "Shared seats",
      plan: "sales_navigator_core",
      renewalDay: 1,
    });
    const poolId = pool.body.id as string;
    const accounts: string[] = [];
    for (const name of ["Seat one", "Seat two"]) {
      const created = await call(accountsRoute.POST, "/api/accounts", {
        method: "POST",
        cookie: owner,
        body: { name, timeZone: "Europe/Paris" },
      });
      accounts.push(created.body.id as string);
    }
    for (const accountId of accounts) {
      const assigned = await call(
        poolAccountRoute.PUT,
        `/api/credits/pools/${poolId}/accounts/${accountId}`,
        {
          method: "PUT",
          cookie: owner,
          params: { poolId, accountId },
        },
      );
      expect(assigned).toEqual({ status: 200, body: { accountId, poolId } });
    }
    const listed = await call(poolsRoute.GET, "/api/credits/pools", { cookie: owner });
    const shared = listed.body.pools.find((p: { id: string }) => p.id === poolId);
    expect(shared.accounts.map((a: { name: string }) => a.name).sort()).toEqual([
      "Seat one",
      "Seat two",
    ]);

    const off = await call(
      poolAccountRoute.DELETE,
      `/api/credits/pools/${poolId}/accounts/${accounts[0]}`,
      {
        method: "DELETE",
        cookie: owner,
        params: { poolId, accountId: accounts[0]! },
      },
    );
    expect(off.status).toBe(200);
    const rows = await database.db.select().from(senderAccount);
    expect(rows.find((r) => r.id === accounts[0])?.creditPoolId).toBeNull();
    expect(rows.find((r) => r.id === accounts[1])?.creditPoolId).toBe(poolId);
    const again = await call(
      poolAccountRoute.DELETE,
      `/api/credits/pools/${poolId}/accounts/${accounts[0]}`,
      {
        method: "DELETE",
        cookie: owner,
        params: { poolId, accountId: accounts[0]! },
      },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("Seat one does not draw on Shared seats.");

    // A pool with a seat is not deleted; an empty one is.
    const inUse = await call(poolRoute.DELETE, `/api/credits/pools/${poolId}`, {
      method: "DELETE",
      cookie: owner,
      params: { poolId },
    });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toBe(
      "Seat two still draws on Shared seats: move it to another pool first.",
    );
    await call(poolAccountRoute.DELETE, `/api/credits/pools/${poolId}/accounts/${accounts[1]}`, {
      method: "DELETE",
      cookie: owner,
      params: { poolId, accountId: accounts[1]! },
    });
    const deleted = await call(poolRoute.DELETE, `/api/credits/pools/${poolId}`, {
      method: "DELETE",
      cookie: owner,
      params: { poolId },
    });
    expect(deleted.status).toBe(200);
    expect(await database.db.select().from(creditPool).where(eq(creditPool.id, poolId))).toEqual(
      [],
    );
  });

  it("buys add-on blocks of 10 on Recruiter Lite as a purchase; other plans sell none", async () => {
    const lite = await createPool({
      name: "Lite",
      plan: "recruiter_lite",
      renewalDay: 1,
      openingBalance: 7,
    });
    const bought = await purchase(lite.body.id, 2);
    expect(bought).toEqual({
      status: 200,
      body: { poolId: lite.body.id, credits: 20, balance: 27 },
    });
    expect((await ledgerOf(lite.body.id)).at(-1)).toMatchObject({
      type: "purchase",
      amount: 20,
      note: "2 add-on blocks of 10",
    });
    expect((await poolRow(lite.body.id)).balance).toBe(await ledgerBalance(lite.body.id));

    const navigator = await createPool({
      name: "Nav",
      plan: "sales_navigator_core",
      renewalDay: 1,
    });
    const refused = await purchase(navigator.body.id, 1);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe("Sales Navigator Core sells no add-on InMail credits.");
    expect(await ledgerOf(navigator.body.id)).toEqual([]);
    const none = await purchase(lite.body.id, 0);
    expect(none.status).toBe(400);
    expect(none.body.error.fieldErrors.blocks).toEqual(["Buy at least one block."]);
  });

  it("corrects the balance with a noted adjustment, and refuses one that would go below zero", async () => {
    const pool = await createPool({
      name: "Corrected",
      plan: "premium_business",
      renewalDay: 1,
      openingBalance: 10,
    });
    const poolId = pool.body.id as string;
    const down = await correct(poolId, -4, "LinkedIn shows 6");
    expect(down).toEqual({ status: 200, body: { poolId, balance: 6 } });
    const up = await correct(poolId, 3, "Support restored 3");
    expect(up.body.balance).toBe(9);
    expect((await ledgerOf(poolId)).map((e) => [e.type, e.amount, e.note])).toEqual([
      ["adjustment", 10, "opening balance"],
      ["adjustment", -4, "LinkedIn shows 6"],
      ["adjustment", 3, "Support restored 3"],
    ]);

    const tooFar = await correct(poolId, -10, "LinkedIn shows nothing");
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.error.fieldErrors.amount).toEqual([
      "Corrected holds 9 credits: a correction of -10 would take it below zero.",
    ]);
    expect((await poolRow(poolId)).balance).toBe(9);
    expect(await ledgerOf(poolId)).toHaveLength(3);

    const noNote = await correct(poolId, 1, "");
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.fieldErrors.note).toEqual([
      "Say why, in a few words (for example: LinkedIn shows 42).",
    ]);
    const zero = await correct(poolId, 0, "nothing at all");
    expect(zero.body.error.fieldErrors.amount).toEqual(["A correction of 0 changes nothing."]);
  });

  it("keeps the balance equal to the ledger and never below zero under racing corrections", async () => {
    const pool = await createPool({
      name: "Raced",
      plan: "premium_business",
      renewalDay: 1,
      openingBalance: 5,
    });
    const poolId = pool.body.id as string;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => correct(poolId, -1, `race ${i}`)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 400)).toHaveLength(3);
    const row = await poolRow(poolId);
    expect(row.balance).toBe(0);
    expect(await ledgerBalance(poolId)).toBe(0);
  });

  it("sets a campaign's budgets on its InMail branch rows, and refuses keys of no row", async () => {
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: owner,
      body: { name: "Budget seat", timeZone: "Europe/Paris" },
    });
    const created = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie: owner,
      body: { name: "VIP", templateId: "vip-inmail", accountIds: [account.body.id] },
    });
    const campaignId = created.body.id as string;
    const path = `/api/campaigns/${campaignId}/credits`;
    const put = (body: unknown, cookie = owner) =>
      call(creditsRoute.PUT, path, { method: "PUT", cookie, body, params: { campaignId } });

    const saved = await put({
      campaign: 40,
      branches: { "inmail@": 25, "follow-up@replied:no": 10 },
    });
    expect(saved).toEqual({
      status: 200,
      body: { campaign: 40, branches: { "inmail@": 25, "follow-up@replied:no": 10 } },
    });
    const [row] = await database.db.select().from(campaign).where(eq(campaign.id, campaignId));
    expect(row?.budgets).toEqual({
      campaign: 40,
      branches: { "inmail@": 25, "follow-up@replied:no": 10 },
    });
    const panel = await call(creditsRoute.GET, path, { cookie: member, params: { campaignId } });
    expect(
      panel.body.rows.map((r: { label: string; budget: number }) => [r.label, r.budget]),
    ).toEqual([
      ["Main path › InMail 'An idea for your team'", 25],
      ["No reply within 10 days › InMail 'Following up, there'", 10],
    ]);

    const unknown = await put({ campaign: null, branches: { "inmail@replied:yes": 5 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fieldErrors).toEqual({
      "branches.inmail@replied:yes": [
        "No branch of this campaign reaches an InMail step with this key.",
      ],
    });
    const negative = await put({ campaign: -1, branches: {} });
    expect(negative.status).toBe(400);
    expect(Object.keys(negative.body.error.fieldErrors)).toEqual(["campaign"]);

    const cleared = await put({ campaign: null, branches: {} });
    expect(cleared.body).toEqual({ campaign: null, branches: {} });

    expect((await put({ campaign: 5, branches: {} }, member)).status).toBe(403);
    expect((await put({ campaign: 5, branches: {} }, stranger)).status).toBe(404);
  });

  it("lets members read pools but not change them; another workspace's ids answer 404", async () => {
    const pool = await createPool({ name: "Guarded", plan: "recruiter_lite", renewalDay: 1 });
    const poolId = pool.body.id as string;
    const seen = await call(poolsRoute.GET, "/api/credits/pools", { cookie: member });
    expect(seen.status).toBe(200);
    expect(seen.body.pools.map((p: { name: string }) => p.name)).toContain("Guarded");
    expect(seen.body.plans.map((p: { id: string }) => p.id)).toEqual([
      "premium_career",
      "premium_business",
      "sales_navigator_core",
      "recruiter_lite",
      "recruiter_professional",
      "custom",
    ]);

    expect((await createPool({ name: "Mine", plan: "custom", renewalDay: 1 }, member)).status).toBe(
      403,
    );
    expect((await purchase(poolId, 1, member)).status).toBe(403);
    expect((await correct(poolId, 5, "member says so", member)).status).toBe(403);

    const theirs = await call(poolsRoute.GET, "/api/credits/pools", { cookie: stranger });
    expect(theirs.body.pools).toEqual([]);
    expect((await purchase(poolId, 1, stranger)).status).toBe(404);
    expect((await correct(poolId, 5, "stranger says so", stranger)).status).toBe(404);
    const rename = await call(poolRoute.PATCH, `/api/credits/pools/${poolId}`, {
      method: "PATCH",
      cookie: stranger,
      body: { name: "Stolen" },
      params: { poolId },
    });
    expect(rename.status).toBe(404);
    const strangerAccount = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: stranger,
      body: { name: "Sam's seat", timeZone: "Europe/Paris" },
    });
    const accountId = strangerAccount.body.id as string;
    const crossed = await call(
      poolAccountRoute.PUT,
      `/api/credits/pools/${poolId}/accounts/${accountId}`,
      {
        method: "PUT",
        cookie: owner,
        params: { poolId, accountId },
      },
    );
    expect(crossed.status).toBe(404);
    expect(crossed.body.error.message).toBe("Sender account was not found.");
    expect((await poolRow(poolId)).balance).toBe(0);
    expect(await ledgerOf(poolId)).toEqual([]);
  });
});
