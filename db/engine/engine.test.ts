import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BACKENDS,
  type Backend,
  createTestDatabase,
  LONG_RUN_BACKEND,
  type TestDatabase,
} from "@/test/databases";
import { addLocalDays, localDate } from "@/workflows/engine/pacing/local-time";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import { isWithinWorkingHours } from "@/workflows/engine/pacing/working-hours";
import { starterTemplates } from "@/workflows/templates/index";
import { action, enrollment, senderAccount, usageCounter } from "../schema/index";
import {
  capsByDay,
  prepareSimulation,
  runSimulation,
  type SimulationRun,
  type SimulationSpec,
} from "./simulation";

const START = new Date("2026-03-02T07:00:00Z"); // a Monday, before working hours in Europe

function templateGraph(id: string) {
  const template = starterTemplates.find((t) => t.id === id);
  if (!template) throw new Error(`no starter template ${id}`);
  return template.graph;
}

function spec(overrides: Partial<SimulationSpec> = {}): SimulationSpec {
  return {
    graph: templateGraph("connect-then-follow-up"),
    accounts: [
      {
        id: "acct-paris",
        pacing: { timeZone: "Europe/Paris", warmup: { startDate: "2026-03-02" } },
      },
      {
        id: "acct-ny",
        pacing: { timeZone: "America/New_York", warmup: { startDate: "2026-01-05" } },
      },
    ],
    leads: Array.from({ length: 40 }, (_, i) => ({
      publicIdentifier: `lead-${i}`,
      firstName: `Lead${i}`,
      lastName: "Example",
      company: `Company ${i % 7}`,
      title: "VP Sales",
    })),
    seed: "engine-test",
    start: START,
    days: 30,
    sandbox: { defaults: { acceptance: { probability: 0.6 }, reply: { afterMessage: 0.5 } } },
    ...overrides,
  };
}

/**
 * The small scenario runs on both databases; the full-size one (500 leads for 60 days on the
 * "Connect first, InMail those who don't accept" template) on one, PostgreSQL when configured,
 * where the same SQL runs in a fraction of PGlite's time.
 */
const SCENARIOS: Array<{ name: string; backend: Backend; scenario: () => SimulationSpec }> = [
  ...BACKENDS.map((backend) => ({
    name: `${backend}: 40 leads, 30 days, connect then follow up`,
    backend,
    scenario: () => spec(),
  })),
  {
    name: `${LONG_RUN_BACKEND}: 500 leads, 60 days, connect then InMail`,
    backend: LONG_RUN_BACKEND,
    scenario: () =>
      spec({
        graph: templateGraph("connect-then-inmail"),
        leads: Array.from({ length: 500 }, (_, i) => ({
          publicIdentifier: `full-${i}`,
          firstName: `Lead${i}`,
          lastName: "Example",
          company: `Company ${i % 31}`,
          title: "Head of Sales",
        })),
        days: 60,
        pool: { plan: "sales_navigator_core", balance: 150 },
        sandbox: {
          defaults: { acceptance: { probability: 0.45 }, reply: { afterMessage: 0.2 } },
        },
      }),
  },
];

