/**
 * The engine's decisions in memory, case by case: one lead through a small workflow on a
 * virtual clock, with the in-memory store, a scripted LinkedIn and events delivered when each
 * case says. Every exit of every kind, stop-on-reply on and off, events early, twice, late and
 * at the instant of a send.
 */
import { describe, expect, it } from "vitest";
import { buildGraph } from "../graph/builder";
import type { Graph } from "../graph/index";
import type { ActionKind, ProfileSnapshot, Provider, ProviderOutcome } from "../providers/types";
import { VirtualClock } from "./clock";
import { MemoryEngineDatabase } from "./memory-store";
import { runDueBatch } from "./worker";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date("2026-03-02T08:00:00Z");
const PACING = {
  timeZone: "UTC",
  workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" },
  gap: { minSeconds: 1, maxSeconds: 2 },
  dailyStartOffsetMaxMinutes: 0,
};
const SEAT = "seat-1";
const LEAD = "lead-ada";

/** An event: `at` hours after the start, or at the instant of the first send of a kind. */
interface ScriptedEvent {
  type: "accepted" | "replied";
  at: number | { send: ActionKind };
  /** Delivered this many hours after it happened (a late webhook); 0 by default. */
  lateBy?: number;
  /** Delivered twice, under the same id. */
  twice?: boolean;
}

interface Case {
  graph: Graph;
  stopOnReply?: boolean;
  answers?: Partial<Record<ActionKind, ProviderOutcome>>;
  events?: ScriptedEvent[];
  profile?: ProfileSnapshot | null;
  days?: number;
}

const ANY_KIND_SENT: ProviderOutcome = { status: "sent", reference: "ref" };

async function run(c: Case) {
  const db = new MemoryEngineDatabase();
  const accountId = db.createAccount("ws", {
    name: "Seat",
    provider: "sandbox",
    providerAccountId: SEAT,
    pacing: PACING,
  });
  const campaignId = await db.createCampaign("ws", {
    graph: c.graph,
    accountIds: [accountId],
    seed: "decisions",
    stopOnReply: c.stopOnReply ?? true,
  });
  const leadId = db.addLead("ws", {
    publicIdentifier: LEAD,
    firstName: "Ada",
    profile: c.profile ?? null,
  });
  const [enrollmentId] = db.enroll(campaignId, [leadId], T0);
  const clock = new VirtualClock(T0);
  const sends: Array<{ kind: ActionKind; at: number }> = [];
  const pending: Array<{
    type: "accepted" | "replied";
    occurredAt: Date;
    deliverAt: Date;
    id: string;
  }> = [];
  const schedule = (event: ScriptedEvent, index: number, occurredAt: Date) => {
    const deliverAt = new Date(occurredAt.getTime() + (event.lateBy ?? 0) * HOUR);
    for (let copy = 0; copy < (event.twice ? 2 : 1); copy++) {
      pending.push({ type: event.type, occurredAt, deliverAt, id: `evt-${index}` });
    }
  };
  (c.events ?? []).forEach((event, index) => {
    if (typeof event.at === "number")
      schedule(event, index, new Date(T0.getTime() + event.at * HOUR));
  });
  const provider: Provider = {
    name: "sandbox",
    async perform(kind, _account, _lead, _request, ctx) {
      if (!sends.some((s) => s.kind === kind)) {
        (c.events ?? []).forEach((event, index) => {
          if (typeof event.at !== "number" && event.at.send === kind)
            schedule(event, index, ctx.at);
        });
      }
      sends.push({ kind, at: ctx.at.getTime() });
      return c.answers?.[kind] ?? ANY_KIND_SENT;
    },
    reconcile: async () => ({ status: "not_sent" }),
    inmailBalance: async () => null,
  };
  const deps = { store: db.store(), provider, clock, owner: "test" };
  const end = T0.getTime() + (c.days ?? 30) * DAY;
  for (let i = 0; i < 500; i++) {
    const now = clock.now();
    for (const event of pending.filter((e) => e.deliverAt.getTime() <= now.getTime())) {
      pending.splice(pending.indexOf(event), 1);
      db.ingestEvent(
        "sandbox",
        {
          externalId: event.id,
          type: event.type,
          providerAccountId: SEAT,
          leadPublicIdentifier: LEAD,
          chatId: null,
          occurredAt: event.occurredAt,
        },
        now,
      );
    }
    if ((await runDueBatch(deps, { batchSize: 10 })) > 0) continue;
    const candidates = [
      db.nextWakeUp(now)?.getTime(),
      ...pending.map((e) => e.deliverAt.getTime()),
    ].filter((t): t is number => t !== undefined);
    const next = candidates.length > 0 ? Math.min(...candidates) : null;
    if (next === null || next > end) break;
    clock.advanceTo(Math.max(next, now.getTime() + 1));
  }
  const enrollment = db.enrollments.get(enrollmentId!)!;
  const path = db.history
    .filter((h) => h.enrollmentId === enrollmentId && h.exit !== null)
    .map((h) => `${h.nodeId}:${h.exit}`);
  return {
    state: enrollment.state,
    outcome: enrollment.outcome,
    reason: enrollment.reason,
    path,
    sent: sends.map((s) => s.kind),
    sendTimes: sends.map((s) => s.at),
  };
}

