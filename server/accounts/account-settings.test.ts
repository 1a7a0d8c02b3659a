import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngineStore } from "@/db/engine/store";
import { action, enrollment, inboundEvent, senderAccount, usageCounter } from "@/db/schema/index";
import { callRoute as call, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";
import { addLocalDays, localDate, PacingSettingsSchema } from "@/workflows/engine/pacing/index";
import { checkAccountSafety } from "@/workflows/engine/worker";
import { describeAccountState } from "./describe-account-state";

const accountActions = await import("@/app/(app)/accounts/actions");
const accountsRoute = await import("@/app/api/accounts/route");
const accountRoute = await import("@/app/api/accounts/[accountId]/route");
const settingsRoute = await import("@/app/api/accounts/[accountId]/settings/route");
const campaignsRoute = await import("@/app/api/campaigns/route");
const leadsRoute = await import("@/app/api/campaigns/[campaignId]/leads/route");

const ZONE = "Europe/Paris";

/** What the editor sends: every field it shows. */
function editorSettings(overrides: Record<string, unknown> = {}) {
  return {
    timeZone: "America/New_York",
    workingHours: { days: [1, 2, 3], start: "08:00", end: "16:30" },
    caps: {
      perDay: { connect: 20, visit: 60, follow: 30, message: 50, inmail: 10, like_post: 20 },
      totalPerDay: 120,
      connectPer7Days: 80,
    },
    warmup: { startDate: null, ramp: [0.2, 0.4, 0.6, 0.8, 1] },
    safety: { pauseBelow: 35 },
    ...overrides,
  };
}

describe.each(BACKENDS)("account settings, safety and schedule on %s", (backend) => {
  let database: TestDatabase;
  let cookie: string;
  let otherCookie: string;

  async function createAccount(name: string, as = cookie, timeZone = ZONE) {
    const created = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: as,
      body: { name, timeZone },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function getAccount(accountId: string, as = cookie) {
    return call(accountRoute.GET, `/api/accounts/${accountId}`, {
      cookie: as,
      params: { accountId },
    });
  }

  async function saveSettings(accountId: string, body: unknown, as = cookie) {
    return call(settingsRoute.PUT, `/api/accounts/${accountId}/settings`, {
      method: "PUT",
      cookie: as,
      body,
      params: { accountId },
    });
  }

  async function storedPacing(accountId: string) {
    const [row] = await database.db
      .select({ pacing: senderAccount.pacing })
      .from(senderAccount)
      .where(eq(senderAccount.id, accountId));
    return row?.pacing;
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    ({ cookie } = await signUp("Nora Quinn", "nora@example.com"));
    ({ cookie: otherCookie } = await signUp("Oscar Other", "oscar@example.com"));
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => {
    actAs(cookie);
  });

  it("saves time zone, working hours, caps, warm-up and threshold, keeping the gap and late start", async () => {
    const accountId = await createAccount("Editable");
    await database.db
      .update(senderAccount)
      .set({
        pacing: PacingSettingsSchema.parse({
          timeZone: ZONE,
          gap: { minSeconds: 120, maxSeconds: 600 },
          dailyStartOffsetMaxMinutes: 15,
          safety: { handoverAfterPausedHours: 48 },
        }),
      })
      .where(eq(senderAccount.id, accountId));

    const saved = await saveSettings(accountId, editorSettings());
    expect(saved.status).toBe(200);
    expect(await storedPacing(accountId)).toEqual({
      ...editorSettings(),
      gap: { minSeconds: 120, maxSeconds: 600 },
      dailyStartOffsetMaxMinutes: 15,
      // The pause limit before a seat's leads move on is not in the editor: kept as stored.
      safety: { pauseBelow: 35, handoverAfterPausedHours: 48 },
      // Not in the editor either: kept as stored (the schema's default).
      priorities: true,
      // Not sent by this caller: the stored ones (the defaults) are kept.
      invitations: { withdrawAfterDays: 21, withdrawPerDay: 40, pendingCeiling: 400 },
    });

    const viaAction = await accountActions.updateAccountSettingsAction({
      accountId,
      ...editorSettings({ timeZone: "Asia/Tokyo" }),
    });
    expect(viaAction).toMatchObject({ ok: true, data: { settings: { timeZone: "Asia/Tokyo" } } });
    const detail = await getAccount(accountId);
    expect(detail.status).toBe(200);
    expect(detail.body.account).toMatchObject({
      timeZone: "Asia/Tokyo",
      workingHours: { days: [1, 2, 3], start: "08:00", end: "16:30" },
    });
    expect(detail.body.settings.caps.perDay.connect).toBe(20);
  });

  it("shows the warm-up ramp as the caps in force on each of the next 35 days", async () => {
    const accountId = await createAccount("Warming up");
    const today = localDate(new Date(), "America/New_York");
    // Started 8 days ago: week 2 (40 %) today, 60 % from day 14 (in 6 days), full from day 28.
    const startDate = addLocalDays(today, -8);
    await saveSettings(
      accountId,
      editorSettings({ warmup: { startDate, ramp: [0.2, 0.4, 0.6, 0.8, 1] } }),
    );

    const { body } = await getAccount(accountId);
    const days = body.warmup as Array<{
      date: string;
      factor: number;
      working: boolean;
      caps: Record<string, number>;
    }>;
    expect(days).toHaveLength(35);
    expect(days[0]).toMatchObject({
      date: today,
      factor: 0.4,
      // 40 % of 20, 60, 30, 50, 10, 20, 120 and 80, rounded up.
      caps: {
        connect: 8,
        visit: 24,
        follow: 12,
        message: 20,
        inmail: 4,
        like_post: 8,
        total: 48,
        connect_7d: 32,
      },
    });
    expect(days[5]?.factor).toBe(0.4);
    expect(days[6]).toMatchObject({ date: addLocalDays(today, 6), factor: 0.6 });
    expect(days[6]?.caps).toMatchObject({ connect: 12, total: 72, connect_7d: 48 });
    expect(days[13]?.factor).toBe(0.8);
    expect(days[20]?.factor).toBe(1);
    expect(days[34]).toMatchObject({
      date: addLocalDays(today, 34),
      factor: 1,
      caps: {
        connect: 20,
        visit: 60,
        follow: 30,
        message: 50,
        inmail: 10,
        like_post: 20,
        total: 120,
        connect_7d: 80,
      },
    });
    // Mondays to Wednesdays only: three working days in each of the five weeks.
    expect(days.filter((day) => day.working)).toHaveLength(15);
    // Today's usage is measured against the same caps as the chart's first day.
    expect(body.account.usage.caps).toEqual(days[0]?.caps);
    expect(body.account.usage.warmupFactor).toBe(0.4);
  });

  it("saves the invitation hygiene (withdraw after, withdrawals per day, pending ceiling) and refuses values out of range", async () => {
    const accountId = await createAccount("Hygienic");
    const invitations = { withdrawAfterDays: 14, withdrawPerDay: 25, pendingCeiling: 300 };
    expect((await saveSettings(accountId, { ...editorSettings(), invitations })).status).toBe(200);
    expect((await storedPacing(accountId)) as { invitations: unknown }).toMatchObject({
      invitations,
    });
    const refused = await saveSettings(accountId, {
      ...editorSettings(),
      invitations: { withdrawAfterDays: -1, withdrawPerDay: 500, pendingCeiling: 0 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fieldErrors).toEqual({
      "invitations.withdrawAfterDays": ["From 0 (never withdraw) to 365."],
      "invitations.withdrawPerDay": ["From 0 to 200."],
      "invitations.pendingCeiling": ["From 1 to 5000."],
    });
    expect((await storedPacing(accountId)) as { invitations: unknown }).toMatchObject({
      invitations,
    });
  });

  it("turns the order of sends off and on again, and keeps it when a caller does not send it", async () => {
    const accountId = await createAccount("Ordered");
    expect((await storedPacing(accountId)) as { priorities: boolean }).toMatchObject({
      priorities: true,
    });
    expect((await saveSettings(accountId, editorSettings({ priorities: false }))).status).toBe(200);
    expect((await storedPacing(accountId)) as { priorities: boolean }).toMatchObject({
      priorities: false,
    });
    // An older caller that does not know the setting leaves it as it is.
    expect((await saveSettings(accountId, editorSettings())).status).toBe(200);
    expect((await storedPacing(accountId)) as { priorities: boolean }).toMatchObject({
      priorities: false,
    });
    expect((await saveSettings(accountId, editorSettings({ priorities: true }))).status).toBe(200);
    expect((await storedPacing(accountId)) as { priorities: boolean }).toMatchObject({
      priorities: true,
    });
    const refused = await saveSettings(accountId, editorSettings({ priorities: "yes" }));
    expect(refused.status).toBe(400);
  });

  it("refuses a bad time zone, hours that end before they start and negative caps, field by field", async () => {
    const accountId = await createAccount("Guarded");
    const before = await storedPacing(accountId);
    const refused = await saveSettings(
      accountId,
      editorSettings({
        timeZone: "Mars/Olympus",
        workingHours: { days: [1, 2], start: "17:00", end: "09:00" },
        caps: {
          perDay: { connect: -1, visit: 60, follow: 30, message: 50, inmail: 10, like_post: 20 },
          totalPerDay: 120,
          connectPer7Days: -5,
        },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_input");
    expect(refused.body.error.fieldErrors).toEqual({
      timeZone: ["Unknown IANA time zone (e.g. Europe/Paris)"],
      "workingHours.end": ["Working hours must end at least an hour after they start."],
      "caps.perDay.connect": ["A cap cannot be negative; 0 switches the action off."],
      "caps.connectPer7Days": ["A cap cannot be negative; 0 switches the action off."],
    });

    const badRampAndThreshold = await accountActions.updateAccountSettingsAction({
      accountId,
      ...editorSettings({
        workingHours: { days: [], start: "09:00", end: "18:00" },
        warmup: { startDate: "2026-02-30", ramp: [0.5, 0.3] },
        safety: { pauseBelow: 120 },
      }),
    });
    expect(badRampAndThreshold).toMatchObject({
      ok: false,
      error: {
        code: "invalid_input",
        fieldErrors: {
          "workingHours.days": ["Pick at least one working day."],
          "warmup.startDate": ["Expected a date as YYYY-MM-DD"],
          "warmup.ramp": ["A warm-up only goes up: each week at least as much as the one before."],
          "safety.pauseBelow": ["From 0 (never pause) to 100."],
        },
      },
    });
    expect(await storedPacing(accountId)).toEqual(before);
  });

  it("answers 404 for another workspace's account, reading or saving, and leaves it alone", async () => {
    const theirs = await createAccount("Oscar's seat", otherCookie);
    const before = await storedPacing(theirs);
    expect((await getAccount(theirs)).status).toBe(404);
    const saved = await saveSettings(theirs, editorSettings());
    expect(saved.status).toBe(404);
    expect(saved.body.error.code).toBe("not_found");
    const viaAction = await accountActions.updateAccountSettingsAction({
      accountId: theirs,
      ...editorSettings(),
    });
    expect(viaAction).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await storedPacing(theirs)).toEqual(before);
    // Its owner still reads it.
    expect((await getAccount(theirs, otherCookie)).status).toBe(200);
  });

  it("scores safety from the engine's counts: four factors, the weakest named, as the engine sees it", async () => {
    const accountId = await createAccount("Scored");
    await saveSettings(
      accountId,
      editorSettings({
        timeZone: ZONE,
        // Every day a working day, so cap pressure averages over all seven days.
        workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "09:00", end: "18:00" },
        caps: {
          perDay: { connect: 25, visit: 80, follow: 40, message: 60, inmail: 30, like_post: 40 },
          totalPerDay: 150,
          connectPer7Days: 100,
        },
        safety: { pauseBelow: 40 },
      }),
    );
    const campaign = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie,
      body: { name: "Scored outreach", templateId: "connect-then-inmail", accountIds: [accountId] },
    });
    const campaignId = campaign.body.id as string;
    const added = await call(leadsRoute.POST, `/api/campaigns/${campaignId}/leads`, {
      method: "POST",
      cookie,
      body: {
        leads: Array.from({ length: 25 }, (_, i) => ({ publicIdentifier: `lead-${i}` })),
      },
      params: { campaignId },
    });
    expect(added.status).toBeLessThan(300);
    const enrollments = await database.db
      .select()
      .from(enrollment)
      .where(eq(enrollment.accountId, accountId));
    expect(enrollments).toHaveLength(25);

    const now = Date.now();
    const daysAgo = (days: number) => new Date(now - days * 86_400_000);
    const today = localDate(new Date(now), ZONE);
    const workspaceId = enrollments[0]!.workspaceId;
    const row = (e: (typeof enrollments)[number], i: number, extra: Record<string, unknown>) => ({
      id: `act-${accountId}-${i}`,
      workspaceId,
      idempotencyKey: `key-${accountId}-${i}`,
      enrollmentId: e.id,
      campaignId,
      leadId: e.leadId,
      accountId,
      nodeId: "connect",
      kind: "connect",
      branch: "",
      status: "sent",
      localDate: today,
      createdAt: daysAgo(5),
      sentAt: daysAgo(5),
      ...extra,
    });
    // 25 invitations sent 5 days ago (settled), 5 of them accepted: 20 % acceptance.
    // 5 failed visits yesterday: 5 of 30 attempts in 7 days failed.
    await database.db.insert(action).values([
      ...enrollments.map((e, i) => row(e, i, {})),
      ...enrollments.slice(0, 5).map((e, i) =>
        row(e, 100 + i, {
          kind: "visit",
          nodeId: "start",
          status: "failed",
          createdAt: daysAgo(1),
          sentAt: null,
        }),
      ),
    ]);
    await database.db.insert(inboundEvent).values(
      enrollments.slice(0, 5).map((e, i) => ({
        workspaceId,
        provider: "sandbox",
        externalId: `accepted-${accountId}-${i}`,
        type: "accepted",
        providerAccountId: "sandbox-scored",
        accountId,
        leadId: e.leadId,
        occurredAt: daysAgo(4),
        receivedAt: daysAgo(4),
      })),
    );
    // 105 of 7 × 150 actions over the week (10 %); 25 of 100 weekly invitations (25 %).
    await database.db.insert(usageCounter).values([
      { accountId, localDate: today, kind: "total", used: 75 },
      { accountId, localDate: today, kind: "visit", used: 50 },
      { accountId, localDate: today, kind: "connect", used: 25 },
      { accountId, localDate: addLocalDays(today, -2), kind: "total", used: 30 },
    ]);

    const { body } = await getAccount(accountId);
    expect(body.safety).toEqual({
      score: 50,
      pauseBelow: 40,
      pauseReason: null,
      weakest: {
        key: "acceptance",
        label: "Acceptance rate",
        score: 50,
        detail: "20 % of 25 invitations accepted",
        enoughData: true,
      },
      factors: [
        {
          key: "acceptance",
          label: "Acceptance rate",
          score: 50,
          detail: "20 % of 25 invitations accepted",
          enoughData: true,
        },
        {
          key: "pending",
          label: "Pending invitations",
          score: 100,
          detail: "20 invitations of the last 30 days not accepted",
          enoughData: true,
        },
        {
          key: "errors",
          label: "Error rate",
          // 17 % failed: (0.3 − 0.167) ÷ (0.3 − 0.05) of the way from bad to good.
          score: 53,
          detail: "17 % of 30 attempts failed in 7 days",
          enoughData: true,
        },
        {
          key: "cap_pressure",
          label: "Cap pressure",
          score: 100,
          detail: "10 % of the daily caps, 25 % of the weekly invitations",
          enoughData: true,
        },
      ],
    });
    expect(body.account.usage).toMatchObject({
      localDate: today,
      used: { connect: 25, visit: 50, total: 75, message: 0, connect_7d: 25 },
      caps: { connect: 25, visit: 80, total: 150, connect_7d: 100 },
    });

    // The engine's own check reads the same score (and, above the threshold, pauses nothing).
    const settings = body.settings;
    const engine = await checkAccountSafety(
      createEngineStore(database.db),
      { id: accountId, pacing: settings } as Parameters<typeof checkAccountSafety>[1],
      new Date(body.now),
    );
    expect(engine.score.score).toBe(body.safety.score);
    expect(engine.score.weakest.key).toBe(body.safety.weakest.key);
    expect(engine.paused).toBeNull();
  });

  it("names the next scheduled step: the earliest due lead of a running campaign, and the next send slot", async () => {
    const accountId = await createAccount("Scheduled");
    const campaign = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie,
      body: {
        name: "Scheduled outreach",
        templateId: "connect-then-inmail",
        accountIds: [accountId],
      },
    });
    const campaignId = campaign.body.id as string;
    await call(leadsRoute.POST, `/api/campaigns/${campaignId}/leads`, {
      method: "POST",
      cookie,
      body: {
        leads: [
          { publicIdentifier: "ada-lovelace", firstName: "Ada", lastName: "Lovelace" },
          { publicIdentifier: "grace-hopper", firstName: "Grace", lastName: "Hopper" },
        ],
      },
      params: { campaignId },
    });
    const rows = await database.db
      .select()
      .from(enrollment)
      .where(eq(enrollment.accountId, accountId));
    const grace = rows.find((r) => r.queueKey === "grace-hopper")!;
    const ada = rows.find((r) => r.queueKey === "ada-lovelace")!;
    const soon = new Date(Date.now() + 3_600_000);
    await database.db
      .update(enrollment)
      .set({ nextRunAt: soon, nodeId: "connect" })
      .where(eq(enrollment.id, grace.id));
    await database.db
      .update(enrollment)
      .set({ nextRunAt: new Date(Date.now() + 5 * 3_600_000) })
      .where(eq(enrollment.id, ada.id));
    const slot = new Date(Date.now() + 600_000);
    await database.db
      .update(senderAccount)
      .set({ nextFreeAt: slot })
      .where(eq(senderAccount.id, accountId));

    const { body } = await getAccount(accountId);
    expect(body.schedule).toMatchObject({
      nextFreeAt: slot.toISOString(),
      waiting: 2,
      nextDue: {
        enrollmentId: grace.id,
        campaignId,
        campaignName: "Scheduled outreach",
        leadName: "Grace Hopper",
        step: expect.stringMatching(/^Connect/),
        nextRunAt: soon.toISOString(),
      },
    });

    // Due now while the seat's next send slot is later: the next step says it waits for that
    // slot, never "due now" beside a later slot. The seat works every hour so that only the
    // slot holds the lead whatever time the test runs.
    await database.db
      .update(senderAccount)
      .set({
        pacing: sql`jsonb_set(${senderAccount.pacing}, '{workingHours}', '{"days":[1,2,3,4,5,6,7],"start":"00:00","end":"24:00"}'::jsonb)`,
      })
      .where(eq(senderAccount.id, accountId));
    await database.db
      .update(enrollment)
      .set({ nextRunAt: new Date(Date.now() - 60_000) })
      .where(eq(enrollment.id, grace.id));
    const held = (await getAccount(accountId)).body.schedule.nextDue;
    expect(held.enrollmentId).toBe(grace.id);
    expect(held.waiting).toMatch(/^Waiting for seat Scheduled's next send slot, /);

    // A paused campaign's leads are not due: the account has nothing scheduled.
    await call((await import("@/app/api/campaigns/[campaignId]/pause/route")).POST, "", {
      method: "POST",
      cookie,
      params: { campaignId },
    });
    const paused = await getAccount(accountId);
    expect(paused.body.schedule).toMatchObject({ waiting: 0, nextDue: null });
  });

  it("says the status in words: cooling down until when, paused with its reason", async () => {
    const accountId = await createAccount("Worded");
    await database.db
      .update(senderAccount)
      .set({
        status: "cooling_down",
        statusReason: "LinkedIn said limit_exceeded",
        coolingUntil: new Date("2099-01-15T13:05:00Z"),
      })
      .where(eq(senderAccount.id, accountId));
    expect((await getAccount(accountId)).body.state).toEqual({
      status: "cooling_down",
      headline: "Cooling down until Thu 15 Jan, 14:05 (Europe/Paris)",
      detail: "LinkedIn said limit_exceeded. Nothing is sent until then; it resumes by itself.",
    });

    const paused = await accountActions.pauseAccountAction({ accountId });
    expect(paused.ok).toBe(true);
    expect((await getAccount(accountId)).body.state.headline).toBe("Paused by Nora Quinn");
  });
});

describe("account status in words", () => {
  const now = new Date("2026-03-03T10:00:00Z");
  const base = { statusReason: null, coolingUntil: null, provider: "unipile" };

  it("names a safety pause's reason, a restriction and a lost connection", () => {
    expect(
      describeAccountState(
        { ...base, status: "paused", statusReason: "safety score 30 below 40: error rate" },
        ZONE,
        now,
      ).headline,
    ).toBe("Paused: safety score 30 below 40: error rate");
    expect(describeAccountState({ ...base, status: "restricted" }, ZONE, now)).toMatchObject({
      headline: "Restricted by LinkedIn",
      detail: expect.stringMatching(/^LinkedIn restricted the account\. Nothing is sent from it\./),
    });
    expect(describeAccountState({ ...base, status: "needs_reconnect" }, ZONE, now)).toMatchObject({
      headline: "Needs reconnecting",
      detail: expect.stringContaining("Reconnect it under Real LinkedIn accounts"),
    });
  });

  it("tells a cool-down that is over from one still running", () => {
    const ended = describeAccountState(
      { ...base, status: "cooling_down", coolingUntil: new Date("2026-03-03T09:00:00Z") },
      "UTC",
      now,
    );
    expect(ended.headline).toBe("Cooling down ended Tue 3 Mar, 09:00 (UTC)");
  });
});
