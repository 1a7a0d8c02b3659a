import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase } from "@/test/databases";
import { buildGraph } from "@/workflows/graph/builder";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import type { SandboxScript } from "@/workflows/providers/sandbox/world-settings";
import type { SimulationSpec } from "@/workflows/simulation/assemble";
import { memoryTrace, prepareMemoryRun, runMemory } from "@/workflows/simulation/memory-run";
import type { SimulationTrace } from "@/workflows/simulation/trace";
import { waitingReasonsOf } from "../queries/waiting";
import { createDatabaseSandboxStore } from "../sandbox-store";
import { enrollment, enrollmentStep } from "../schema/index";
import { prepareSimulation, runSimulation } from "./simulation";
import { buildTrace } from "./trace";

// Seat rotation mid-campaign: seat A is restricted by LinkedIn on its second day. The leads it
// never reached finish on seat B; the ones it visited stay on A, waiting on it; nobody hears
// twice from anyone.

const START = new Date("2026-03-02T07:00:00Z"); // a Monday
const RESTRICTED_FROM = new Date("2026-03-03T07:00:00Z");
const graph = buildGraph()
  .node("start", "start")
  .node("visit", "visit")
  .node("pause", "wait", { amount: 1, unit: "days" })
  .node("invite", "connect", { noteVariants: [], skipIfConnected: true })
  .node("invited", "end", { outcome: "invited" })
  .edge("start", "next", "visit")
  .edge("visit", "next", "pause")
  .edge("pause", "next", "invite")
  .edge("invite", "next", "invited")
  .build();
const pacing = {
  timeZone: "Europe/Paris",
  caps: { perDay: { visit: 2, connect: 2 } },
  safety: { pauseBelow: 0 },
};
const spec: SimulationSpec = {
  graph,
  accounts: [
    { id: "seat-a", pacing },
    { id: "seat-b", pacing },
  ],
  leads: Array.from({ length: 12 }, (_, i) => ({
    publicIdentifier: `rotation-lead-${String(i).padStart(2, "0")}`,
  })),
  seed: "rotation",
  start: START,
  days: 14,
  sandbox: { defaults: { acceptance: { probability: 0 } } },
};

/** LinkedIn restricts seat A at its first call from Tuesday on. */
const restrictSeatA: SandboxScript = (call) =>
  "at" in call &&
  call.account.providerAccountId === "seat-a" &&
  call.at.getTime() >= RESTRICTED_FROM.getTime()
    ? { status: "restricted", detail: "sandbox: restricted for the test" }
    : null;

/** What the rotation promises, read from a run's trace. */
function expectRotation(trace: SimulationTrace) {
  const reachedByA = new Set(
    trace.received.filter((r) => r.account === "seat-a").map((r) => r.lead),
  );
  expect(reachedByA.size).toBeGreaterThan(0);
  // Nobody received anything twice, from either seat.
  const seen = new Set<string>();
  for (const r of trace.received) {
    const key = `${r.lead}|${r.kind}`;
    expect(seen.has(key), `${key} received twice`).toBe(false);
    seen.add(key);
  }
  // Every lead A never reached moved to B, once, with the reason, and finished there.
  const moved = trace.moves.map((m) => m.lead);
  expect(moved.length).toBeGreaterThan(0);
  expect(new Set(moved).size).toBe(moved.length);
  for (const move of trace.moves) {
    expect(move).toMatchObject({ from: "seat-a", to: "seat-b", reason: "is restricted" });
    expect(reachedByA.has(move.lead)).toBe(false);
    expect(move.at >= RESTRICTED_FROM.toISOString()).toBe(true);
  }
  for (const e of trace.enrollments) {
    if (reachedByA.has(e.lead)) {
      // The conversation is A's: the lead stays there, waiting, and B never writes to it.
      expect(e).toMatchObject({ account: "seat-a", state: "active" });
      expect(trace.received.some((r) => r.lead === e.lead && r.account === "seat-b")).toBe(false);
    } else {
      expect(e).toMatchObject({ account: "seat-b", state: "done", outcome: "invited" });
      const heard = trace.received.filter((r) => r.lead === e.lead);
      expect(heard.map((r) => `${r.account}|${r.kind}`)).toContain("seat-b|visit");
      expect(heard.every((r) => r.account === "seat-b")).toBe(true);
    }
  }
  expect(moved.length + reachedByA.size).toBe(6);
}

async function inMemory(): Promise<SimulationTrace> {
  const run = await prepareMemoryRun(spec);
  run.world = new SandboxWorld({
    seed: spec.seed,
    settings: spec.sandbox,
    store: run.sandbox,
    script: restrictSeatA,
  });
  await runMemory(run);
  return memoryTrace(spec, run);
}

describe("seat rotation in memory", () => {
  it("moves the restricted seat's unreached leads to the other seat; the reached ones stay", async () => {
    const trace = await inMemory();
    expectRotation(trace);
  });
});

describe.each(BACKENDS)("seat rotation on %s", (backend) => {
  it("moves the restricted seat's unreached leads to the other seat, as the in-memory store does", async () => {
    const database = await createTestDatabase(backend);
    try {
      const run = await prepareSimulation(database, spec);
      run.world = new SandboxWorld({
        seed: spec.seed,
        settings: spec.sandbox,
        store: createDatabaseSandboxStore(database.db),
        script: restrictSeatA,
      });
      await runSimulation(database, run);
      const trace = await buildTrace(database, spec, run);
      expectRotation(trace);
      expect(trace).toEqual(await inMemory());

      // Each move is in the lead's history, in words; the leads that stay say why they wait.
      const seatA = run.accountIds.get("seat-a")!;
      const lines = await database.db
        .select({ note: enrollmentStep.note })
        .from(enrollmentStep)
        .innerJoin(enrollment, eq(enrollment.id, enrollmentStep.enrollmentId))
        .where(eq(enrollment.campaignId, run.campaignId));
      expect(lines.filter((l) => l.note?.startsWith("Moved from seat"))).toHaveLength(
        trace.moves.length,
      );
      expect(lines.map((l) => l.note)).toContain(
        "Moved from seat seat-a to seat seat-b: seat-a is restricted",
      );
      const staying = await database.db
        .select()
        .from(enrollment)
        .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.accountId, seatA)));
      expect(staying.length).toBeGreaterThan(0);
      const reasons = await waitingReasonsOf(database.db, run.workspaceId, staying, run.end);
      for (const row of staying) {
        expect(reasons.get(row.id)?.text).toBe("Seat seat-a restricted by LinkedIn");
      }
    } finally {
      await database.destroy();
    }
  }, 240_000);
});
