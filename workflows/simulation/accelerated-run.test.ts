import { describe, expect, it } from "vitest";
import { acceleratedClock } from "../engine/clock";
import { localDate } from "../engine/pacing/local-time";
import type { EngineDeps } from "../engine/step";
import { pumpEvents, runDueBatch, runDueKeepingUp } from "../engine/worker";
import type { Provider } from "../providers/types";
import { CampaignFileSchema, resolveCampaignFile } from "./campaign-file";
import { type MemoryRun, prepareMemoryRun, runMemory } from "./memory-run";

// The demo's pace: ten virtual minutes per real second, a turn every real second.
const SCALE = 600;
const POLL_MS = 1000;
const BUDGET_MS = 2000;
const TIME_ZONE = "Europe/London";

const spec = resolveCampaignFile(
  CampaignFileSchema.parse({
    graph: { template: "connect-then-follow-up" },
    accounts: [{ id: "acct-a", timeZone: TIME_ZONE, warmupStart: null }],
    leads: { count: 80 },
    start: "2026-03-02T07:00:00Z",
    days: 5,
    seed: "keeping-up",
  }),
);

/** Sends per local day, from the run's stored actions. */
function sendsPerDay(run: MemoryRun): Map<string, number> {
  const days = new Map<string, number>();
  for (const action of run.db.actions.values()) {
    if (action.status !== "sent" || !action.sentAt) continue;
    const day = localDate(action.sentAt, TIME_ZONE);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return days;
}

/**
 * The same campaign on an accelerated clock driven by fake real time, with an engine so slow
 * that each send costs `sendCostMs` real milliseconds (that many × SCALE virtual ones).
 */
async function acceleratedRun(sendCostMs: number, keepUp: boolean) {
  const run = await prepareMemoryRun(spec);
  let real = 0;
  const realTime = () => real;
  const clock = acceleratedClock({ scale: SCALE, origin: spec.start, realTime });
  const slow: Provider = {
    name: "sandbox",
    perform: (...args) => {
      real += sendCostMs;
      return run.world.perform(...args);
    },
    reconcile: (...args) => run.world.reconcile(...args),
    inmailBalance: (account) => run.world.inmailBalance(account),
  };
  const deps: EngineDeps & { clock: typeof clock } = {
    store: run.db.store(),
    provider: slow,
    clock,
    owner: "demo",
  };
  const nextDueAfter = async (now: Date) => {
    const next = [run.db.nextWakeUp(now), run.sandbox.nextEventAt()]
      .filter((at): at is Date => at !== null && at.getTime() > now.getTime())
      .map((at) => at.getTime());
    return next.length > 0 ? new Date(Math.min(...next)) : null;
  };
  let behindTurns = 0;
  while (clock.now().getTime() < run.end.getTime()) {
    const now = clock.now();
    await pumpEvents(run.world, now, async (event) => run.db.ingestEvent("sandbox", event, now));
    if (keepUp) {
      const held = clock.now().getTime();
      const turn = await runDueKeepingUp(deps, {
        budgetMs: BUDGET_MS,
        nextDueAfter,
        realTime,
        batch: { batchSize: 1 },
      });
      if (turn.behind) {
        // Work is still due: the clock stays where the turn began until the next turn.
        behindTurns++;
        expect(clock.held).toBe(true);
        expect(clock.now().getTime()).toBe(held);
      }
    } else {
      // The clock as it was: it runs on whatever the engine manages in the turn.
      const deadline = real + BUDGET_MS;
      while (real < deadline) {
        if ((await runDueBatch(deps)) === 0) break;
      }
    }
    real += POLL_MS;
  }
  return { run, realMs: real, behindTurns };
}

describe("the accelerated clock under load", () => {
  it("keeps a seat's sends per virtual day within 10 % of the virtual-clock run", async () => {
    const reference = await prepareMemoryRun(spec);
    await runMemory(reference);
    const expected = sendsPerDay(reference);
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(20);

    // Each send costs 2.5 real seconds: 25 virtual minutes at full speed, more than the seat's
    // gaps, and more than a turn's budget.
    const { run, realMs, behindTurns } = await acceleratedRun(2500, true);
    expect(behindTurns).toBeGreaterThan(0);
    // The clock slowed down: well under SCALE virtual milliseconds passed per real one.
    expect(run.end.getTime() - spec.start.getTime()).toBeLessThan(realMs * SCALE * 0.9);
    const actual = sendsPerDay(run);
    if (process.env.SHOW_FIGURES) console.log([...expected], [...actual], realMs);
    for (const [day, count] of expected) {
      expect(Math.abs((actual.get(day) ?? 0) - count), day).toBeLessThanOrEqual(
        Math.max(1, Math.round(count * 0.1)),
      );
    }
  }, 120_000);

  it("falls behind when the clock runs on regardless of the work due", async () => {
    const reference = await prepareMemoryRun(spec);
    await runMemory(reference);
    const expected = [...sendsPerDay(reference).values()].reduce((a, b) => a + b, 0);
    const { run } = await acceleratedRun(1500, false);
    const actual = [...sendsPerDay(run).values()].reduce((a, b) => a + b, 0);
    expect(actual).toBeLessThan(expected * 0.9);
  }, 120_000);
});
