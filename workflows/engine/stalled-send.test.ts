/**
 * A worker that stalls between writing a send's intent and calling LinkedIn: past the call
 * deadline it leaves the intent to the reconciliation rather than call, so a send that could
 * still be on its way when another worker reconciles is never made twice.
 */
import { describe, expect, it } from "vitest";
import { buildGraph } from "../graph/builder";
import type { Provider } from "../providers/types";
import { VirtualClock } from "./clock";
import { MemoryEngineDatabase } from "./memory-store";
import type { EngineStore } from "./ports";
import { CALL_DEADLINE_MS, LEASE_MS } from "./step";
import { runDueBatch } from "./worker";

const T0 = new Date("2026-03-02T08:00:00Z");
const PACING = {
  timeZone: "UTC",
  workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" },
  gap: { minSeconds: 1, maxSeconds: 2 },
  dailyStartOffsetMaxMinutes: 0,
};

async function visitWithStall(stallMs: number) {
  const db = new MemoryEngineDatabase();
  const accountId = db.createAccount("ws", {
    name: "Seat",
    provider: "sandbox",
    providerAccountId: "seat-1",
    pacing: PACING,
  });
  const graph = buildGraph()
    .node("start", "start")
    .node("visit", "visit")
    .node("done", "end", { outcome: "visited" })
    .edge("start", "next", "visit")
    .edge("visit", "next", "done")
    .build();
  const campaignId = await db.createCampaign("ws", {
    graph,
    accountIds: [accountId],
    seed: "stall",
    stopOnReply: true,
  });
  const leadId = db.addLead("ws", { publicIdentifier: "lead-ada", firstName: "Ada" });
  const [enrollmentId] = db.enroll(campaignId, [leadId], T0);
  const clock = new VirtualClock(T0);
  const calls: Array<{ key: string; at: Date }> = [];
  const reconciled: string[] = [];
  const provider: Provider = {
    name: "sandbox",
    async perform(_kind, _account, _lead, _request, ctx) {
      calls.push({ key: ctx.idempotencyKey, at: ctx.at });
      return { status: "sent", reference: "ref" };
    },
    async reconcile(_account, _lead, query) {
      reconciled.push(query.idempotencyKey);
      return { status: "not_sent" };
    },
    inmailBalance: async () => null,
  };
  // The store stalls once, right after the flush that writes the intent.
  const store = db.store();
  let stalled = false;
  const stalling: EngineStore = {
    ...store,
    flush: async (request) => {
      const result = await store.flush(request);
      if (!stalled && request.ops.some((op) => op.type === "reserve")) {
        stalled = true;
        clock.advance(stallMs);
      }
      return result;
    },
  };
  const deps = { store: stalling, provider, clock, owner: "worker-1" };
  for (let i = 0; i < 50; i++) {
    if ((await runDueBatch(deps, { batchSize: 10 })) > 0) continue;
    const next = db.nextWakeUp(clock.now());
    if (!next || next.getTime() > T0.getTime() + 86_400_000) break;
    clock.advanceTo(Math.max(next.getTime(), clock.now().getTime() + 1));
  }
  const enrollment = db.enrollments.get(enrollmentId!)!;
  return { calls, reconciled, state: enrollment.state, outcome: enrollment.outcome };
}

describe("a worker stalled between a send's intent and its call", () => {
  it("calls LinkedIn when the stall ends before the deadline", async () => {
    const result = await visitWithStall(CALL_DEADLINE_MS - 1_000);
    expect(result.calls).toHaveLength(1);
    expect(result.reconciled).toEqual([]);
    expect(result.outcome).toBe("visited");
  });

  it("past the deadline leaves the intent to the reconciliation, then sends once under a new key", async () => {
    const result = await visitWithStall(CALL_DEADLINE_MS + 1_000);
    // The stalled worker never called; the intent was reconciled once it counted as settled.
    expect(result.reconciled).toHaveLength(1);
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]!.key).not.toBe(result.reconciled[0]);
    expect(result.calls[0]!.at.getTime()).toBeGreaterThanOrEqual(T0.getTime() + LEASE_MS);
    expect(result.state).toBe("done");
    expect(result.outcome).toBe("visited");
  });
});
