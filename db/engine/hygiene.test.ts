import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import {
  checkHygieneRecord,
  checkReinviteTrace,
  DAY_MS,
  DONE_SEAT,
  DONE_WITHDRAWALS,
  finishedLeadsSpec,
  HYGIENE,
  hygieneSpec,
  mergeWithdrawals,
  reinviteAcrossCampaignsSpec,
  SEAT,
  START,
} from "@/test/hygiene-scenario";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import { scoreAccountSafety } from "@/workflows/engine/worker";
import type { SandboxReceived, SandboxWithdrawal } from "@/workflows/providers/sandbox/store";
import { waitingReasonsOf } from "../queries/waiting";
import { action, enrollment, enrollmentStep } from "../schema/index";
import { nextDueAfter } from "./next-due";
import { nextWakeUp, prepareSimulation, runSimulation, type SimulationRun } from "./simulation";
import { createEngineStore } from "./store";
import { buildTrace } from "./trace";

describe.each(BACKENDS)("invitation hygiene on %s", (backend) => {
  let database: TestDatabase;
  let run: SimulationRun;
  let seatId: string;
  /** What the world recorded, read at the end of each phase (it forgets old withdrawals). */
  const readings: SandboxWithdrawal[][] = [];
  let received: SandboxReceived[] = [];
  let atCeiling: { reasons: string[]; safety: string; score: number } | null = null;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    const spec = hygieneSpec(45);
    run = await prepareSimulation(database, spec);
    seatId = run.accountIds.get(SEAT)!;
    // Phase 1, the first two days: the seat fills up to its ceiling.
    run.end = new Date(START.getTime() + 2 * DAY_MS);
    await runSimulation(database, run);
    const active = await database.db
      .select()
      .from(enrollment)
      .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.state, "active")));
    const reasons = await waitingReasonsOf(database.db, run.workspaceId, active, run.clock.now());
    const pacing = PacingSettingsSchema.parse(spec.accounts[0]!.pacing);
    const score = await scoreAccountSafety(
      createEngineStore(database.db),
      seatId,
      pacing,
      run.clock.now(),
    );
    atCeiling = {
      reasons: [...reasons.values()].map((r) => r.text),
      safety: score.factors.find((f) => f.key === "pending")!.detail,
      score: score.factors.find((f) => f.key === "pending")!.score,
    };
    // Phase 2, to day 30: the first invitations are withdrawn. Phase 3, to day 45: re-invited.
    for (const day of [30, 45]) {
      run.end = new Date(START.getTime() + day * DAY_MS);
      await runSimulation(database, run);
      readings.push(await run.world.withdrawals(SEAT));
    }
    received = await run.world.received({ providerAccountId: SEAT });
  }, 600_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it("holds new invitations at the pending ceiling, with the reason shown and the safety score lowered", () => {
    expect(atCeiling).not.toBeNull();
    expect(atCeiling!.reasons).toContain(
      `Pending invitations at the ceiling (${HYGIENE.pendingCeiling}/${HYGIENE.pendingCeiling})`,
    );
    expect(atCeiling!.safety).toContain(`at the ceiling of ${HYGIENE.pendingCeiling}`);
    expect(atCeiling!.score).toBe(40);
  });

  it("withdraws after 21 days under the per-day cap, keeps the ceiling, and never re-invites within 21 days (the world's record)", () => {
    checkHygieneRecord(received, mergeWithdrawals(...readings));
  });

  it("records each withdrawal on its invitation, and its lead takes the “not accepted” exit at once", async () => {
    const withdrawn = await database.db
      .select()
      .from(action)
      .where(and(eq(action.campaignId, run.campaignId), isNotNull(action.withdrawal)));
    expect(withdrawn.length).toBeGreaterThanOrEqual(HYGIENE.pendingCeiling);
    const steps = await database.db
      .select()
      .from(enrollmentStep)
      .where(eq(enrollmentStep.workspaceId, run.workspaceId));
    const notes: string[] = [];
    for (const invitation of withdrawn) {
      expect(invitation.withdrawal).toBe("withdrawn");
      expect(invitation.kind).toBe("connect");
      const exit = steps.find(
        (s) => s.enrollmentId === invitation.enrollmentId && s.nodeId === "accepted",
      );
      if (invitation.nodeId !== "invite") continue;
      expect(exit?.exit).toBe("no");
      expect(exit?.at.getTime()).toBe(invitation.withdrawalAt!.getTime());
      const days = Math.floor(
        (invitation.withdrawalAt!.getTime() - invitation.sentAt!.getTime()) / DAY_MS,
      );
      expect(exit?.note).toBe(`invitation withdrawn after ${days} days`);
      notes.push(exit!.note!);
    }
    expect(notes).toContain("invitation withdrawn after 21 days");
  });

  it("never asks LinkedIn to invite a withdrawn person again before the three weeks are over", async () => {
    const rows = await database.db
      .select()
      .from(action)
      .where(and(eq(action.campaignId, run.campaignId), eq(action.kind, "connect")));
    for (const first of rows.filter((r) => r.withdrawal === "withdrawn")) {
      const again = rows.filter(
        (r) =>
          r.enrollmentId === first.enrollmentId &&
          r.createdAt.getTime() > first.withdrawalAt!.getTime(),
      );
      for (const r of again) {
        expect(r.createdAt.getTime() - first.withdrawalAt!.getTime()).toBeGreaterThanOrEqual(
          21 * DAY_MS,
        );
        expect(r.status).toBe("sent");
      }
    }
  });
});