describe.each(SCENARIOS)("engine on $name", ({ backend, scenario: makeScenario }) => {
  let database: TestDatabase;
  let run: SimulationRun;
  let scenario: SimulationSpec;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    scenario = makeScenario();
    run = await prepareSimulation(database, scenario);
    await runSimulation(database, run);
  }, 600_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it("accounts for every enrollment: finished, waiting for a later time, or on a stopped seat", async () => {
    const rows = await database.db
      .select()
      .from(enrollment)
      .where(eq(enrollment.campaignId, run.campaignId));
    expect(rows).toHaveLength(scenario.leads.length);
    const seats = await database.db
      .select({ id: senderAccount.id, status: senderAccount.status })
      .from(senderAccount);
    const stopped = new Set(seats.filter((a) => a.status !== "active").map((a) => a.id));
    for (const row of rows) {
      if (row.state === "active") {
        // A lead its seat already reached stays with the seat when a safety pause stops it
        // (seat rotation moves only the others): it waits for someone to resume the seat.
        if (stopped.has(row.accountId)) continue;
        expect(row.nextRunAt.getTime()).toBeGreaterThan(run.end.getTime() - 1);
      } else {
        expect(["done", "failed"]).toContain(row.state);
        expect(row.outcome).toBeTruthy();
      }
    }
    expect(rows.filter((r) => r.state === "done").length).toBeGreaterThan(0);
  });

  it("holds every place a full cap promised for a lead still waiting for it, and no other", async () => {
    const counters = await database.db.select().from(usageCounter);
    const waiting = await database.db
      .select()
      .from(enrollment)
      .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.state, "active")));
    const held = new Map<string, number>();
    for (const row of waiting) {
      const state = row.stepState as { bookedDate?: string; bookedKind?: string } | null;
      if (!state?.bookedDate) continue;
      for (const kind of [state.bookedKind, "total"]) {
        const key = `${row.accountId}|${state.bookedDate}|${kind}`;
        held.set(key, (held.get(key) ?? 0) + 1);
      }
    }
    for (const counter of counters) {
      const key = `${counter.accountId}|${counter.localDate}|${counter.kind}`;
      expect({ key, booked: counter.booked }).toEqual({ key, booked: held.get(key) ?? 0 });
    }
  });

  it("LinkedIn received every sent action exactly once, and nothing else", async () => {
    const received = await run.world.received();
    const sent = await database.db
      .select()
      .from(action)
      .where(eq(action.campaignId, run.campaignId));
    const sentKeys = sent.filter((a) => a.status === "sent").map((a) => a.idempotencyKey);
    expect(received.map((r) => r.idempotencyKey).sort()).toEqual([...sentKeys].sort());
    const perPerson = new Map<string, number>();
    for (const r of received) {
      const key = `${r.providerAccountId}|${r.leadPublicIdentifier}|${r.kind}`;
      perPerson.set(key, (perPerson.get(key) ?? 0) + 1);
    }
    for (const [key, n] of perPerson) {
      if (!key.endsWith("|message")) expect({ key, n }).toEqual({ key, n: 1 });
    }
    expect(received.length).toBeGreaterThan(scenario.leads.length);
  });

  it("tags each action with the branch the lead was on when it was sent", async () => {
    const actions = await database.db
      .select()
      .from(action)
      .where(eq(action.campaignId, run.campaignId));
    const messages = actions.filter((a) => a.kind === "message" && a.status === "sent");
    expect(messages.length).toBeGreaterThan(0);
    // The follow-up message sits behind "if accepted → yes": its branch says so.
    for (const message of messages) expect(message.branch).toBe("accepted:yes");
    for (const a of actions.filter((x) => x.kind === "connect" || x.kind === "visit")) {
      expect(a.branch).toBe("");
    }
  });

  it("sends only inside each account's working hours, never closer than the minimum gap", async () => {
    const received = await run.world.received();
    const rows = await database.db
      .select({ accountId: enrollment.accountId })
      .from(enrollment)
      .where(eq(enrollment.campaignId, run.campaignId));
    for (const account of scenario.accounts) {
      const pacing = PacingSettingsSchema.parse(account.pacing);
      const mine = received
        .filter((r) => r.providerAccountId === account.id)
        .sort((a, b) => a.at.getTime() - b.at.getTime());
      // A seat in its first warm-up week has little room: seat rotation may give it no lead.
      const given = rows.some((r) => r.accountId === run.accountIds.get(account.id));
      expect(mine.length > 0 || !given).toBe(true);
      for (const r of mine) expect(isWithinWorkingHours(r.at, pacing)).toBe(true);
      for (let i = 1; i < mine.length; i++) {
        const gapSeconds = (mine[i]!.at.getTime() - mine[i - 1]!.at.getTime()) / 1000;
        expect(gapSeconds).toBeGreaterThanOrEqual(pacing.gap.minSeconds - 0.001);
      }
    }
  });

  it("keeps every account under every cap on every local day, warm-up included", async () => {
    const received = await run.world.received();
    const caps = capsByDay(scenario);
    const limitOf = (account: string, date: string, kind: string) =>
      caps.find((c) => c.account === account && c.date === date && c.kind === kind)?.limit;
    for (const account of scenario.accounts) {
      const { timeZone } = PacingSettingsSchema.parse(account.pacing);
      const byDay = new Map<string, Map<string, number>>();
      for (const r of received.filter((x) => x.providerAccountId === account.id)) {
        const date = localDate(r.at, timeZone);
        const day = byDay.get(date) ?? new Map<string, number>();
        day.set(r.kind, (day.get(r.kind) ?? 0) + 1);
        day.set("total", (day.get("total") ?? 0) + 1);
        byDay.set(date, day);
      }
      for (const [date, counts] of byDay) {
        for (const [kind, used] of counts) {
          expect({ account: account.id, date, kind, used }).toEqual({
            account: account.id,
            date,
            kind,
            used: Math.min(used, limitOf(account.id, date, kind) ?? Number.POSITIVE_INFINITY),
          });
        }
        let connect7d = 0;
        for (let back = 0; back < 7; back++) {
          connect7d += byDay.get(addLocalDays(date, -back))?.get("connect") ?? 0;
        }
        expect(connect7d).toBeLessThanOrEqual(limitOf(account.id, date, "connect_7d")!);
      }
    }
    // Warm-up: the account that started its ramp on day one sends far fewer invitations in
    // its first week than its cap at full strength.
    const parisFirstDay = received.filter(
      (r) =>
        r.providerAccountId === "acct-paris" &&
        r.kind === "connect" &&
        localDate(r.at, "Europe/Paris") === "2026-03-02",
    ).length;
    expect(parisFirstDay).toBeLessThanOrEqual(5);
  });

  it("never messages a lead after they replied, except on an if-replied “yes” path", async () => {
    const replies = (await run.world.scheduledEvents({ type: "replied" })).filter(
      (e) => e.occurredAt.getTime() <= run.end.getTime(),
    );
    const received = await run.world.received();
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      const later = received.filter(
        (r) =>
          r.providerAccountId === reply.providerAccountId &&
          r.leadPublicIdentifier === reply.leadPublicIdentifier &&
          r.at.getTime() > reply.occurredAt.getTime() &&
          (r.kind === "message" || r.kind === "inmail"),
      );
      // The follow-up template ends the lead after the reply check: nothing more is sent.
      expect(later).toEqual([]);
    }
  });
});

