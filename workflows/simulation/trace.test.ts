import { describe, expect, it } from "vitest";
import { starterTemplates } from "../templates/index";
import { type SimulationTrace, summarizeTrace, type TraceAction } from "./trace";

const graph = starterTemplates.find((t) => t.id === "connect-then-inmail")!.graph;

function inmail(at: string, lead: string, overrides: Partial<TraceAction> = {}): TraceAction {
  return {
    at,
    campaign: "campaign",
    account: "acct-paris",
    lead,
    node: "inmail",
    kind: "inmail",
    branch: "accepted:no",
    variant: "a",
    outcome: "sent",
    reason: null,
    credits: 1,
    ...overrides,
  };
}

function trace(overrides: Partial<SimulationTrace> = {}): SimulationTrace {
  return {
    version: 1,
    run: {
      seed: "s",
      start: "2026-03-02T07:00:00.000Z",
      end: "2026-03-16T07:00:00.000Z",
      days: 14,
      leads: 4,
      template: "connect-then-inmail",
      stopOnReply: true,
    },
    graph,
    campaigns: [],
    script: [],
    accounts: [
      {
        id: "acct-paris",
        timeZone: "Europe/Paris",
        workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
        warmupStart: null,
        pool: "pool",
      },
    ],
    pools: [
      {
        id: "pool",
        plan: "sales_navigator_core",
        allowance: 50,
        cap: 150,
        renewalDay: 1,
        openingBalance: 2,
        balance: 0,
        refundPolicy: { type: "none", windowDays: null, delayDays: null },
        accounts: ["acct-paris"],
      },
    ],
    enrollments: ["a", "b", "c", "d"].map((lead, i) => ({
      campaign: "campaign",
      lead,
      account: "acct-paris",
      state: i < 2 ? "done" : "failed",
      outcome: i === 0 ? "replied" : i === 1 ? "InMail not sent" : "stopped",
      reason: i < 2 ? null : "already connected",
      node: "end",
      branch: "accepted:no",
      finishedAt: `2026-03-1${i}T10:00:00.000Z`,
      nextRunAt: null,
      waiting: null,
    })),
    actions: [
      {
        ...inmail("2026-03-02T08:30:00.000Z", "a", { kind: "connect", node: "connect" }),
        branch: "",
        credits: 0,
      },
      inmail("2026-03-09T08:30:00.000Z", "a"),
      inmail("2026-03-09T09:30:00.000Z", "b"),
      inmail("2026-03-09T10:30:00.000Z", "c", {
        outcome: "not_sent",
        reason: "no_credit",
        credits: 0,
      }),
    ],
    ledger: ["a", "b"].map((lead) => ({
      at: "2026-03-09T08:30:00.000Z",
      pool: "pool",
      type: "spend" as const,
      amount: 1,
      campaign: "campaign",
      node: "inmail",
      branch: "accepted:no",
      lead,
    })),
    events: [{ at: "2026-03-10T10:00:00.000Z", account: "acct-paris", lead: "a", type: "replied" }],
    received: [],
    caps: [],
    moves: [],
    ...overrides,
  };
}

describe("summarizeTrace", () => {
  it("counts leads per outcome, saying why the engine stopped a lead", () => {
    const summary = summarizeTrace(trace());
    expect(summary).toContain("Leads by outcome (4):");
    expect(summary).toMatch(/stopped \(already connected\)\s+2\s+50%/);
    expect(summary).toMatch(/replied\s+1\s+25%/);
    expect(summary).toMatch(/InMail not sent\s+1\s+25%/);
  });

  it("sums InMail credits per branch, labelled in words, with the sends the pool refused", () => {
    const summary = summarizeTrace(trace());
    expect(summary).toContain("pool (sales_navigator_core): 2 → 0 credits left");
    expect(summary).toMatch(
      /Not accepted within 7 days › InMail '[^']+'\s+2 credits\s+2 InMails sent, 1 not sent: no credit\s+spent 2, refunded 0\s+1 reply, 2 per reply/,
    );
    expect(summary).toMatch(/total\s+2 credits/);
  });

  it("tabulates the actions sent per local day and account", () => {
    const summary = summarizeTrace(trace());
    expect(summary).toMatch(/date\s+account\s+connect\s+inmail\s+total/);
    expect(summary).toMatch(/2026-03-02\s+acct-paris\s+1\s+0\s+1/);
    expect(summary).toMatch(/2026-03-09\s+acct-paris\s+0\s+2\s+2/);
  });

  it("says when the campaign finishes, or how many leads are still waiting", () => {
    expect(summarizeTrace(trace())).toContain(
      "The campaign finishes 2026-03-13 10:00 UTC: every lead is done.",
    );
    const waiting = trace();
    waiting.enrollments[3] = {
      ...waiting.enrollments[3]!,
      state: "active",
      outcome: null,
      reason: null,
      finishedAt: null,
      nextRunAt: "2026-03-20T09:00:00.000Z",
      waiting: {
        code: "wait_step",
        text: "Within a wait step until Fri 20 Mar, 10:00 (Europe/Paris)",
        until: "2026-03-20T09:00:00.000Z",
      },
    };
    expect(summarizeTrace(waiting)).toContain(
      "Still running at the end of the run (2026-03-16 07:00 UTC): 1 lead waiting (1 wait step), the next due 2026-03-20 09:00 UTC.",
    );
  });
});