describe.each(BACKENDS)("withdrawals once every lead is done on %s", (backend) => {
  let database: TestDatabase;
  beforeAll(async () => {
    // A database of its own: a wake-up is the earliest over every workspace.
    database = await createTestDatabase(backend);
  }, 120_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it("wakes the engine for them: at the seat's next opening, then its next working day once the day's cap is used", async () => {
    const run = await prepareSimulation(database, finishedLeadsSpec(30));
    run.end = new Date(START.getTime() + 2 * DAY_MS);
    await runSimulation(database, run);
    const active = await database.db
      .select()
      .from(enrollment)
      .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.state, "active")));
    expect(active).toEqual([]);
    // Due on Sunday 22 March: nothing else is pending, and the wake-up is Monday's opening.
    expect((await nextWakeUp(database, run.clock.now()))?.toISOString()).toBe(DONE_WITHDRAWALS[0]);
    // The demo's accelerated clock stops there too, rather than running past it.
    expect((await nextDueAfter(database.db, run.clock.now()))?.toISOString()).toBe(
      DONE_WITHDRAWALS[0],
    );
    run.end = new Date("2026-03-23T12:00:00Z");
    await runSimulation(database, run);
    // Two withdrawn, the day's cap: the third waits for Tuesday's opening.
    expect((await nextWakeUp(database, run.clock.now()))?.toISOString()).toBe(DONE_WITHDRAWALS[2]);
    run.end = new Date(START.getTime() + 30 * DAY_MS);
    const { iterations } = await runSimulation(database, run);
    expect(iterations).toBeLessThan(10);
    const withdrawals = await run.world.withdrawals(DONE_SEAT);
    expect(withdrawals.map((w) => w.at.toISOString())).toEqual(DONE_WITHDRAWALS);
    const rows = await database.db
      .select()
      .from(action)
      .where(and(eq(action.campaignId, run.campaignId), isNotNull(action.withdrawal)));
    expect(rows.map((r) => r.withdrawalAt!.toISOString()).sort()).toEqual(DONE_WITHDRAWALS);
    expect(await nextWakeUp(database, run.clock.now())).toBeNull();
    expect(await nextDueAfter(database.db, run.clock.now())).toBeNull();
  }, 120_000);
});

describe.each(BACKENDS)(
  "an invitation to a person the seat withdrew one from, on %s",
  (backend) => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(backend);
    }, 120_000);
    afterAll(async () => {
      await database?.destroy();
    });

    it("waits out LinkedIn's three weeks, whichever campaign withdrew it, rather than being refused", async () => {
      const spec = reinviteAcrossCampaignsSpec(40);
      const run = await prepareSimulation(database, spec);
      await runSimulation(database, run);
      checkReinviteTrace((await buildTrace(database, spec, run)).actions);
    }, 120_000);
  },
);
