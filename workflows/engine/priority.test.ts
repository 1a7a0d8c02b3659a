import { describe, expect, it } from "vitest";
import { buildGraph } from "../graph/index";
import { SandboxWorld } from "../providers/sandbox/index";
import { IndexedSandboxStore } from "../simulation/indexed-sandbox-store";
import { runMemory } from "../simulation/memory-run";
import { VirtualClock } from "./clock";
import { MemoryEngineDatabase } from "./memory-store";
import {
  compareQueued,
  queueHeads,
  queueTag,
  SEND_PRIORITY,
  sendPriority,
  sendsAhead,
  tagsOfQueue,
  takeQueueTag,
} from "./priority";

const DAY_MS = 24 * 3_600_000;
// A Monday, 10:00 UTC: working hours 09:00–18:00.
const START = new Date("2026-03-02T10:00:00Z");

const visitOnly = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("visit", "visit", {}, { x: 0, y: 200 })
  .node("end", "end", { outcome: "visited" }, { x: 0, y: 400 })
  .chain("start", "visit", "end")
  .build();

const messageTomorrow = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("wait", "wait", { amount: 1, unit: "days", workingDaysOnly: false }, { x: 0, y: 200 })
  .node(
    "message",
    "message",
    { variants: [{ id: "a", weight: 1, text: "Thanks for connecting, {{firstName|there}}!" }] },
    { x: 0, y: 400 },
  )
  .node("end", "end", { outcome: "messaged" }, { x: 0, y: 600 })
  .chain("start", "wait", "message", "end")
  .build();

interface CampaignSetup {
  name: string;
  graph: unknown;
  leads: number;
  weight?: number;
}

