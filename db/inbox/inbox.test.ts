import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerConversation, reconcileAnswers } from "@/server/inbox/answer";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { buildGraph } from "@/workflows/graph/index";
import type { Provider } from "@/workflows/providers/types";
import { queryRows } from "../client";
import { ingestEvent } from "../engine/events";
import { prepareSimulation, runSimulation, type SimulationRun } from "../engine/simulation";
import { createCampaign, createSenderAccount, enrollLeads } from "../queries/launch";
import {
  action,
  blocklistEntry,
  campaign,
  conversation,
  enrollment,
  lead,
  message,
  sandboxReceived,
  usageCounter,
} from "../schema/index";
import { recordingSentTexts } from "./sent-texts";

const START = new Date("2026-03-02T07:00:00Z");
const DAY = 86_400_000;
const WAIT_DAYS = 10;

/** Invite, and once accepted: thanks, a long wait, a follow-up. */
const graph = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node(
    "connect",
    "connect",
    { noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}, glad to connect." }] },
    { x: 0, y: 100 },
  )
  .node("accepted", "if_accepted", { withinDays: 14 }, { x: 0, y: 200 })
  .node(
    "thanks",
    "message",
    { variants: [{ id: "a", weight: 1, text: "Thanks for connecting, {{firstName|there}}!" }] },
    { x: 0, y: 300 },
  )
  .node(
    "pause",
    "wait",
    { amount: WAIT_DAYS, unit: "days", workingDaysOnly: false },
    { x: 0, y: 400 },
  )
  .node(
    "follow",
    "message",
    { variants: [{ id: "a", weight: 1, text: "Any thoughts, {{firstName|there}}?" }] },
    { x: 0, y: 500 },
  )
  .node("end", "end", { outcome: "finished" }, { x: 0, y: 600 })
  .node("end-no", "end", { outcome: "not connected" }, { x: 200, y: 300 })
  .chain("start", "connect", "accepted")
  .edge("accepted", "yes", "thanks")
  .edge("accepted", "no", "end-no")
  .chain("thanks", "pause", "follow", "end")
  .build();

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const written = (date: Date) =>
  `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;

describe.each(BACKENDS)("inbox on %s", (backend) => {
  let database: TestDatabase;
  const until = (run: SimulationRun, at: Date) =>
    runSimulation(database, { ...run, end: at }, "inbox-test", {
      provider: (world) => recordingSentTexts(world, database.db),
    });

  async function prepare(seed: string) {
    const run = await prepareSimulation(database, {
      graph,
      accounts: [
        {
          id: `seat-${seed}`,
          pacing: {
            timeZone: "UTC",
            workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "23:59" },
          },
        },
      ],
      leads: Array.from({ length: 6 }, (_, i) => ({
        publicIdentifier: `${seed}-lead-${i}`,
        firstName: `Lead${i}`,
        lastName: "Example",
        company: "Acme",
        title: "CTO",
      })),
      seed,
      start: START,
      days: 60,
      sandbox: {
        defaults: {
          acceptance: { probability: 1, minDelayHours: 1, maxDelayHours: 24 },
          reply: { afterMessage: 0, afterNote: 0, afterInmail: 0 },
        },
      },
    });
    // Run until some lead got its thanks (and so is connected and waiting).
    for (let day = 1; day <= 10; day++) {
      await until(run, new Date(START.getTime() + day * DAY));
      const thanked = await thankedLeads(run);
      if (thanked.length > 0) return { run, leadId: thanked[0] as string };
    }
    throw new Error("no lead was thanked within 10 days");
  }

  async function thankedLeads(run: SimulationRun) {
    const rows = await database.db
      .select({ leadId: action.leadId })
      .from(action)
      .where(
        and(
          eq(action.campaignId, run.campaignId),
          eq(action.nodeId, "thanks"),
          eq(action.status, "sent"),
        ),
      );
    return rows.map((r) => r.leadId);
  }

  async function reply(run: SimulationRun, leadId: string, text: string, id: string) {
    const [row] = await database.db.select().from(lead).where(eq(lead.id, leadId));
    const accountId = [...run.accountIds.keys()][0] as string;
    return ingestEvent(
      database.db,
      "sandbox",
      {
        externalId: id,
        type: "replied",
        providerAccountId: accountId,
        leadPublicIdentifier: row?.publicIdentifier ?? "",
        occurredAt: run.clock.now(),
        text,
      },
      run.clock.now(),
    );
  }

  const enrollmentOf = async (campaignId: string, leadId: string) =>
    (
      await database.db
        .select()
        .from(enrollment)
        .where(and(eq(enrollment.campaignId, campaignId), eq(enrollment.leadId, leadId)))
    )[0];

  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("stores the texts sent and the reply once, with its classification", async () => {
    const { run, leadId } = await prepare("texts");
    const [conv] = await database.db
      .select()
      .from(conversation)
      .where(eq(conversation.leadId, leadId));
    expect(conv).toBeDefined();
    const sent = await database.db
      .select()
      .from(message)
      .where(eq(message.conversationId, conv?.id ?? ""));
    // Exactly what LinkedIn got, templates filled in, marked as sent by the campaign.
    const [person] = await database.db.select().from(lead).where(eq(lead.id, leadId));
    const received = await database.db
      .select()
      .from(sandboxReceived)
      .where(eq(sandboxReceived.leadPublicIdentifier, person?.publicIdentifier ?? ""));
    const expected = received
      .map((r) => r.record as { kind: string; note?: string | null; text?: string })
      .filter((r) => r.kind === "message" || (r.kind === "connect" && r.note))
      .map((r) => ["automated", r.kind, r.kind === "connect" ? r.note : r.text]);
    expect(
      expected.some(
        ([, kind, text]) =>
          kind === "message" && text === `Thanks for connecting, ${person?.firstName}!`,
      ),
    ).toBe(true);
    expect(sent.map((m) => [m.origin, m.kind, m.text]).sort()).toEqual(expected.sort());
    expect(conv?.hasReply).toBe(false);

    expect(await reply(run, leadId, "Sounds interesting, what does it cost?", "texts-r1")).toBe(
      "stored",
    );
    // The same delivery again: stored once.
    expect(await reply(run, leadId, "Sounds interesting, what does it cost?", "texts-r1")).toBe(
      "duplicate",
    );
    const replies = await database.db
      .select()
      .from(message)
      .where(and(eq(message.conversationId, conv?.id ?? ""), eq(message.direction, "in")));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ category: "interested", language: "en", origin: "lead" });
    const [after] = await database.db
      .select()
      .from(conversation)
      .where(eq(conversation.id, conv?.id ?? ""));
    expect(after).toMatchObject({ hasReply: true, unread: true, category: "interested" });
  }, 120_000);

  it("an out-of-office reply pauses the lead until its return date, then the sequence goes on", async () => {
    const { run, leadId } = await prepare("ooo");
    const back = new Date(run.clock.now().getTime() + (WAIT_DAYS + 8) * DAY);
    const backDate = new Date(
      Date.UTC(back.getUTCFullYear(), back.getUTCMonth(), back.getUTCDate()),
    );
    await reply(
      run,
      leadId,
      `Automatic reply: I'm out of the office until ${written(back)} with limited access to messages.`,
      "ooo-r1",
    );
    const [stored] = await database.db
      .select()
      .from(message)
      .where(eq(message.providerMessageId, "ooo-r1"));
    expect(stored).toMatchObject({
      category: "out_of_office",
      returnDate: backDate.toISOString().slice(0, 10),
    });

    await until(run, new Date(START.getTime() + 50 * DAY));
    const follow = await database.db
      .select()
      .from(action)
      .where(and(eq(action.leadId, leadId), eq(action.nodeId, "follow")));
    expect(follow).toHaveLength(1);
    expect(follow[0]?.status).toBe("sent");
    expect(follow[0]?.createdAt.getTime()).toBeGreaterThanOrEqual(backDate.getTime());
    expect((await enrollmentOf(run.campaignId, leadId))?.outcome).toBe("finished");
  }, 120_000);

  it("with out of office treated as a reply, the lead stops", async () => {
    const { run, leadId } = await prepare("ooo-reply");
    await database.db
      .update(campaign)
      .set({ outOfOfficeAsReply: true })
      .where(eq(campaign.id, run.campaignId));
    await reply(
      run,
      leadId,
      "Out of office: I'm on annual leave, returning on 30 April 2026.",
      "oor-r1",
    );
    await until(run, new Date(START.getTime() + 50 * DAY));
    const ended = await enrollmentOf(run.campaignId, leadId);
    expect(ended).toMatchObject({ state: "done", outcome: "replied" });
    const follow = await database.db
      .select()
      .from(action)
      .where(and(eq(action.leadId, leadId), eq(action.nodeId, "follow")));
    expect(follow).toHaveLength(0);
  }, 120_000);

  it("unsubscribe blocklists the person and stops every campaign of the workspace for them", async () => {
    const { run, leadId } = await prepare("unsub");
    // The same person in a second campaign, on a second seat.
    const seat = await createSenderAccount(database.db, run.workspaceId, {
      name: "Second seat",
      provider: "sandbox",
      providerAccountId: "unsub-second-seat",
      pacing: { timeZone: "UTC" },
      creditPoolId: null,
    });
    const { campaignId: other } = await createCampaign(database.db, run.workspaceId, {
      name: "Other",
      graph,
      accountIds: [seat],
      seed: "unsub-other",
      stopOnReply: true,
    });
    await enrollLeads(database.db, run.workspaceId, other, [leadId], {
      now: run.clock.now(),
      allowInOtherCampaigns: true,
    });
    expect((await enrollmentOf(other, leadId))?.state).toBe("active");

    await reply(run, leadId, "Please remove me from your list and stop messaging me.", "unsub-r1");
    const [person] = await database.db.select().from(lead).where(eq(lead.id, leadId));
    const blocked = await database.db
      .select()
      .from(blocklistEntry)
      .where(
        and(
          eq(blocklistEntry.workspaceId, run.workspaceId),
          eq(blocklistEntry.publicIdentifier, person?.publicIdentifier ?? ""),
        ),
      );
    expect(blocked).toHaveLength(1);
    for (const campaignId of [run.campaignId, other]) {
      expect(await enrollmentOf(campaignId, leadId)).toMatchObject({
        state: "done",
        outcome: "unsubscribed",
      });
    }
  }, 120_000);

  describe("a person's answer", () => {
    let run: SimulationRun;
    let leadId: string;
    let conversationId: string;
    const user = { id: "user-1", name: "Ada" };
    const answers = async (key: string) =>
      (
        await queryRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from sandbox_received where idempotency_key = ${key}`,
        )
      )[0]?.n ?? 0;

    beforeAll(async () => {
      ({ run, leadId } = await prepare("answer"));
      await reply(run, leadId, "Yes, happy to talk. When works for you?", "answer-r1");
      const [conv] = await database.db
        .select()
        .from(conversation)
        .where(eq(conversation.leadId, leadId));
      conversationId = conv?.id ?? "";
    }, 120_000);

    const send = (key: string, provider: Provider = run.world, beforeSend?: () => void) =>
      answerConversation(database.db, provider, {
        workspaceId: run.workspaceId,
        conversationId,
        user,
        text: `Great, how about Tuesday? (${key})`,
        key,
        now: run.clock.now(),
        ...(beforeSend ? { beforeSend } : {}),
      });

    it("goes out once, counts in the seat's usage, and ends the automated sequence", async () => {
      const [first, second] = await Promise.all([send("double-click-1"), send("double-click-1")]);
      const results = [first, second].map((r) => r?.status);
      expect(results).toEqual(["sent", expect.stringMatching(/sent|intent/)]);
      expect([first?.created, second?.created].filter(Boolean)).toHaveLength(1);
      expect(await answers(`answer:${conversationId}:double-click-1`)).toBe(1);
      const again = await send("double-click-1");
      expect(again).toMatchObject({ status: "sent", created: false });
      expect(await answers(`answer:${conversationId}:double-click-1`)).toBe(1);
      expect(await enrollmentOf(run.campaignId, leadId)).toMatchObject({
        state: "done",
        outcome: "taken_over",
      });
      const usage = await database.db
        .select()
        .from(usageCounter)
        .where(eq(usageCounter.kind, "message"));
      expect(usage.reduce((sum, u) => sum + u.used, 0)).toBeGreaterThanOrEqual(2);
    });

    it("interrupted after the intent is committed, it is reconciled and never sent twice", async () => {
      await expect(
        send("crash-before-send", run.world, () => {
          throw new Error("killed");
        }),
      ).rejects.toThrow("killed");
      const [left] = await database.db
        .select()
        .from(message)
        .where(eq(message.idempotencyKey, `answer:${conversationId}:crash-before-send`));
      expect(left?.status).toBe("intent");
      expect(await reconcileAnswers(database.db, run.world, { settleMs: 0 })).toEqual({
        sent: 0,
        failed: 1,
      });
      expect(await answers(`answer:${conversationId}:crash-before-send`)).toBe(0);
      // A retry of the same key answers the recorded failure and sends nothing.
      expect(await send("crash-before-send")).toMatchObject({ status: "failed", created: false });
      expect(await answers(`answer:${conversationId}:crash-before-send`)).toBe(0);

      // Killed after LinkedIn got it, before it was marked: reconciliation finds it sent.
      const dying: Provider = Object.assign(Object.create(run.world) as Provider, {
        perform: async (...args: Parameters<Provider["perform"]>) => {
          await run.world.perform(...args);
          throw new Error("killed after send");
        },
      });
      expect(await send("crash-after-send", dying)).toMatchObject({ status: "intent" });
      expect(await reconcileAnswers(database.db, run.world, { settleMs: 0 })).toEqual({
        sent: 1,
        failed: 0,
      });
      expect(await send("crash-after-send")).toMatchObject({ status: "sent", created: false });
      expect(await answers(`answer:${conversationId}:crash-after-send`)).toBe(1);
      const records = await database.db
        .select()
        .from(sandboxReceived)
        .where(eq(sandboxReceived.kind, "message"));
      expect(records.filter((r) => r.idempotencyKey.includes("crash"))).toHaveLength(1);
    });
  });
});