const end = (graph: ReturnType<typeof buildGraph>, id: string, outcome: string) =>
  graph.node(id, "end", { outcome });

/** start → <kind> → end "done", plus a second exit to end "other" when the kind has one. */
function single(
  kind: "visit" | "follow" | "connect" | "message" | "inmail" | "like_post",
  config?: object,
) {
  const g = buildGraph()
    .node("start", "start")
    .node("step", kind, config as never);
  end(g, "done", "done");
  if (kind === "inmail" || kind === "like_post") end(g, "other", "other");
  g.edge("start", "next", "step");
  if (kind === "inmail") g.edge("step", "sent", "done").edge("step", "not_sent", "other");
  else if (kind === "like_post") g.edge("step", "next", "done").edge("step", "no_post", "other");
  else g.edge("step", "next", "done");
  return g.build();
}

const messageText = { variants: [{ id: "a", weight: 1, text: "Hi {{firstName}}" }] };
const inmailText = (firstDegree: "send_message" | "skip") => ({
  variants: [{ id: "a", weight: 1, subject: "Hello", body: "Hi {{firstName}}" }],
  firstDegree,
});
const withNote = {
  noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName}}" }],
  skipIfConnected: true,
};

/** start → message → if replied (within 3 days) → yes: message "thanks" → end; no: end. */
function repliedThenMessage() {
  const g = buildGraph()
    .node("start", "start")
    .node("first", "message", messageText)
    .node("check", "if_replied", { withinDays: 3 })
    .node("thanks", "message", { variants: [{ id: "a", weight: 1, text: "Thanks!" }] });
  end(g, "after-thanks", "thanked");
  end(g, "no-reply", "no_reply");
  return g
    .edge("start", "next", "first")
    .edge("first", "next", "check")
    .edge("check", "yes", "thanks")
    .edge("check", "no", "no-reply")
    .edge("thanks", "next", "after-thanks")
    .build();
}

/** start → connect → if accepted (within 5 days) → yes: message → end; no: end. */
function connectThenMessage(skipIfConnected = true) {
  const g = buildGraph()
    .node("start", "start")
    .node("invite", "connect", { noteVariants: [], skipIfConnected })
    .node("check", "if_accepted", { withinDays: 5 })
    .node("hello", "message", messageText);
  end(g, "said-hello", "messaged");
  end(g, "not-accepted", "not_accepted");
  return g
    .edge("start", "next", "invite")
    .edge("invite", "next", "check")
    .edge("check", "yes", "hello")
    .edge("check", "no", "not-accepted")
    .edge("hello", "next", "said-hello")
    .build();
}

/** start → connect → InMail: 1st degree known from the invitation's answer, or not. */
function connectThenInmail(firstDegree: "send_message" | "skip") {
  const g = buildGraph()
    .node("start", "start")
    .node("invite", "connect", { noteVariants: [], skipIfConnected: true })
    .node("mail", "inmail", inmailText(firstDegree));
  end(g, "mailed", "mailed");
  end(g, "not-mailed", "not_mailed");
  return g
    .edge("start", "next", "invite")
    .edge("invite", "next", "mail")
    .edge("mail", "sent", "mailed")
    .edge("mail", "not_sent", "not-mailed")
    .build();
}

/** start → message → wait 2 days → message → end: what stop-on-reply stops. */
function twoMessages() {
  const g = buildGraph()
    .node("start", "start")
    .node("first", "message", messageText)
    .node("pause", "wait", { amount: 2, unit: "days", workingDaysOnly: false })
    .node("second", "message", { variants: [{ id: "a", weight: 1, text: "Any news?" }] });
  end(g, "done", "done");
  return g
    .edge("start", "next", "first")
    .edge("first", "next", "pause")
    .edge("pause", "next", "second")
    .edge("second", "next", "done")
    .build();
}

