import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Backend, createTestDatabase, LONG_RUN_BACKEND } from "@/test/databases";
import { hygieneSpec } from "@/test/hygiene-scenario";
import { buildGraph } from "@/workflows/graph/builder";
import type { SimulationSpec } from "@/workflows/simulation/assemble";
import { CampaignFileSchema, resolveCampaignFile } from "@/workflows/simulation/campaign-file";
import { simulateInMemory } from "@/workflows/simulation/memory-run";
import { prepareSimulation, runSimulation } from "./simulation";
import { buildTrace } from "./trace";

const example = (name: string) =>
  CampaignFileSchema.parse(
    JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, "../../examples/simulations", name), "utf8"),
    ),
  );

async function databaseTrace(backend: Backend, spec: SimulationSpec) {
  const database = await createTestDatabase(backend);
  try {
    const run = await prepareSimulation(database, spec);
    await runSimulation(database, run);
    return await buildTrace(database, spec, run);
  } finally {
    await database.destroy();
  }
}

// The database store runs the same SQL on both engines (the other suites of db/ run on each):
// the parity is checked on one.
describe.each([LONG_RUN_BACKEND])("the in-memory store against the database (%s)", (backend) => {
  // A pool that runs dry, InMail refunds and a renewal, caps that fill, replies that stop leads.
  it("gives the same trace for the same seed: InMail branch with a pool", async () => {
    const spec = resolveCampaignFile(example("vip-inmail.json"), { leads: 24, days: 35 });
    const [memory, database] = [await simulateInMemory(spec), await databaseTrace(backend, spec)];
    expect(memory.actions.length).toBeGreaterThan(0);
    expect(memory.ledger.some((entry) => entry.type === "spend")).toBe(true);
    expect(memory).toEqual(database);
  }, 240_000);

  it("gives the same trace for the same seed: invitations and follow-ups on two seats", async () => {
    const spec = resolveCampaignFile(example("connect-then-follow-up.json"), {
      leads: 24,
      days: 21,
      seed: "parity",
    });
    const [memory, database] = [await simulateInMemory(spec), await databaseTrace(backend, spec)];
    expect(memory.events.length).toBeGreaterThan(0);
    expect(memory).toEqual(database);
  }, 240_000);

  it("gives the same trace for the same seed: follow-ups and invitations queued by priority", async () => {
    const file = example("connect-then-follow-up.json");
    const spec = resolveCampaignFile(
      { ...file, accounts: file.accounts.map((a) => ({ ...a, priorities: true })) },
      { leads: 40, days: 14, seed: "priorities" },
    );
    const [memory, database] = [await simulateInMemory(spec), await databaseTrace(backend, spec)];
    expect(memory.actions.some((a) => a.kind === "message")).toBe(true);
    expect(memory).toEqual(database);
  }, 240_000);

  it("gives the same trace for the same seed: likes, with leads who posted nothing lately", async () => {
    const graph = buildGraph()
      .node("start", "start")
      .node("like", "like_post")
      .node("invite", "connect", { noteVariants: [], skipIfConnected: true })
      .node("quiet", "end", { outcome: "no_post" })
      .node("invited", "end", { outcome: "invited" })
      .edge("start", "next", "like")
      .edge("like", "next", "invite")
      .edge("like", "no_post", "quiet")
      .edge("invite", "next", "invited")
      .build();
    const spec = {
      ...resolveCampaignFile(example("connect-then-follow-up.json"), {
        leads: 24,
        days: 7,
        seed: "likes",
      }),
      graph,
    };
    const [memory, database] = [await simulateInMemory(spec), await databaseTrace(backend, spec)];
    expect(memory.actions.some((a) => a.kind === "like_post" && a.outcome === "sent")).toBe(true);
    expect(memory.actions.some((a) => a.kind === "like_post" && a.outcome === "not_sent")).toBe(
      true,
    );
    expect(memory).toEqual(database);
  }, 240_000);

  it("gives the same trace for the same seed: invitations withdrawn, a pending ceiling", async () => {
    const spec = hygieneSpec(23);
    const [memory, database] = [await simulateInMemory(spec), await databaseTrace(backend, spec)];
    expect(memory.actions.some((a) => a.kind === "withdraw")).toBe(true);
    expect(memory).toEqual(database);
  }, 240_000);

  it("gives the same trace for the same seed: two campaigns on shared seats, a scripted pause", async () => {
    const file = example("connect-then-follow-up.json");
    const { graph: _graph, leads: _leads, ...shared } = file;
    const spec = resolveCampaignFile(
      {
        ...shared,
        accounts: file.accounts.map((a) => ({ ...a, priorities: true })),
        campaigns: [
          { id: "first", graph: file.graph!, leads: { count: 16 }, weight: 1 },
          {
            id: "second",
            graph: file.graph!,
            leads: { count: 24 },
            weight: 2,
            start: "2026-03-04T07:00:00Z",
            seats: ["acct-paris"],
          },
        ],
        script: [
          { at: "2026-03-05T12:00:00Z", account: "acct-new-york", status: "paused" },
          { at: "2026-03-06T12:00:00Z", account: "acct-new-york", status: "active" },
          { at: "2026-03-09T12:00:00Z", campaign: "first", status: "paused" },
        ],
      },
      { days: 10, seed: "several" },
    );
    const [memory, database] = [await simulateInMemory(spec), await databaseTrace(backend, spec)];
    expect(new Set(memory.actions.map((a) => a.campaign))).toEqual(new Set(["first", "second"]));
    expect(memory.enrollments.some((e) => e.waiting !== null)).toBe(true);
    expect(memory).toEqual(database);
  }, 240_000);
});
