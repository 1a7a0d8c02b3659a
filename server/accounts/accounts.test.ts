import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngineStore } from "@/db/engine/store";
import { senderAccount, usageCounter } from "@/db/schema/index";
import { callRoute as call, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";
import { addLocalDays, localDate } from "@/workflows/engine/pacing/index";

const accountActions = await import("@/app/(app)/accounts/actions");
const accountsRoute = await import("@/app/api/accounts/route");
const pauseRoute = await import("@/app/api/accounts/[accountId]/pause/route");
const resumeRoute = await import("@/app/api/accounts/[accountId]/resume/route");
const campaignsRoute = await import("@/app/api/campaigns/route");
const leadsRoute = await import("@/app/api/campaigns/[campaignId]/leads/route");

describe.each(BACKENDS)("sender accounts on %s", (backend) => {
  let database: TestDatabase;
  let cookie: string;

  async function createAccount(body: Record<string, unknown>) {
    return call(accountsRoute.POST, "/api/accounts", { method: "POST", cookie, body });
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ({ cookie } = await signUp("Nora Quinn", "nora@example.com"));
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => {
    actAs(cookie);
  });

  it("creates an active sandbox account with a fresh provider id and its pacing", async () => {
    const first = await createAccount({
      name: "Nora's seat",
      timeZone: "America/New_York",
      workingHours: { days: [1, 2, 3, 4], start: "08:30", end: "17:00" },
    });
    expect(first.status).toBe(201);
    const second = await accountActions.createSandboxAccountAction({
      name: "Second seat",
      timeZone: "Asia/Tokyo",
    });
    expect(second.ok).toBe(true);
    // Only the two accounts made here: other tests add seats of their own.
    const rows = await database.db
      .select()
      .from(senderAccount)
      .where(inArray(senderAccount.id, [first.body.id, second.ok ? second.data.id : ""]));
    expect(rows).toHaveLength(2);
    const nora = rows.find((row) => row.id === first.body.id)!;
    expect(nora).toMatchObject({ provider: "sandbox", status: "active" });
    expect(nora.providerAccountId).toMatch(/^sandbox-[0-9a-f-]{36}$/);
    expect(rows[0]!.providerAccountId).not.toBe(rows[1]!.providerAccountId);
    expect(nora.pacing).toMatchObject({
      timeZone: "America/New_York",
      workingHours: { days: [1, 2, 3, 4], start: "08:30", end: "17:00" },
      warmup: { startDate: null },
    });
  });

  it("refuses an unknown time zone and working hours that end before they start", async () => {
    const zone = await createAccount({ name: "Nowhere", timeZone: "Mars/Olympus" });
    expect(zone.status).toBe(400);
    expect(zone.body.error.fieldErrors.timeZone).toEqual([
      "Unknown IANA time zone (e.g. Europe/Paris)",
    ]);
    const hours = await createAccount({
      name: "Backwards",
      timeZone: "Europe/Paris",
      workingHours: { days: [1], start: "18:00", end: "09:00" },
    });
    expect(hours.status).toBe(400);
    expect(hours.body.error.fieldErrors["workingHours.end"]).toEqual([
      "Working hours must end at least an hour after they start.",
    ]);
  });

  it("shows today's usage against the caps in force, warm-up included", async () => {
    const now = new Date();
    const today = localDate(now, "Europe/Paris");
    const created = await createAccount({
      name: "Warming up",
      timeZone: "Europe/Paris",
      warmupStartDate: today,
    });
    const accountId = created.body.id as string;
    await database.db.insert(usageCounter).values([
      { accountId, localDate: today, kind: "connect", used: 3 },
      { accountId, localDate: today, kind: "visit", used: 1 },
      { accountId, localDate: today, kind: "total", used: 4 },
      { accountId, localDate: addLocalDays(today, -2), kind: "connect", used: 2 },
      { accountId, localDate: addLocalDays(today, -9), kind: "connect", used: 50 },
    ]);
    const listed = await call(accountsRoute.GET, "/api/accounts", { cookie });
    const account = listed.body.accounts.find((a: { id: string }) => a.id === accountId);
    expect(account.usage).toMatchObject({
      localDate: today,
      warmupFactor: 0.2,
      used: { connect: 3, visit: 1, message: 0, total: 4, connect_7d: 5 },
      // Week one of warm-up: a fifth of the default caps, rounded up.
      caps: { connect: 5, visit: 16, total: 30, connect_7d: 20 },
    });
  });

  it("pausing an account keeps the engine off its leads; resuming lets it back", async () => {
    const created = await createAccount({ name: "Pausable", timeZone: "Europe/Paris" });
    const accountId = created.body.id as string;
    const campaign = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie,
      body: { name: "Pausable's", templateId: "vip-inmail", accountIds: [accountId] },
    });
    await call(leadsRoute.POST, `/api/campaigns/${campaign.body.id}/leads`, {
      method: "POST",
      cookie,
      body: { leads: [{ publicIdentifier: "frances-allen" }] },
      params: { campaignId: campaign.body.id },
    });
    const claimable = async () => {
      // A lease of 1 ms lapses at once, so the next call can claim the same row again.
      const claimed = await createEngineStore(database.db).claimDue({
        now: new Date(Date.now() + 60_000),
        owner: `test-${Math.random()}`,
        leaseMs: 1,
        limit: 1000,
      });
      return claimed.filter((c) => c.account.id === accountId).length;
    };

    const paused = await call(pauseRoute.POST, `/api/accounts/${accountId}/pause`, {
      method: "POST",
      cookie,
      params: { accountId },
    });
    expect(paused).toEqual({ status: 200, body: { id: accountId, status: "paused" } });
    const [row] = await database.db
      .select({ status: senderAccount.status, statusReason: senderAccount.statusReason })
      .from(senderAccount)
      .where(eq(senderAccount.id, accountId));
    expect(row).toEqual({ status: "paused", statusReason: "Paused by Nora Quinn" });
    expect(await claimable()).toBe(0);

    const resumed = await accountActions.resumeAccountAction({ accountId });
    expect(resumed).toMatchObject({ ok: true, data: { status: "active" } });
    expect(await claimable()).toBe(1);
  });

  it("does not lift a restriction: only a pause is resumed here", async () => {
    const created = await createAccount({ name: "Restricted", timeZone: "Europe/Paris" });
    const accountId = created.body.id as string;
    await database.db
      .update(senderAccount)
      .set({ status: "restricted", statusReason: "LinkedIn restricted the account" })
      .where(eq(senderAccount.id, accountId));
    const resumed = await call(resumeRoute.POST, `/api/accounts/${accountId}/resume`, {
      method: "POST",
      cookie,
      params: { accountId },
    });
    expect(resumed.status).toBe(409);
    expect(resumed.body.error.message).toBe(
      "This account is restricted: it cannot be resumed here.",
    );
    const paused = await accountActions.pauseAccountAction({ accountId });
    expect(paused).toMatchObject({ ok: false, error: { code: "conflict" } });
    const [row] = await database.db
      .select({ status: senderAccount.status })
      .from(senderAccount)
      .where(eq(senderAccount.id, accountId));
    expect(row?.status).toBe("restricted");
  });
});