/** One seat shared by several campaigns, run in memory on the real engine loop. */
async function runSeat(campaigns: CampaignSetup[], options: { priorities: boolean; days: number }) {
  const db = new MemoryEngineDatabase();
  const accountId = db.createAccount("w", {
    name: "seat",
    provider: "sandbox",
    providerAccountId: "seat",
    pacing: { timeZone: "UTC", warmup: { startDate: null }, priorities: options.priorities },
  });
  const names = new Map<string, string>();
  for (const setup of campaigns) {
    const id = await db.createCampaign("w", {
      graph: setup.graph,
      accountIds: [accountId],
      seed: `priority-${setup.name}`,
      ...(setup.weight ? { weight: setup.weight } : {}),
    });
    names.set(id, setup.name);
    const leads = Array.from({ length: setup.leads }, (_, i) =>
      db.addLead("w", { publicIdentifier: `${setup.name}-${String(i).padStart(4, "0")}` }),
    );
    db.enroll(id, leads, START);
  }
  const sandbox = new IndexedSandboxStore();
  const world = new SandboxWorld({
    seed: "priority",
    // Everyone is already a connection, so the messages can go without an invitation.
    settings: { defaults: { network: { firstDegree: 1, secondDegree: 0, thirdDegree: 0 } } },
    store: sandbox,
  });
  const clock = new VirtualClock(START);
  const result = await runMemory({
    spec: { graph: null, accounts: [], leads: [], seed: "priority", start: START, days: 1 },
    campaignIds: new Map(),
    pending: [],
    db,
    world,
    sandbox,
    clock,
    campaignId: [...names.keys()][0]!,
    accountIds: new Map([["seat", accountId]]),
    poolId: null,
    end: new Date(START.getTime() + options.days * DAY_MS),
  });
  const sends = [...db.actions.values()]
    .filter((a) => a.status === "sent" && a.sentAt)
    .map((a) => ({ campaign: names.get(a.campaignId)!, kind: a.kind, at: a.sentAt! }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return { sends, steps: result.steps };
}

describe("send priority and fair share (pure)", () => {
  it("puts follow-ups before InMails before first touches", () => {
    expect(sendPriority("message")).toBe(SEND_PRIORITY.follow_up);
    expect(sendPriority("inmail")).toBe(SEND_PRIORITY.inmail);
    for (const kind of ["visit", "follow", "connect", "like_post"] as const) {
      expect(sendPriority(kind)).toBe(SEND_PRIORITY.first_touch);
    }
  });

  it("tags a newcomer after its campaign's last send and never before the head", () => {
    expect(queueTag({ head: null, campaignLast: null }, 1)).toBe(1);
    expect(queueTag({ head: 10, campaignLast: null }, 2)).toBe(10.5);
    expect(queueTag({ head: 10, campaignLast: 14 }, 1)).toBe(15);
    // A weight outside 1–10 is held to it.
    expect(queueTag({ head: 0, campaignLast: null }, 100)).toBeCloseTo(0.1);
  });

  it("interleaves two campaigns' backlogs by weight", () => {
    const tags = tagsOfQueue([]);
    const queued = [];
    for (let i = 0; i < 30; i++) {
      for (const [campaignId, weight] of [
        ["heavy", 2],
        ["light", 1],
      ] as const) {
        const tag = takeQueueTag(tags, { accountId: "s", campaignId, priority: 3 }, weight);
        queued.push({ id: `${campaignId}-${i}`, priority: 3, tag, queueKey: `${campaignId}-${i}` });
      }
    }
    const first30 = [...queued].sort(compareQueued).slice(0, 30);
    const heavy = first30.filter((q) => q.id.startsWith("heavy")).length;
    expect(heavy).toBeGreaterThanOrEqual(19);
    expect(heavy).toBeLessThanOrEqual(21);
  });

  it("says how many sends are ahead on the seat, and which one is the head", () => {
    const queue = [
      { id: "a", accountId: "s", priority: 3, tag: 1, queueKey: "a" },
      { id: "b", accountId: "s", priority: 1, tag: 5, queueKey: "b" },
      { id: "c", accountId: "s", priority: 3, tag: 2, queueKey: "c" },
      { id: "d", accountId: "t", priority: 3, tag: 9, queueKey: "d" },
    ];
    expect(sendsAhead(queue.slice(0, 3), "c")).toBe(2);
    expect(sendsAhead(queue.slice(0, 3), "b")).toBe(0);
    expect(sendsAhead(queue, "zz")).toBeNull();
    const heads = queueHeads(queue);
    expect(heads.get("s")?.id).toBe("b");
    expect(heads.get("t")?.id).toBe("d");
  });
});

describe("two campaigns on one seat", () => {
  const scenario = [
    { name: "followups", graph: messageTomorrow, leads: 3 },
    { name: "launch", graph: visitOnly, leads: 1000 },
  ];
  /** How many of the launch's sends went between the follow-ups being due and the last one. */
  const sendsInTheWay = (sends: Array<{ campaign: string; at: Date }>) => {
    const due = START.getTime() + DAY_MS;
    const messages = sends.filter((s) => s.campaign === "followups");
    expect(messages).toHaveLength(3);
    const last = Math.max(...messages.map((m) => m.at.getTime()));
    return sends.filter(
      (s) => s.campaign === "launch" && s.at.getTime() >= due && s.at.getTime() < last,
    ).length;
  };

  it("sends the first campaign's follow-ups within a gap of being due while a 1,000-lead launch runs", async () => {
    const { sends } = await runSeat(scenario, { priorities: true, days: 2 });
    // At most the one slot already handed out when they fell due.
    expect(sendsInTheWay(sends)).toBeLessThanOrEqual(1);
    const due = START.getTime() + DAY_MS;
    const first = sends.find((s) => s.campaign === "followups")!;
    // One gap is at most 360 s by default; the three go one after another.
    expect(first.at.getTime() - due).toBeLessThanOrEqual(2 * 360_000);
    // The launch keeps going: it is not starved either.
    expect(sends.filter((s) => s.campaign === "launch").length).toBeGreaterThan(100);
  }, 60_000);

  it("without priorities, the launch's slots handed out earlier go first", async () => {
    const { sends } = await runSeat(scenario, { priorities: false, days: 2 });
    expect(sendsInTheWay(sends)).toBeGreaterThan(1);
  }, 60_000);

  it("alternates equal-priority first touches by the campaigns' weights", async () => {
    const { sends } = await runSeat(
      [
        { name: "heavy", graph: visitOnly, leads: 60, weight: 2 },
        { name: "light", graph: visitOnly, leads: 60, weight: 1 },
      ],
      { priorities: true, days: 1 },
    );
    const first30 = sends.slice(0, 30);
    const heavy = first30.filter((s) => s.campaign === "heavy").length;
    expect(heavy).toBeGreaterThanOrEqual(19);
    expect(heavy).toBeLessThanOrEqual(21);
    // Once both are queued (the first send went before anyone queued), two heavy, one light.
    const pattern = first30.map((s) => s.campaign[0]).join("");
    expect(pattern.slice(4)).toMatch(/^(lhh)+l?h?h?$/);
  }, 60_000);
});