const notSent = (reason: string): ProviderOutcome =>
  ({ status: "not_sent", reason }) as ProviderOutcome;
const connected: ProfileSnapshot = {
  providerId: "ACoAda",
  networkDistance: 1,
  isPremium: false,
  isOpenProfile: false,
  canSendInmail: true,
};

interface Row {
  name: string;
  case: () => Case;
  expected: { outcome: string; path?: string[]; sent?: ActionKind[]; reason?: string | null };
}

const rows: Row[] = [
  // ── Every exit of every acting kind ──
  {
    name: "visit sent → next",
    case: () => ({ graph: single("visit") }),
    expected: { outcome: "done", path: ["start:next", "step:next"], sent: ["visit"] },
  },
  {
    name: "visit not done → next, noted",
    case: () => ({ graph: single("visit"), answers: { visit: notSent("not_reachable") } }),
    expected: { outcome: "done", path: ["start:next", "step:next"] },
  },
  {
    name: "follow sent → next",
    case: () => ({ graph: single("follow") }),
    expected: { outcome: "done", sent: ["follow"] },
  },
  {
    name: "follow not done → next",
    case: () => ({ graph: single("follow"), answers: { follow: notSent("not_reachable") } }),
    expected: { outcome: "done" },
  },
  {
    name: "connect sent → next",
    case: () => ({ graph: single("connect", withNote) }),
    expected: { outcome: "done", sent: ["connect"] },
  },
  {
    name: "connect already invited → next",
    case: () => ({
      graph: single("connect", withNote),
      answers: { connect: notSent("already_invited") },
    }),
    expected: { outcome: "done" },
  },
  {
    name: "connect already connected, skip on → next",
    case: () => ({
      graph: single("connect", withNote),
      answers: { connect: notSent("already_connected") },
    }),
    expected: { outcome: "done" },
  },
  {
    name: "connect already connected, skip off → stopped",
    case: () => ({
      graph: single("connect", { ...withNote, skipIfConnected: false }),
      answers: { connect: notSent("already_connected") },
    }),
    expected: { outcome: "stopped", reason: "already connected", path: ["start:next"] },
  },
  {
    name: "connect unreachable → stopped",
    case: () => ({
      graph: single("connect", withNote),
      answers: { connect: notSent("not_reachable") },
    }),
    expected: { outcome: "stopped", reason: "not reachable" },
  },
  {
    name: "message sent → next",
    case: () => ({ graph: single("message", messageText) }),
    expected: { outcome: "done", sent: ["message"] },
  },
  {
    name: "message to a non-connection → stopped",
    case: () => ({
      graph: single("message", messageText),
      answers: { message: notSent("not_connected") },
    }),
    expected: { outcome: "stopped", reason: "not connected" },
  },
  {
    name: "message with a missing variable → stopped, nothing sent",
    case: () => ({
      graph: single("message", { variants: [{ id: "a", weight: 1, text: "Hi {{company}}" }] }),
    }),
    expected: { outcome: "stopped", sent: [] },
  },
  {
    name: "InMail sent → sent",
    case: () => ({ graph: single("inmail", inmailText("send_message")) }),
    expected: { outcome: "done", path: ["start:next", "step:sent"], sent: ["inmail"] },
  },
  {
    name: "InMail refused → not sent",
    case: () => ({
      graph: single("inmail", inmailText("send_message")),
      answers: { inmail: notSent("recipient_refuses_inmail") },
    }),
    expected: { outcome: "other", path: ["start:next", "step:not_sent"] },
  },
  {
    name: "InMail without credit → not sent",
    case: () => ({
      graph: single("inmail", inmailText("send_message")),
      answers: { inmail: notSent("no_credit") },
    }),
    expected: { outcome: "other" },
  },
  {
    name: "InMail to a known connection sends a free message → sent",
    case: () => ({ graph: single("inmail", inmailText("send_message")), profile: connected }),
    expected: { outcome: "done", path: ["start:next", "step:sent"], sent: ["message"] },
  },
  {
    name: "InMail to a known connection, skip → not sent, nothing sent",
    case: () => ({ graph: single("inmail", inmailText("skip")), profile: connected }),
    expected: { outcome: "other", sent: [] },
  },
  {
    name: "like sent → Liked",
    case: () => ({ graph: single("like_post") }),
    expected: { outcome: "done", path: ["start:next", "step:next"], sent: ["like_post"] },
  },
  {
    name: "like with no post in 90 days → No post",
    case: () => ({ graph: single("like_post"), answers: { like_post: notSent("no_recent_post") } }),
    expected: { outcome: "other", path: ["start:next", "step:no_post"] },
  },
  {
    name: "like refused otherwise → Liked exit, noted",
    case: () => ({ graph: single("like_post"), answers: { like_post: notSent("not_reachable") } }),
    expected: { outcome: "done", path: ["start:next", "step:next"] },
  },
  {
    name: "stop-on-reply on: a reply stops a like too, nothing sent",
    case: () => ({ graph: single("like_post"), events: [{ type: "replied", at: -1 }] }),
    expected: { outcome: "replied", sent: [] },
  },
  {
    name: "stop-on-reply off: a like goes out after a reply",
    case: () => ({
      graph: single("like_post"),
      stopOnReply: false,
      events: [{ type: "replied", at: -1 }],
    }),
    expected: { outcome: "done", sent: ["like_post"] },
  },
  // ── Every exit of the conditions and the wait ──
  {
    name: "if accepted: accepted in time → yes",
    case: () => ({ graph: connectThenMessage(), events: [{ type: "accepted", at: 24 }] }),
    expected: {
      outcome: "messaged",
      sent: ["connect", "message"],
      path: ["start:next", "invite:next", "check:yes", "hello:next"],
    },
  },
  {
    name: "if accepted: never → no after the window",
    case: () => ({ graph: connectThenMessage() }),
    expected: { outcome: "not_accepted", path: ["start:next", "invite:next", "check:no"] },
  },
  {
    name: "if accepted: accepted after the window → no",
    case: () => ({ graph: connectThenMessage(), events: [{ type: "accepted", at: 6 * 24 }] }),
    expected: { outcome: "not_accepted" },
  },
  {
    name: "if accepted: already connected answer → yes at once",
    case: () => ({
      graph: connectThenMessage(),
      answers: { connect: notSent("already_connected") },
    }),
    expected: { outcome: "messaged", sent: ["connect", "message"] },
  },
  {
    name: "if accepted: acceptance delivered twice → one yes, one message",
    case: () => ({
      graph: connectThenMessage(),
      events: [{ type: "accepted", at: 24, twice: true }],
    }),
    expected: { outcome: "messaged", sent: ["connect", "message"] },
  },
  {
    name: "if accepted: acceptance delivered a day late, still inside the window → yes",
    case: () => ({
      graph: connectThenMessage(),
      events: [{ type: "accepted", at: 24, lateBy: 24 }],
    }),
    expected: { outcome: "messaged", sent: ["connect", "message"] },
  },
  {
    name: "if accepted: acceptance in time but delivered after the window closed → no",
    case: () => ({
      graph: connectThenMessage(),
      events: [{ type: "accepted", at: 4 * 24, lateBy: 48 }],
    }),
    expected: { outcome: "not_accepted", sent: ["connect"] },
  },
  {
    name: "if accepted: acceptance at the instant of the invitation → yes",
    case: () => ({
      graph: connectThenMessage(),
      events: [{ type: "accepted", at: { send: "connect" } }],
    }),
    expected: { outcome: "messaged" },
  },
  {
    name: "wait passes by next after its time",
    case: () => ({ graph: twoMessages(), stopOnReply: false }),
    expected: {
      outcome: "done",
      path: ["start:next", "first:next", "pause:next", "second:next"],
      sent: ["message", "message"],
    },
  },
  // ── If replied ──
  {
    name: "if replied: reply in time → yes, then the thank-you message is sent",
    case: () => ({ graph: repliedThenMessage(), events: [{ type: "replied", at: 24 }] }),
    expected: {
      outcome: "thanked",
      path: ["start:next", "first:next", "check:yes", "thanks:next"],
      sent: ["message", "message"],
    },
  },
  {
    name: "if replied: no reply → no after the window",
    case: () => ({ graph: repliedThenMessage() }),
    expected: {
      outcome: "no_reply",
      path: ["start:next", "first:next", "check:no"],
      sent: ["message"],
    },
  },
  {
    name: "if replied: reply after the window → no",
    case: () => ({ graph: repliedThenMessage(), events: [{ type: "replied", at: 4 * 24 }] }),
    expected: { outcome: "no_reply" },
  },
  {
    name: "if replied: reply that arrived before the message (early) → the lead stops before it",
    case: () => ({ graph: repliedThenMessage(), events: [{ type: "replied", at: -1 }] }),
    expected: { outcome: "replied", sent: [] },
  },
  {
    name: "if replied: early reply with stop-on-reply off → message sent, then no",
    case: () => ({
      graph: repliedThenMessage(),
      stopOnReply: false,
      events: [{ type: "replied", at: -1 }],
    }),
    expected: { outcome: "no_reply", sent: ["message"] },
  },
  {
    name: "if replied: reply at the instant of the send is not its answer → no",
    case: () => ({
      graph: repliedThenMessage(),
      events: [{ type: "replied", at: { send: "message" } }],
    }),
    expected: { outcome: "no_reply", sent: ["message"] },
  },
  {
    name: "if replied: reply delivered twice → one yes, one thank-you",
    case: () => ({
      graph: repliedThenMessage(),
      events: [{ type: "replied", at: 24, twice: true }],
    }),
    expected: { outcome: "thanked", sent: ["message", "message"] },
  },
  {
    name: "if replied: reply delivered a day late, still inside the window → yes",
    case: () => ({
      graph: repliedThenMessage(),
      events: [{ type: "replied", at: 24, lateBy: 24 }],
    }),
    expected: { outcome: "thanked", sent: ["message", "message"] },
  },
  {
    name: "if replied: reply in time but delivered after the window closed → no",
    case: () => ({
      graph: repliedThenMessage(),
      events: [{ type: "replied", at: 48, lateBy: 48 }],
    }),
    expected: { outcome: "no_reply", sent: ["message"] },
  },
  // ── Stop on reply ──
  {
    name: "stop-on-reply on: a reply stops the second message",
    case: () => ({ graph: twoMessages(), events: [{ type: "replied", at: 24 }] }),
    expected: { outcome: "replied", reason: "the lead replied", sent: ["message"] },
  },
  {
    name: "stop-on-reply off: a reply does not stop the second message",
    case: () => ({
      graph: twoMessages(),
      stopOnReply: false,
      events: [{ type: "replied", at: 24 }],
    }),
    expected: { outcome: "done", sent: ["message", "message"] },
  },
  {
    name: "stop-on-reply on: a reply delivered late still stops what is not sent yet",
    case: () => ({ graph: twoMessages(), events: [{ type: "replied", at: 12, lateBy: 24 }] }),
    expected: { outcome: "replied", sent: ["message"] },
  },
  {
    name: "stop-on-reply on: a reply after everything was sent changes nothing",
    case: () => ({ graph: twoMessages(), events: [{ type: "replied", at: 10 * 24 }] }),
    expected: { outcome: "done", sent: ["message", "message"] },
  },
  {
    name: "stop-on-reply on: a reply before the first send stops the lead with nothing sent",
    case: () => ({ graph: twoMessages(), events: [{ type: "replied", at: -2 }] }),
    expected: { outcome: "replied", sent: [] },
  },
  // ── 1st degree known from a connect's answer ──
  {
    name: "already connected answer, then InMail sends a free message",
    case: () => ({
      graph: connectThenInmail("send_message"),
      answers: { connect: notSent("already_connected") },
    }),
    expected: {
      outcome: "mailed",
      sent: ["connect", "message"],
      path: ["start:next", "invite:next", "mail:sent"],
    },
  },
  {
    name: "already connected answer, then InMail set to skip → not sent",
    case: () => ({
      graph: connectThenInmail("skip"),
      answers: { connect: notSent("already_connected") },
    }),
    expected: { outcome: "not_mailed", sent: ["connect"] },
  },
  {
    name: "invitation sent, not yet accepted: the InMail goes as an InMail",
    case: () => ({ graph: connectThenInmail("send_message") }),
    expected: { outcome: "mailed", sent: ["connect", "inmail"] },
  },
  {
    name: "acceptance before the InMail: it goes as a free message",
    case: () => ({
      graph: connectThenInmail("send_message"),
      events: [{ type: "accepted", at: { send: "connect" } }],
    }),
    expected: { outcome: "mailed", sent: ["connect", "message"] },
  },
];

describe("engine decisions in memory", () => {
  it.each(rows.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const result = await run(row.case());
    expect(result.state).toBe("done");
    expect(result.outcome).toBe(row.expected.outcome);
    if (row.expected.path) expect(result.path).toEqual(row.expected.path);
    if (row.expected.sent) expect(result.sent).toEqual(row.expected.sent);
    if (row.expected.reason !== undefined) expect(result.reason).toBe(row.expected.reason);
  });

  it("has at least 40 cases", () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });
});
