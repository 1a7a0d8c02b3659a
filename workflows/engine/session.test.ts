import { describe, expect, it } from "vitest";
import type {
  EngineStore,
  EnrollmentContext,
  FlushRequest,
  FlushResult,
  ReserveRequest,
  StoreOpResult,
  Transition,
} from "./ports";
import { BatchSession } from "./session";

function context(id: string): EnrollmentContext {
  return {
    enrollment: {
      id,
      workspaceId: "w",
      campaignId: "c",
      leadId: `lead-${id}`,
      accountId: "a",
      nodeId: "start",
      stepSeq: 0,
      branch: "",
      stepState: null,
      enrolledAt: new Date(0),
    },
    campaign: { id: "c", seed: "s", stopOnReply: true, budgets: null, weight: 1 },
    graph: { nodes: [], edges: [] } as unknown as EnrollmentContext["graph"],
    lead: {
      id: `lead-${id}`,
      publicIdentifier: id,
      providerId: null,
      firstName: "",
      lastName: "",
      company: "",
      title: "",
      custom: {},
      profile: null,
    },
    account: {
      id: "a",
      provider: "sandbox",
      providerAccountId: "pa",
      pacing: {} as EnrollmentContext["account"]["pacing"],
      creditPoolId: null,
    },
    actions: [],
    events: [],
  };
}

const move = (state: Transition["state"] = "active"): Transition => ({
  nodeId: "next",
  stepSeq: 1,
  branch: "",
  stepState: null,
  state,
  nextRunAt: new Date(0),
  history: [],
});

/** A store that logs each flush and answers every op as `answer` says. */
function fakeStore(
  log: string[],
  answer: (op: FlushRequest["ops"][number]) => StoreOpResult = (op) =>
    op.type === "reserve"
      ? {
          type: "reserved",
          action: {
            id: `action-${op.request.context.enrollment.id}`,
            idempotencyKey: op.request.idempotencyKey,
            nodeId: op.request.nodeId,
            kind: op.request.kind,
            hasText: false,
            status: "intent",
            reason: null,
            credits: 0,
            chatId: null,
            createdAt: new Date(0),
            sentAt: null,
          },
        }
      : op.type === "move" || op.type === "reschedule"
        ? { type: "written", held: true }
        : { type: "done" },
  fail = false,
): EngineStore & { flushes: FlushRequest[] } {
  const flushes: FlushRequest[] = [];
  return {
    flushes,
    claimDue: async () => [],
    applyDueCredits: async () => {},
    handOverLeads: async () => [],
    safetyCounts: async () => {
      throw new Error("not used");
    },
    async flush(request): Promise<FlushResult> {
      flushes.push(request);
      log.push(`flush ${request.ops.map((o) => o.type).join(",")}`);
      await new Promise((r) => setTimeout(r, 1));
      if (fail) throw new Error("database went away");
      const events = new Map(
        request.events.map((p) => [
          `${p.accountId}|${p.leadId}`,
          [{ type: "replied" as const, occurredAt: new Date(1), chatId: null }],
        ]),
      );
      return { results: request.ops.map(answer), events };
    },
  };
}

const reserve = (c: EnrollmentContext): ReserveRequest =>
  ({
    context: c,
    idempotencyKey: `${c.enrollment.id}:1:0`,
    nodeId: "visit",
    kind: "visit",
  }) as unknown as ReserveRequest;

describe("batch session", () => {
  it("gathers every lead's writes and reservations into one flush, before any send", async () => {
    const log: string[] = [];
    const store = fakeStore(log);
    const contexts = ["e1", "e2", "e3"].map(context);
    const session = new BatchSession(store, "me", contexts);
    await session.run(async (s, c) => {
      expect(await s.transition(c.enrollment.id, "me", move())).toBe(true);
      const reserved = await s.reserveSend(reserve(c));
      log.push(`send ${c.enrollment.id} after ${reserved.type}`);
      await s.completeAction("x", c, {
        status: "sent",
        at: new Date(0),
        releaseSlot: false,
        creditsUsed: 0,
      });
      return s.reschedule(c.enrollment.id, "me", new Date(5), null);
    });
    expect(log).toEqual([
      "flush move,move,move,reserve,reserve,reserve",
      "send e1 after reserved",
      "send e2 after reserved",
      "send e3 after reserved",
      "flush complete,complete,complete,reschedule,reschedule,reschedule",
    ]);
    expect(session.stats).toEqual({ flushes: 2, ops: 12, moves: 3 });
  });

  it("refreshes each lead's events at every flush", async () => {
    const store = fakeStore([]);
    const contexts = [context("e1")];
    await new BatchSession(store, "me", contexts).run(async (s, c) => {
      expect(await s.eventsFor("a", c.lead.id)).toEqual([]);
      await s.reschedule(c.enrollment.id, "me", new Date(5), null);
      return s.eventsFor("a", c.lead.id);
    });
    expect(store.flushes[0]?.events).toEqual([{ accountId: "a", leadId: "lead-e1" }]);
    expect(contexts[0]?.events).toEqual([
      { type: "replied", occurredAt: new Date(1), chatId: null },
    ]);
  });

  it("says a lead's last write was refused when its lease was lost", async () => {
    const store = fakeStore([], (op) =>
      op.type === "move" ? { type: "written", held: false } : { type: "done" },
    );
    const results = await new BatchSession(store, "me", [context("e1")]).run((s, c) =>
      s.transition(c.enrollment.id, "me", move("done")),
    );
    expect(results).toEqual([false]);
  });

  it("flushes queued writes of steps that ended without waiting", async () => {
    const store = fakeStore([]);
    await new BatchSession(store, "me", [context("e1")]).run(async (s) => {
      await s.pauseAccount("a", "restricted", "LinkedIn says so");
    });
    expect(store.flushes.map((f) => f.ops.map((o) => o.type))).toEqual([["pause"]]);
  });

  it("fails every waiting step when a flush fails, and sends nothing after it", async () => {
    const log: string[] = [];
    const store = fakeStore(log, undefined, true);
    const session = new BatchSession(store, "me", ["e1", "e2"].map(context));
    await expect(
      session.run(async (s, c) => {
        const reserved = await s.reserveSend(reserve(c));
        log.push(`send ${reserved.type}`);
      }),
    ).rejects.toThrow("database went away");
    expect(log).toEqual(["flush reserve,reserve"]);
  });
});
