import { describe, expect, it } from "vitest";
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
import { localDate } from "../engine/pacing/local-time";
import type { SandboxWithdrawal } from "../providers/sandbox/store";
import { memoryTrace, prepareMemoryRun, runMemory } from "./memory-run";

describe("invitation hygiene in the in-memory store", () => {
  it("withdraws, exits, holds the ceiling and the cap like the database, and traces withdrawals as actions", async () => {
    const spec = hygieneSpec(45);
    const run = await prepareMemoryRun(spec);
    // Read the world's record at day 30 too: it forgets withdrawals older than three weeks.
    const readings: SandboxWithdrawal[][] = [];
    for (const day of [30, 45]) {
      run.end = new Date(START.getTime() + day * DAY_MS);
      await runMemory(run);
      readings.push(await run.world.withdrawals(SEAT));
    }
    const withdrawals = mergeWithdrawals(...readings);
    checkHygieneRecord(await run.world.received({ providerAccountId: SEAT }), withdrawals);

    const trace = await memoryTrace(spec, run);
    const traced = trace.actions.filter((a) => a.kind === "withdraw");
    expect(traced).toHaveLength(withdrawals.length);
    expect(traced.map((a) => a.at)).toEqual(withdrawals.map((w) => w.at.toISOString()));
    for (const a of traced) expect(a).toMatchObject({ account: SEAT, node: "invite", credits: 0 });
    // A withdrawal takes no place under the send caps: each day's counter holds the sends only.
    const seatId = run.accountIds.get(SEAT)!;
    const sendsOn = new Map<string, number>();
    for (const a of trace.actions) {
      if (a.outcome !== "sent" || a.kind === "withdraw") continue;
      const date = localDate(new Date(a.at), "Europe/Paris");
      sendsOn.set(date, (sendsOn.get(date) ?? 0) + 1);
    }
    for (const a of traced) {
      const date = localDate(new Date(a.at), "Europe/Paris");
      expect(run.db.counter(seatId, date, "total").used).toBe(sendsOn.get(date) ?? 0);
    }
    expect(HYGIENE.withdrawPerDay).toBeLessThan(HYGIENE.pendingCeiling);
    // The lead waiting on a withdrawn invitation left its if-accepted step at that instant.
    const exits = run.db.history.filter((h) => h.nodeId === "accepted" && h.exit === "no");
    for (const a of traced.filter((t) => t.node === "invite")) {
      const lead = [...run.db.leads.values()].find((l) => l.publicIdentifier === a.lead)!;
      const enrollment = [...run.db.enrollments.values()].find((e) => e.leadId === lead.id)!;
      const exit = exits.find((h) => h.enrollmentId === enrollment.id);
      expect(exit?.at.toISOString()).toBe(a.at);
      expect(exit?.note).toMatch(/^invitation withdrawn after 2[1-4] days$/);
    }
  }, 120_000);
});

describe("withdrawals once every lead is done, in the in-memory store", () => {
  it("wakes the engine for them: at the seat's next opening, then its next working day once the day's cap is used", async () => {
    const spec = finishedLeadsSpec(30);
    const run = await prepareMemoryRun(spec);
    run.end = new Date(START.getTime() + 2 * DAY_MS);
    await runMemory(run);
    expect([...run.db.enrollments.values()].every((e) => e.state === "done")).toBe(true);
    // Due on Sunday 22 March: nothing else is pending, and the wake-up is Monday's opening.
    expect(run.db.nextWakeUp(run.clock.now())?.toISOString()).toBe(DONE_WITHDRAWALS[0]);
    run.end = new Date("2026-03-23T12:00:00Z");
    await runMemory(run);
    // Two withdrawn, the day's cap: the third waits for Tuesday's opening.
    expect(run.db.nextWakeUp(run.clock.now())?.toISOString()).toBe(DONE_WITHDRAWALS[2]);
    run.end = new Date(START.getTime() + 30 * DAY_MS);
    const { iterations } = await runMemory(run);
    expect(iterations).toBeLessThan(10);
    const withdrawals = await run.world.withdrawals(DONE_SEAT);
    expect(withdrawals.map((w) => w.at.toISOString())).toEqual(DONE_WITHDRAWALS);
    const trace = await memoryTrace(spec, run);
    expect(trace.actions.filter((a) => a.kind === "withdraw").map((a) => a.at)).toEqual(
      DONE_WITHDRAWALS,
    );
    expect(run.db.nextWakeUp(run.clock.now())).toBeNull();
  });
});

describe("an invitation to a person the seat withdrew one from, in another campaign", () => {
  it("waits out LinkedIn's three weeks rather than asking and being refused", async () => {
    const spec = reinviteAcrossCampaignsSpec(40);
    const run = await prepareMemoryRun(spec);
    await runMemory(run);
    checkReinviteTrace((await memoryTrace(spec, run)).actions);
  });
});