describe("engine determinism", () => {
  it("the same seed gives the same schedule", async () => {
    const schedules: string[][] = [];
    for (let round = 0; round < 2; round++) {
      const handle = await createTestDatabase("pglite");
      const scenario = spec({ days: 10, leads: spec().leads.slice(0, 15) });
      const run = await prepareSimulation(handle, scenario);
      await runSimulation(handle, run);
      const received = await run.world.received();
      schedules.push(
        received.map(
          (r) => `${r.at.toISOString()} ${r.providerAccountId} ${r.leadPublicIdentifier} ${r.kind}`,
        ),
      );
      await handle.destroy();
    }
    expect(schedules[0]!.length).toBeGreaterThan(0);
    expect(schedules[1]).toEqual(schedules[0]);
  }, 120_000);
});

describe("account safety on the engine", () => {
  it("pauses an account whose invitations are not accepted, before LinkedIn restricts it", async () => {
    const handle = await createTestDatabase("pglite");
    try {
      const scenario = spec({
        accounts: [{ id: "acct-ignored", pacing: { timeZone: "Europe/Paris" } }],
        leads: Array.from({ length: 120 }, (_, i) => ({
          publicIdentifier: `cold-${i}`,
          firstName: `Cold${i}`,
        })),
        days: 14,
        sandbox: { defaults: { acceptance: { probability: 0.02 } } },
      });
      const run = await prepareSimulation(handle, scenario);
      await runSimulation(handle, run);
      const [account] = await handle.db
        .select()
        .from(senderAccount)
        .where(eq(senderAccount.id, run.accountIds.get("acct-ignored")!));
      expect(account?.status).toBe("paused");
      expect(account?.statusReason).toMatch(/^safety score \d+ below 40: acceptance rate/);
      expect(await run.world.isRestricted("acct-ignored")).toBe(false);
      // Paused once 20 invitations had three days to be accepted: well before the week's 100.
      const invitations = (await run.world.received()).filter((r) => r.kind === "connect");
      expect(invitations.length).toBeGreaterThanOrEqual(20);
      expect(invitations.length).toBeLessThan(100);
      const waiting = await handle.db
        .select()
        .from(enrollment)
        .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.state, "active")));
      expect(waiting.length).toBeGreaterThan(20);
    } finally {
      await handle.destroy();
    }
  }, 120_000);
});
