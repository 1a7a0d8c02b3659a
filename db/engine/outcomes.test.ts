import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { buildGraph } from "@/workflows/graph/builder";
import { INMAIL_NOT_SENT_REASONS } from "@/workflows/nodes/inmail";
import { action, creditLedger, creditPool, enrollment, inboundEvent, lead } from "../schema/index";
import { prepareSimulation, runSimulation, type SimulationRun } from "./simulation";

// What the engine concludes about a lead: who is 1st degree, which reply answers which send,
// which credits an InMail takes, and how a lead that stopped is recorded.

const START = new Date("2026-03-02T07:00:00Z"); // a Monday
const ALWAYS = { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" };
const leads = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ publicIdentifier: `${prefix}-${i}`, firstName: "Ada" }));
const inmail = (subject: string) => ({
  variants: [{ id: "a", weight: 1, subject, body: "Hello {{firstName|there}}, a short note." }],
  firstDegree: "send_message" as const,
});

async function rowsOf(database: TestDatabase, run: SimulationRun) {
  const [actions, enrollments, events] = await Promise.all([
    database.db.select().from(action).where(eq(action.campaignId, run.campaignId)),
    database.db
      .select({ id: enrollment.id, leadId: enrollment.leadId, state: enrollment.state })
      .from(enrollment)
      .where(eq(enrollment.campaignId, run.campaignId)),
    database.db.select().from(inboundEvent).where(eq(inboundEvent.workspaceId, run.workspaceId)),
  ]);
  return { actions, enrollments, events };
}

