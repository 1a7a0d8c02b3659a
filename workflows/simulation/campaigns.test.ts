import { describe, expect, it } from "vitest";
import { buildGraph } from "../graph/index";
import { type CampaignFileInput, CampaignFileSchema, resolveCampaignFile } from "./campaign-file";
import { simulateInMemory } from "./memory-run";
import type { SimulationTrace, TraceAction } from "./trace";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The seat's gap between two sends is at most this (the default 90–360 s). */
const GAP_MAX_MS = 360_000;
// A Monday, 10:00 UTC: inside working hours 09:00–18:00.
const START = "2026-03-02T10:00:00.000Z";

/** Visit, wait a day, then a message: the message falls due a day after the visit. */
const followUp = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("visit", "visit", {}, { x: 0, y: 200 })
  .node("wait", "wait", { amount: 1, unit: "days", workingDaysOnly: false }, { x: 0, y: 400 })
  .node(
    "message",
    "message",
    { variants: [{ id: "a", weight: 1, text: "Thanks for connecting, {{firstName|there}}!" }] },
    { x: 0, y: 600 },
  )
  .node("end", "end", { outcome: "messaged" }, { x: 0, y: 800 })
  .chain("start", "visit", "wait", "message", "end")
  .build();

const visitOnly = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("visit", "visit", {}, { x: 0, y: 200 })
  .node("end", "end", { outcome: "visited" }, { x: 0, y: 400 })
  .chain("start", "visit", "end")
  .build();

/**
 * A file of several campaigns on one seat, everyone already a connection; the seat's priorities
 * as the defaults have them unless `priorities` says otherwise.
 */
function seatFile(overrides: Partial<CampaignFileInput>, priorities?: boolean): CampaignFileInput {
  return {
    accounts: [
      {
        id: "seat",
        timeZone: "UTC",
        warmupStart: null,
        ...(priorities === undefined ? {} : { priorities }),
      },
    ],
    sandbox: { defaults: { network: { firstDegree: 1, secondDegree: 0, thirdDegree: 0 } } },
    start: START,
    days: 2,
    seed: "several",
    ...overrides,
  };
}

async function simulate(input: CampaignFileInput): Promise<SimulationTrace> {
  return simulateInMemory(resolveCampaignFile(CampaignFileSchema.parse(input)));
}

const sent = (trace: SimulationTrace) => trace.actions.filter((a) => a.outcome === "sent");
const at = (action: TraceAction) => Date.parse(action.at);

/** The first campaign's follow-ups while a second campaign launches 1,000 leads on the seat. */
const secondLaunch = (priorities?: boolean) =>
  seatFile(
    {
      campaigns: [
        { id: "followups", graph: followUp, leads: { count: 3 } },
        // Launched once the first campaign's leads are visited and waiting for their message.
        {
          id: "launch",
          graph: visitOnly,
          leads: { count: 1000 },
          start: "2026-03-02T12:00:00.000Z",
        },
      ],
    },
    priorities,
  );

/** How late each follow-up went out after it fell due (a day after its lead's visit). */
function followUpDelays(trace: SimulationTrace): number[] {
  const actions = sent(trace).filter((a) => a.campaign === "followups");
  const visits = new Map(actions.filter((a) => a.kind === "visit").map((a) => [a.lead, at(a)]));
  const messages = actions.filter((a) => a.kind === "message");
  expect(messages).toHaveLength(3);
  return messages.map((m) => at(m) - (visits.get(m.lead)! + DAY_MS));
}

