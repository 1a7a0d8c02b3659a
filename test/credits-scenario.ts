import { randomUUID } from "node:crypto";
import type { Database } from "@/db/client";
import { createCampaign, createSenderAccount, upsertLeads } from "@/db/queries/launch";
import {
  action,
  creditLedger,
  creditPool,
  creditRefund,
  enrollment,
  enrollmentStep,
  inboundEvent,
} from "@/db/schema/index";
import { nextRenewal, renewalDates } from "@/workflows/credits/renewal";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { buildGraph } from "@/workflows/graph/index";

/**
 * A campaign with a known credit history, written straight into the tables the engine fills,
 * for the read model's tests and the browser test. The story (times relative to `now`):
 *
 * - "Recruiter team", a Recruiter Lite pool (30 a month, at most 120, refund on reply after 1
 *   day) renewing on the UTC day of now + 15 days. Opening balance 80; the renewal before last
 *   granted 30 (→ 110); the last one granted 10 and forfeited 20 (→ 120). 3 add-on blocks of 10
 *   were bought 4 days ago. Balance today: 100, so the next renewal grants 20 and forfeits 10.
 * - "Connect, then InMail" sends an invitation, waits 7 days for an acceptance, InMails those who
 *   did not accept ("Quick question"), waits 10 days for a reply and follows up ("Following up").
 * - InMail "Quick question" (branch "Not accepted within 7 days"), 43 leads reached: 35 paid
 *   (20 of them 10–12 days ago, 15 in the last 6 days), 2 free (open profile: credit taken and
 *   given back), 2 sent as a normal message (1st-degree), 4 not sent (3 refuse InMail: credit
 *   taken and given back; 1 budget reached, never charged). 7 replies: 4 refunds posted, 2
 *   pending, 1 on a free InMail. Spent 35, refunded 4, pending 2, net 31, 4.43 per reply.
 * - InMail "Following up" (after "No reply within 10 days"): the 20 older paid leads, all paid
 *   in the last 2 days; 2 replies: 1 refund posted, 1 pending. Spent 20, refunded 1, net 19.
 * - Leads: 43 reached the InMail step; 30 accepted and finished; 131 wait on "If accepted";
 *   200 have not been invited yet. Finished: 43; in flight before an InMail: 343.
 * - Projection: 35 paid InMails in the last 7 days → 5 credits a day; reach 43 / 86 and paid
 *   share 55 / 59 → 343 × 0.5 × 55 / 59 ≈ 160 credits needed. 100 + the renewal's 30 last 26
 *   days: runs out on now + 26 days, 30 leads short.
 *
 * The campaign runs, but every lead's next step is at least a day away, so an engine started on
 * the same database leaves the numbers alone for the length of a test.
 */

export const SCENARIO_PASSWORD = "credits-scenario-42";

export const scenarioGraph = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node(
    "connect",
    "connect",
    { noteVariants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}, happy to connect?" }] },
    { x: 0, y: 200 },
  )
  .node("accepted", "if_accepted", { withinDays: 7 }, { x: 0, y: 400 })
  .node(
    "thanks",
    "message",
    { variants: [{ id: "a", weight: 1, text: "Thanks for accepting, {{firstName|there}}." }] },
    { x: -250, y: 600 },
  )
  .node(
    "inmail",
    "inmail",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          subject: "Quick question",
          body: "Hi {{firstName|there}}, worth a short call about how {{company|your team}} books meetings?",
        },
      ],
      firstDegree: "send_message",
    },
    { x: 250, y: 600 },
  )
  .node("replied-to-inmail", "if_replied", { withinDays: 10 }, { x: 250, y: 800 })
  .node(
    "follow-up",
    "inmail",
    {
      variants: [
        {
          id: "a",
          weight: 1,
          subject: "Following up",
          body: "Hi {{firstName|there}}, bringing my note back up. A one-word reply is fine.",
        },
      ],
      firstDegree: "send_message",
    },
    { x: 450, y: 1000 },
  )
  .node("replied-to-follow-up", "if_replied", { withinDays: 10 }, { x: 450, y: 1200 })
  .node("end-accepted", "end", { outcome: "connected" }, { x: -250, y: 800 })
  .node("end-replied", "end", { outcome: "replied" }, { x: 0, y: 1400 })
  .node("end-no-answer", "end", { outcome: "no answer" }, { x: 450, y: 1400 })
  .node("end-not-sent", "end", { outcome: "InMail not sent" }, { x: 700, y: 1000 })
  .chain("start", "connect", "accepted")
  .edge("accepted", "yes", "thanks")
  .edge("thanks", "next", "end-accepted")
  .edge("accepted", "no", "inmail")
  .edge("inmail", "sent", "replied-to-inmail")
  .edge("inmail", "not_sent", "end-not-sent")
  .edge("replied-to-inmail", "yes", "end-replied")
  .edge("replied-to-inmail", "no", "follow-up")
  .edge("follow-up", "sent", "replied-to-follow-up")
  .edge("follow-up", "not_sent", "end-not-sent")
  .edge("replied-to-follow-up", "yes", "end-replied")
  .edge("replied-to-follow-up", "no", "end-no-answer")
  .build();

