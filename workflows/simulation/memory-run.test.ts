import { describe, expect, it } from "vitest";
import { CampaignFileSchema, resolveCampaignFile } from "./campaign-file";
import { prepareMemoryRun, runMemory, simulateInMemory } from "./memory-run";

const file = CampaignFileSchema.parse({
  graph: { template: "connect-then-inmail" },
  accounts: [
    { id: "acct-a", timeZone: "Europe/London", warmupStart: null },
    { id: "acct-b", timeZone: "America/New_York", warmupStart: null },
  ],
  pool: { plan: "sales_navigator_core", balance: 10, renewalDay: 15 },
  leads: { count: 12 },
  start: "2026-03-02T07:00:00Z",
  days: 14,
  seed: "memory",
});

describe("simulateInMemory", () => {
  it("replays exactly: the same seed gives the same trace, another seed another", async () => {
    const spec = resolveCampaignFile(file);
    const first = await simulateInMemory(spec);
    expect(first.actions.length).toBeGreaterThan(0);
    expect(await simulateInMemory(spec)).toEqual(first);
    const other = await simulateInMemory(resolveCampaignFile(file, { seed: "other" }));
    expect(other.actions).not.toEqual(first.actions);
  });

  it("spreads the leads over the seats and charges InMails to the pool", async () => {
    const trace = await simulateInMemory(resolveCampaignFile(file));
    expect(new Set(trace.enrollments.map((e) => e.account))).toEqual(new Set(["acct-a", "acct-b"]));
    // Spent, less what came back for InMails that needed no credit (open profiles).
    const net = trace.ledger
      .filter((l) => l.lead !== null)
      .reduce((sum, l) => sum + (l.type === "spend" ? l.amount : -l.amount), 0);
    const refunds = trace.ledger.filter((l) => l.type === "refund").length;
    const credits = trace.actions.reduce((sum, a) => sum + a.credits, 0);
    expect(credits).toBeGreaterThan(0);
    expect(net + refunds).toBe(credits);
  });

  it("stops where it stands when told to, before the end of the run", async () => {
    const spec = resolveCampaignFile(file);
    const run = await prepareMemoryRun(spec);
    let batches = 0;
    const result = await runMemory(run, { shouldStop: () => ++batches > 3 });
    expect(result.stopped).toBe(true);
    expect(run.clock.now().getTime()).toBeLessThan(run.end.getTime());
  });
});