describe("outflow simulate: several campaigns sharing a seat", () => {
  it("with the default settings, the first campaign's follow-ups go out within one gap of being due during a 1,000-lead launch", async () => {
    const trace = await simulate(secondLaunch());
    expect(trace.campaigns.map((c) => [c.id, c.leads, c.start])).toEqual([
      ["followups", 3, START],
      ["launch", 1000, "2026-03-02T12:00:00.000Z"],
    ]);
    for (const delay of followUpDelays(trace)) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(GAP_MAX_MS);
    }
    // The launch sent nothing before its start, and keeps going: it is not starved.
    const launch = sent(trace).filter((a) => a.campaign === "launch");
    expect(Math.min(...launch.map(at))).toBeGreaterThanOrEqual(
      Date.parse(trace.campaigns[1]!.start),
    );
    expect(launch.length).toBeGreaterThan(100);
  }, 60_000);

  it("without priorities, the launch's sends go ahead and the follow-ups wait longer than a gap", async () => {
    const trace = await simulate(secondLaunch(false));
    expect(Math.max(...followUpDelays(trace))).toBeGreaterThan(GAP_MAX_MS);
  }, 60_000);

  it("alternates equal-priority first touches of the two campaigns by weight", async () => {
    const trace = await simulate(
      seatFile({
        days: 1,
        campaigns: [
          { id: "heavy", graph: visitOnly, leads: { count: 60 }, weight: 2 },
          { id: "light", graph: visitOnly, leads: { count: 60 }, weight: 1 },
        ],
      }),
    );
    const first30 = sent(trace).slice(0, 30);
    const heavy = first30.filter((a) => a.campaign === "heavy").length;
    expect(heavy).toBeGreaterThanOrEqual(19);
    expect(heavy).toBeLessThanOrEqual(21);
    // Once both are queued (the first send went before anyone queued): two heavy, one light.
    const pattern = first30.map((a) => a.campaign![0]).join("");
    expect(pattern.slice(4)).toMatch(/^(lhh)+l?h?h?$/);
    // Two campaigns drew generated leads: the second's are new people.
    const leadsOf = (id: string) =>
      new Set(trace.enrollments.filter((e) => e.campaign === id).map((e) => e.lead));
    expect([...leadsOf("light")].some((lead) => leadsOf("heavy").has(lead))).toBe(false);
  }, 60_000);

  it("applies a scripted restriction at its time: the seat stops, its untouched leads move to the other seat, and those with nowhere to go say why", async () => {
    const restrictedAt = "2026-03-02T11:00:00.000Z";
    const trace = await simulate(
      seatFile({
        accounts: [
          { id: "seat", timeZone: "UTC", warmupStart: null, priorities: true },
          { id: "other", timeZone: "UTC", warmupStart: null, priorities: true },
        ],
        campaigns: [
          { id: "only", graph: visitOnly, leads: { count: 40 } },
          // A campaign with no other seat: its leads wait on the restricted one.
          { id: "solo", graph: visitOnly, leads: { count: 40 }, seats: ["seat"] },
        ],
        script: [{ at: restrictedAt, account: "seat", status: "restricted" }],
      }),
    );
    expect(trace.script).toEqual([{ at: restrictedAt, account: "seat", status: "restricted" }]);
    const fromSeat = sent(trace).filter((a) => a.account === "seat");
    expect(fromSeat.length).toBeGreaterThan(0);
    expect(Math.max(...fromSeat.map(at))).toBeLessThan(Date.parse(restrictedAt));
    // Seat rotation: the two-seat campaign's leads the seat never reached went to the other one.
    expect(trace.moves.length).toBeGreaterThan(0);
    for (const move of trace.moves) {
      expect(move).toMatchObject({ from: "seat", to: "other" });
      expect(Date.parse(move.at)).toBeGreaterThanOrEqual(Date.parse(restrictedAt));
    }
    const only = trace.enrollments.filter((e) => e.campaign === "only");
    expect(only.every((e) => e.state === "done" && e.waiting === null)).toBe(true);
    // Nobody was contacted twice.
    const touched = sent(trace).map((a) => `${a.campaign}|${a.lead}|${a.node}`);
    expect(new Set(touched).size).toBe(touched.length);
    const stuck = trace.enrollments.filter((e) => e.campaign === "solo" && e.state === "active");
    expect(stuck.length).toBeGreaterThan(0);
    for (const e of stuck) {
      expect(e.account).toBe("seat");
      expect(e.waiting).toMatchObject({
        code: "seat_paused",
        text: "Seat seat restricted by LinkedIn",
      });
    }
  }, 60_000);

  it("pauses and resumes a campaign at the scripted times", async () => {
    const trace = await simulate(
      seatFile({
        days: 1,
        campaigns: [{ id: "only", graph: visitOnly, leads: { count: 200 } }],
        script: [
          { at: "2026-03-02T11:00:00.000Z", campaign: "only", status: "paused" },
          { at: "2026-03-02T14:00:00.000Z", campaign: "only", status: "running" },
        ],
      }),
    );
    const times = sent(trace).map(at);
    const pausedFor = times.filter(
      (t) =>
        t >= Date.parse("2026-03-02T11:00:00.000Z") && t < Date.parse("2026-03-02T14:00:00.000Z"),
    );
    expect(pausedFor).toEqual([]);
    expect(times.some((t) => t >= Date.parse("2026-03-02T14:00:00.000Z"))).toBe(true);
    expect(trace.campaigns[0]!.status).toBe("running");
  }, 60_000);

  it("says a paused campaign's leads wait for the campaign, not that they are due", async () => {
    const trace = await simulate(
      seatFile({
        days: 1,
        campaigns: [
          { id: "paused", graph: followUp, leads: { count: 30 } },
          { id: "running", graph: visitOnly, leads: { count: 30 } },
        ],
        script: [{ at: "2026-03-02T11:00:00.000Z", campaign: "paused", status: "paused" }],
      }),
    );
    expect(trace.campaigns.map((c) => [c.id, c.status])).toEqual([
      ["paused", "paused"],
      ["running", "running"],
    ]);
    const waiting = trace.enrollments.filter(
      (e) => e.campaign === "paused" && e.state === "active",
    );
    // Those not yet visited are due but the campaign holds them; the visited ones are within
    // their one-day wait, whose timer runs whatever the campaign does.
    const held = waiting.filter((e) => e.waiting?.code !== "wait_step");
    expect(held.length).toBeGreaterThan(0);
    for (const e of held) {
      expect(e.waiting).toEqual({ code: "campaign_paused", text: "Campaign paused", until: null });
    }
    expect(trace.enrollments.some((e) => e.waiting?.code === "due")).toBe(false);
  }, 60_000);

  it("keeps one-campaign files as they were: every action and lead belongs to “campaign”", async () => {
    const trace = await simulate(seatFile({ days: 1, graph: followUp, leads: { count: 5 } }));
    expect(trace.campaigns.map((c) => c.id)).toEqual(["campaign"]);
    expect(trace.actions.length).toBeGreaterThan(0);
    expect(trace.actions.every((a) => a.campaign === "campaign")).toBe(true);
    // At the end of day one the leads visited after the first wait out their one-day wait.
    const waiting = trace.enrollments.filter((e) => e.state === "active");
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    for (const e of waiting) {
      expect(e.waiting).toEqual({
        code: "wait_step",
        text: expect.stringMatching(/^Within a wait step until Tue 3 Mar, 10:\d\d \(UTC\)$/),
        until: e.nextRunAt,
      });
    }
    for (const e of trace.enrollments.filter((e) => e.state !== "active")) {
      expect(e.waiting).toBeNull();
    }
  }, 60_000);
});
