import { describe, expect, it } from "vitest";
import { CampaignFileSchema, resolveCampaignFile } from "./campaign-file";
import { FORECAST_SEEDS, percentile, seedFigures, summarizeForecast } from "./forecast";
import { simulateInMemory } from "./memory-run";

const file = (accounts: number, leads: number) =>
  CampaignFileSchema.parse({
    graph: { template: "connect-then-inmail" },
    accounts: Array.from({ length: accounts }, (_, i) => ({
      id: `seat-${i + 1}`,
      timeZone: "Europe/London",
      warmupStart: null,
      caps: { perDay: { connect: 10 } },
    })),
    pool: { plan: "sales_navigator_core", balance: 6, renewalDay: 15 },
    leads: { count: leads },
    start: "2026-03-02T07:00:00Z",
    days: 60,
    seed: "forecast",
  });

async function forecast(accounts: number, leads: number, seeds = FORECAST_SEEDS) {
  const traces = [];
  for (let n = 0; n < seeds; n++) {
    traces.push(
      await simulateInMemory(resolveCampaignFile(file(accounts, leads), { seed: `s${n}` })),
    );
  }
  return { traces, summary: summarizeForecast(traces) };
}

describe("percentile", () => {
  it("takes the nearest rank of the sorted values", () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 0.1)).toBe(1);
    expect(percentile([5, 1, 4, 2, 3], 0.9)).toBe(5);
    expect(percentile([], 0.5)).toBe(0);
  });
});

describe("a forecast over several seeds", () => {
  it("reads each run as its trace says: finish, sends per seat and day, credits, events", async () => {
    const { traces } = await forecast(2, 30, 1);
    const trace = traces[0]!;
    const figures = seedFigures(trace);
    const last = trace.enrollments
      .map((e) => e.finishedAt!)
      .sort()
      .at(-1);
    expect(trace.enrollments.every((e) => e.state !== "active")).toBe(true);
    expect(figures.finishedAt).toBe(last);
    const sends = Object.values(figures.sendsPerDay).flatMap((days) => Object.values(days));
    // Withdrawn invitations are traced as actions, but they are not sends.
    expect(trace.actions.some((a) => a.kind === "withdraw")).toBe(true);
    expect(sends.reduce((a, b) => a + b, 0)).toBe(
      trace.actions.filter((a) => a.outcome === "sent" && a.kind !== "withdraw").length,
    );
    expect(Object.values(figures.finishedByDay).at(-1)).toBe(30);
    expect(figures.acceptances).toBe(trace.events.filter((e) => e.type === "accepted").length);
    const credits = Object.values(figures.creditsByBranch).reduce((a, b) => a + b, 0);
    const refunds = trace.ledger.filter((l) => l.type === "refund").length;
    expect(credits).toBeGreaterThan(0);
    expect(credits).toBe(trace.actions.reduce((sum, a) => sum + a.credits, 0) - refunds);
  });

  it("gives a range whose P10 is at most its median and its median at most its P90", async () => {
    const { summary } = await forecast(2, 30);
    expect(summary.seeds).toHaveLength(FORECAST_SEEDS);
    expect(summary.finish).not.toBeNull();
    expect(summary.finish!.p10 <= summary.finish!.median).toBe(true);
    expect(summary.finish!.median <= summary.finish!.p90).toBe(true);
    expect(summary.acceptances.p10).toBeLessThanOrEqual(summary.acceptances.p90);
    // Six credits for thirty leads: the pool runs dry in every seed.
    expect(summary.poolDry?.seeds).toBe(FORECAST_SEEDS);
  });

  it("finishes earlier with another seat", async () => {
    const one = (await forecast(1, 60, 3)).summary;
    const two = (await forecast(2, 60, 3)).summary;
    expect(Object.keys(two.sendsPerDay)).toEqual(["seat-1", "seat-2"]);
    expect(one.finish).not.toBeNull();
    expect(two.finish!.median < one.finish!.median).toBe(true);
  });
});