describe.each(BACKENDS)("engine outcomes on %s", (backend) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.destroy();
  });
  async function simulate(spec: Parameters<typeof prepareSimulation>[1]) {
    const database = await createTestDatabase(backend);
    databases.push(database);
    const run = await prepareSimulation(database, spec);
    await runSimulation(database, run);
    return { database, run };
  }

  describe("an invitation answered “already connected”, then an InMail step", () => {
    let database: TestDatabase;
    let run: SimulationRun;
    beforeAll(async () => {
      ({ database, run } = await simulate({
        graph: buildGraph()
          .node("start", "start")
          .node("connect", "connect", { noteVariants: [], skipIfConnected: true })
          .node("hello", "message", { variants: [{ id: "a", weight: 1, text: "Hello!" }] })
          .node("pitch", "inmail", inmail("A question"))
          .node("end", "end", { outcome: "finished" })
          .node("end-not-sent", "end", { outcome: "InMail not sent" })
          .chain("start", "connect", "hello", "pitch")
          .edge("pitch", "sent", "end")
          .edge("pitch", "not_sent", "end-not-sent")
          .build(),
        accounts: [{ id: "acct-connected", pacing: { timeZone: "UTC", workingHours: ALWAYS } }],
        pool: { plan: "sales_navigator_core", balance: 20 },
        leads: leads("friend", 6),
        seed: "already-connected",
        start: START,
        days: 3,
        sandbox: {
          defaults: {
            network: { firstDegree: 1, secondDegree: 0, thirdDegree: 0 },
            people: { premium: 0, refusesInmail: 0, unreachable: 0 },
            reply: { afterMessage: 0 },
          },
        },
      }));
    }, 300_000);

    it("sends the InMail step as a free message, charging no credit", async () => {
      const { actions } = await rowsOf(database, run);
      expect(
        actions.filter((a) => a.nodeId === "connect").map((a) => [a.status, a.reason]),
      ).toEqual(Array(6).fill(["not_sent", "already_connected"]));
      const pitches = actions.filter((a) => a.nodeId === "pitch");
      expect(pitches.map((a) => [a.kind, a.status, a.credits])).toEqual(
        Array(6).fill(["message", "sent", 0]),
      );
      const spends = await database.db
        .select()
        .from(creditLedger)
        .where(eq(creditLedger.poolId, run.poolId!));
      expect(spends.filter((l) => l.type === "spend")).toEqual([]);
      const [pool] = await database.db
        .select({ balance: creditPool.balance })
        .from(creditPool)
        .where(eq(creditPool.id, run.poolId!));
      expect(pool?.balance).toBe(20);
    });
  });

  describe("replies at the instant of the send they would answer", () => {
    let database: TestDatabase;
    let run: SimulationRun;
    beforeAll(async () => {
      ({ database, run } = await simulate({
        graph: buildGraph()
          .node("start", "start")
          .node("first", "inmail", inmail("First"))
          .node("replied", "if_replied", { withinDays: 2 })
          .node("again", "inmail", inmail("Again"))
          .node("replied-again", "if_replied", { withinDays: 2 })
          .node("end-again", "end", { outcome: "replied again" })
          .node("end-once", "end", { outcome: "replied once" })
          .node("end-quiet", "end", { outcome: "quiet" })
          .node("end-not-sent", "end", { outcome: "InMail not sent" })
          .chain("start", "first")
          .edge("first", "sent", "replied")
          .edge("first", "not_sent", "end-not-sent")
          .edge("replied", "yes", "again")
          .edge("replied", "no", "end-quiet")
          .edge("again", "sent", "replied-again")
          .edge("again", "not_sent", "end-not-sent")
          .edge("replied-again", "yes", "end-again")
          .edge("replied-again", "no", "end-once")
          .build(),
        // No pool: InMails charge nothing and count no credits. Without priorities the seat sends
        // a lead's follow-up the instant the reply wakes it (with them, a queued send may come
        // first): the case under test.
        accounts: [
          {
            id: "acct-replies",
            pacing: { timeZone: "UTC", workingHours: ALWAYS, priorities: false },
          },
        ],
        leads: leads("talker", 40),
        seed: "reply-instants",
        start: START,
        days: 8,
        sandbox: {
          defaults: {
            network: { firstDegree: 0 },
            people: { premium: 0, refusesInmail: 0.2, unreachable: 0 },
            reply: { afterInmail: 0.6, minDelayHours: 1, maxDelayHours: 12 },
            inmailBalance: 1000,
          },
        },
      }));
    }, 300_000);

    it("takes a reply as an answer only when it comes after the send", async () => {
      const { actions, events } = await rowsOf(database, run);
      const outcomes = await database.db
        .select({
          publicIdentifier: lead.publicIdentifier,
          leadId: lead.id,
          outcome: enrollment.outcome,
        })
        .from(enrollment)
        .innerJoin(lead, eq(lead.id, enrollment.leadId))
        .where(eq(enrollment.campaignId, run.campaignId));
      const repliesOf = (leadId: string) =>
        events
          .filter((e) => e.type === "replied" && e.leadId === leadId)
          .map((e) => e.occurredAt.getTime());
      let atTheInstant = 0;
      let again = 0;
      for (const row of outcomes) {
        const followUp = actions.find(
          (a) => a.leadId === row.leadId && a.nodeId === "again" && a.status === "sent",
        );
        if (!followUp?.sentAt) continue;
        const sentAt = followUp.sentAt.getTime();
        const replies = repliesOf(row.leadId);
        if (replies.includes(sentAt)) atTheInstant++;
        const answered = replies.some((at) => at > sentAt && at <= sentAt + 2 * 86_400_000);
        if (row.outcome === "replied again") again++;
        if (row.outcome === "replied again" || row.outcome === "replied once") {
          expect({ lead: row.publicIdentifier, outcome: row.outcome }).toEqual({
            lead: row.publicIdentifier,
            outcome: answered ? "replied again" : "replied once",
          });
        }
      }
      // The follow-up went out at the very instant of the reply that woke the lead.
      expect(atTheInstant).toBeGreaterThan(3);
      expect(again).toBeGreaterThan(0);
    });

    it("without a pool, counts no credit on any InMail", async () => {
      const { actions } = await rowsOf(database, run);
      const sent = actions.filter((a) => a.kind === "inmail" && a.status === "sent");
      expect(sent.length).toBeGreaterThan(20);
      expect(sent.filter((a) => a.credits !== 0)).toEqual([]);
    });

    it("names why an InMail was not sent as the step does", async () => {
      const { actions } = await rowsOf(database, run);
      const reasons = new Set(
        actions.filter((a) => a.kind === "inmail" && a.status === "not_sent").map((a) => a.reason),
      );
      expect([...reasons]).toEqual(["recipient_refuses_inmail"]);
      expect(Object.keys(INMAIL_NOT_SENT_REASONS)).toContain("recipient_refuses_inmail");
    });
  });

  describe("leads stopped for reasons of their own", () => {
    let database: TestDatabase;
    let run: SimulationRun;
    beforeAll(async () => {
      ({ database, run } = await simulate({
        graph: buildGraph()
          .node("start", "start")
          .node("connect", "connect", {
            noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}, let's connect." }],
            skipIfConnected: true,
          })
          .node("pause", "wait", { amount: 3, unit: "days", workingDaysOnly: false })
          .node("hello", "message", { variants: [{ id: "a", weight: 1, text: "Hello!" }] })
          .node("end", "end", { outcome: "messaged" })
          .chain("start", "connect", "pause", "hello", "end")
          .build(),
        accounts: [{ id: "acct-stops", pacing: { timeZone: "UTC", workingHours: ALWAYS } }],
        leads: leads("stop", 12),
        seed: "normal-stops",
        start: START,
        days: 5,
        sandbox: {
          defaults: {
            network: { firstDegree: 0 },
            people: { unreachable: 0.5 },
            // Everyone reachable accepts and answers the invitation's note before the message.
            acceptance: { probability: 1, minDelayHours: 1, maxDelayHours: 2 },
            reply: { afterNote: 1, minDelayHours: 1, maxDelayHours: 2 },
          },
        },
      }));
    }, 300_000);

    it("end done with their reason (a reply, nobody to reach), never failed", async () => {
      const rows = await database.db
        .select({ state: enrollment.state, outcome: enrollment.outcome, reason: enrollment.reason })
        .from(enrollment)
        .where(eq(enrollment.campaignId, run.campaignId));
      const count = (outcome: string, reason: string) =>
        rows.filter((r) => r.state === "done" && r.outcome === outcome && r.reason === reason)
          .length;
      expect(count("stopped", "not reachable")).toBeGreaterThan(0);
      expect(count("replied", "the lead replied")).toBeGreaterThan(0);
      expect(count("stopped", "not reachable") + count("replied", "the lead replied")).toBe(12);
    });
  });
});