export const FIRST_BRANCH = "accepted:no";
export const FOLLOW_UP_BRANCH = "accepted:no>replied-to-inmail:no";

export interface CreditsScenario {
  campaignId: string;
  poolId: string;
  accountId: string;
  renewalDay: number;
  nextRenewalAt: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TIME_ZONE = "Europe/Paris";

export async function seedCreditsScenario(
  db: Database,
  workspaceId: string,
  now: Date,
): Promise<CreditsScenario> {
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
  const renewalDay = new Date(now.getTime() + 15 * DAY).getUTCDate();
  const anchor = { renewalAnchorDay: renewalDay, timeZone: "UTC" };
  const nextRenewalAt = nextRenewal(anchor, now);
  const [r1, r2] = renewalDates(renewalDay, at(-70 * DAY), now).slice(-2);
  if (!r1 || !r2) throw new Error("two renewals fit in 70 days");

  const poolId = randomUUID();
  await db.insert(creditPool).values({
    id: poolId,
    workspaceId,
    name: "Recruiter team",
    plan: "recruiter_lite",
    allowance: 30,
    cap: 120,
    renewalDay,
    refundPolicy: { type: "on_reply", windowDays: 90, delayDays: 1 },
    balance: 100,
    nextRenewalAt,
  });
  const ledger: Array<typeof creditLedger.$inferInsert> = [];
  const entry = (row: Omit<typeof creditLedger.$inferInsert, "workspaceId" | "poolId">) =>
    ledger.push({ workspaceId, poolId, ...row });
  entry({
    at: new Date(r1.getTime() - 10 * DAY),
    type: "adjustment",
    amount: 80,
    note: "opening balance",
  });
  entry({ at: r1, type: "grant", amount: 30, note: "monthly renewal" });
  entry({ at: r2, type: "grant", amount: 10, note: "monthly renewal" });
  entry({ at: r2, type: "forfeit", amount: 20, note: "over the cap of 120" });
  entry({ at: at(-4 * DAY + HOUR), type: "purchase", amount: 30, note: "3 add-on blocks of 10" });

  const accountId = await createSenderAccount(db, workspaceId, {
    name: "Carla's seat",
    provider: "sandbox",
    providerAccountId: `sandbox-${randomUUID()}`,
    pacing: { timeZone: TIME_ZONE },
    creditPoolId: poolId,
  });
  const { campaignId, versionId } = await createCampaign(db, workspaceId, {
    name: "Connect, then InMail",
    graph: scenarioGraph,
    accountIds: [accountId],
    seed: "credits-scenario",
  });

  const identifiers = Array.from(
    { length: 404 },
    (_, i) => `credits-lead-${String(i + 1).padStart(3, "0")}`,
  );
  const leadIds = await upsertLeads(
    db,
    workspaceId,
    identifiers.map((publicIdentifier, i) => ({
      publicIdentifier,
      firstName: `Lead${i + 1}`,
      lastName: "Scenario",
      company: "Scenario Co",
    })),
  );
  let next = 0;
  const take = (count: number) => {
    const slice = leadIds.slice(next, next + count);
    next += count;
    return slice;
  };

  const enrollments: Array<typeof enrollment.$inferInsert> = [];
  const actions: Array<typeof action.$inferInsert> = [];
  const refunds: Array<typeof creditRefund.$inferInsert> = [];
  const events: Array<typeof inboundEvent.$inferInsert> = [];
  const steps: Array<typeof enrollmentStep.$inferInsert> = [];
  const enrollmentOf = new Map<string, string>();

  const enroll = (
    leadId: string,
    state: "active" | "done",
    nodeId: string,
    branch: string,
    nextRunAt: Date,
    outcome: string | null = null,
  ) => {
    const id = randomUUID();
    enrollmentOf.set(leadId, id);
    enrollments.push({
      id,
      workspaceId,
      campaignId,
      leadId,
      versionId,
      accountId,
      nodeId,
      state,
      nextRunAt,
      queueKey: leadId,
      branch,
      outcome,
      enrolledAt: at(-20 * DAY),
    });
    return id;
  };

  /** One InMail step attempt, with the ledger lines the engine writes for it. */
  const inmail = (
    leadId: string,
    nodeId: string,
    branch: string,
    sentAt: Date,
    kind: "paid" | "free" | "message" | "refused",
  ) => {
    const actionId = randomUUID();
    const chatId = `chat-${actionId}`;
    const enrollmentId = enrollmentOf.get(leadId)!;
    const sent = kind !== "refused";
    actions.push({
      id: actionId,
      workspaceId,
      idempotencyKey: `scenario:${actionId}`,
      enrollmentId,
      campaignId,
      leadId,
      accountId,
      nodeId,
      kind: kind === "message" ? "message" : "inmail",
      hasText: true,
      branch,
      variant: "a",
      status: sent ? "sent" : "not_sent",
      reason: sent ? null : "recipient_refuses_inmail",
      credits: kind === "paid" ? 1 : 0,
      localDate: localDate(sentAt, TIME_ZONE),
      chatId: sent ? chatId : null,
      createdAt: sentAt,
      sentAt: sent ? sentAt : null,
    });
    const tags = { campaignId, nodeId, branch, enrollmentId, leadId, variant: "a", actionId };
    if (kind === "message") return { actionId, chatId };
    entry({ at: sentAt, type: "spend", amount: 1, ...tags });
    if (kind === "free") {
      entry({
        at: sentAt,
        type: "adjustment",
        amount: 1,
        note: "free InMail (open profile)",
        ...tags,
      });
    }
    if (kind === "refused") {
      entry({ at: sentAt, type: "adjustment", amount: 1, note: "reservation released", ...tags });
    }
    return { actionId, chatId };
  };

  const reply = (
    leadId: string,
    sent: { actionId: string; chatId: string },
    nodeId: string,
    branch: string,
    repliedAt: Date,
    refund: "posted" | "pending" | "none",
  ) => {
    events.push({
      workspaceId,
      provider: "sandbox",
      externalId: `scenario-reply-${sent.actionId}`,
      type: "replied",
      providerAccountId: "scenario",
      accountId,
      leadId,
      chatId: sent.chatId,
      occurredAt: repliedAt,
      receivedAt: repliedAt,
      processedAt: repliedAt,
    });
    if (refund === "none") return;
    const dueAt = new Date(repliedAt.getTime() + DAY);
    refunds.push({
      actionId: sent.actionId,
      workspaceId,
      poolId,
      repliedAt,
      dueAt,
      postedAt: refund === "posted" ? dueAt : null,
    });
    if (refund === "posted") {
      entry({
        at: dueAt,
        type: "refund",
        amount: 1,
        note: "reply in the InMail thread",
        campaignId,
        nodeId,
        branch,
        enrollmentId: enrollmentOf.get(leadId),
        leadId,
        variant: "a",
        actionId: sent.actionId,
      });
    }
  };

  // 20 leads: "Quick question" 10–12 days ago, no reply, "Following up" in the last 2 days.
  take(20).forEach((leadId, k) => {
    const followUpAt = at(-2 * DAY + k * 2 * HOUR);
    const firstAt = new Date(followUpAt.getTime() - 10 * DAY - 2 * HOUR);
    const done = k < 2;
    enroll(
      leadId,
      done ? "done" : "active",
      done ? "end-replied" : "replied-to-follow-up",
      `${FOLLOW_UP_BRANCH}${done ? ">replied-to-follow-up:yes" : ""}`,
      done ? followUpAt : new Date(followUpAt.getTime() + 10 * DAY),
      done ? "replied" : null,
    );
    inmail(leadId, "inmail", FIRST_BRANCH, firstAt, "paid");
    const second = inmail(leadId, "follow-up", FOLLOW_UP_BRANCH, followUpAt, "paid");
    if (k === 0) reply(leadId, second, "follow-up", FOLLOW_UP_BRANCH, at(-40 * HOUR), "posted");
    if (k === 1) reply(leadId, second, "follow-up", FOLLOW_UP_BRANCH, at(-3 * HOUR), "pending");
  });
  // 15 leads: "Quick question" in the last 6 days; 4 replies refunded, 2 refunds pending.
  take(15).forEach((leadId, k) => {
    const sentAt = at(-6 * DAY + k * 8 * HOUR);
    const replied = k < 6;
    enroll(
      leadId,
      replied ? "done" : "active",
      replied ? "end-replied" : "replied-to-inmail",
      replied ? `${FIRST_BRANCH}>replied-to-inmail:yes` : FIRST_BRANCH,
      new Date(sentAt.getTime() + 10 * DAY),
      replied ? "replied" : null,
    );
    const sent = inmail(leadId, "inmail", FIRST_BRANCH, sentAt, "paid");
    if (k < 4)
      reply(leadId, sent, "inmail", FIRST_BRANCH, new Date(sentAt.getTime() + DAY), "posted");
    else if (k < 6) reply(leadId, sent, "inmail", FIRST_BRANCH, at(-6 * HOUR), "pending");
  });
  // 2 open profiles: free InMails; one replied (nothing to refund).
  take(2).forEach((leadId, k) => {
    const sentAt = at(-5 * DAY + k * 8 * HOUR);
    enroll(
      leadId,
      k === 0 ? "done" : "active",
      k === 0 ? "end-replied" : "replied-to-inmail",
      k === 0 ? `${FIRST_BRANCH}>replied-to-inmail:yes` : FIRST_BRANCH,
      new Date(sentAt.getTime() + 10 * DAY),
      k === 0 ? "replied" : null,
    );
    const sent = inmail(leadId, "inmail", FIRST_BRANCH, sentAt, "free");
    if (k === 0) reply(leadId, sent, "inmail", FIRST_BRANCH, at(-2 * DAY), "none");
  });
  // 2 first-degree connections: the InMail's text went as a normal message.
  take(2).forEach((leadId, k) => {
    const sentAt = at(-4 * DAY + k * 8 * HOUR);
    enroll(
      leadId,
      "active",
      "replied-to-inmail",
      FIRST_BRANCH,
      new Date(sentAt.getTime() + 10 * DAY),
    );
    inmail(leadId, "inmail", FIRST_BRANCH, sentAt, "message");
  });
  // 4 not sent: 3 refuse InMail (the credit taken was given back), 1 over a budget then set.
  take(4).forEach((leadId, k) => {
    const tried = at(-5 * DAY - 12 * HOUR + k * 6 * HOUR);
    const enrollmentId = enroll(
      leadId,
      "done",
      "end-not-sent",
      FIRST_BRANCH,
      tried,
      "InMail not sent",
    );
    if (k < 3) {
      inmail(leadId, "inmail", FIRST_BRANCH, tried, "refused");
    } else {
      steps.push({
        workspaceId,
        enrollmentId,
        at: tried,
        nodeId: "inmail",
        exit: "not_sent",
        toNodeId: "end-not-sent",
        branch: FIRST_BRANCH,
        note: "not sent: budget_reached",
      });
    }
  });
  // 30 accepted and were thanked; 131 wait on "If accepted"; 200 are still to be invited.
  for (const leadId of take(30)) {
    enroll(leadId, "done", "end-accepted", "accepted:yes", at(-DAY), "connected");
  }
  for (const leadId of take(131)) enroll(leadId, "active", "accepted", "", at(3 * DAY));
  for (const leadId of take(200)) enroll(leadId, "active", "connect", "", at(DAY));

  for (let i = 0; i < enrollments.length; i += 200) {
    await db.insert(enrollment).values(enrollments.slice(i, i + 200));
  }
  await db.insert(action).values(actions);
  await db.insert(creditLedger).values(ledger);
  await db.insert(creditRefund).values(refunds);
  await db.insert(inboundEvent).values(events);
  await db.insert(enrollmentStep).values(steps);
  return { campaignId, poolId, accountId, renewalDay, nextRenewalAt };
}
