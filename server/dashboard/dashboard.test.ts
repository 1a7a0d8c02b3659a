import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { prepareSimulation, runSimulation, type SimulationRun } from "@/db/engine/simulation";
import { enrollLeads, upsertLeads } from "@/db/queries/launch";
import {
  action,
  creditRefund,
  enrollment,
  enrollmentStep,
  inboundEvent,
  lead,
  member,
  senderAccount,
  user,
  workflowVersion,
} from "@/db/schema/index";
import { apiRequest, routeParams, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import type { CampaignDashboard } from "@/views/dashboard";
import { buildGraph } from "@/workflows/graph/builder";
import { byActionKind, findNodeDefinition, variantLetter } from "@/workflows/nodes/index";
import { csvLines } from "./export-campaign-enrollments";

const dashboardRoute = await import("@/app/api/campaigns/[campaignId]/dashboard/route");
const exportRoute = await import("@/app/api/campaigns/[campaignId]/export/route");
const campaignsRoute = await import("@/app/api/campaigns/route");
const removeLeadRoute = await import("@/app/api/campaigns/[campaignId]/leads/[leadId]/route");
const switchRoute = await import("@/app/api/workspaces/active/route");

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

async function call<P extends Record<string, string>>(
  handler: Handler<P>,
  path: string,
  init: { method?: string; cookie: string; body?: unknown; params?: P },
): Promise<Response> {
  return handler(
    apiRequest(path, { method: init.method, cookie: init.cookie, body: init.body }),
    routeParams(init.params ?? ({} as P)),
  );
}

/** Visit, follow, invite with an A/B note, then message those who accept or InMail the rest. */
const GRAPH = buildGraph()
  .node("start", "start", {}, { x: 0, y: 0 })
  .node("visit", "visit", {}, { x: 0, y: 150 })
  .node("follow", "follow", {}, { x: 0, y: 300 })
  .node(
    "connect",
    "connect",
    {
      noteVariants: [
        { id: "a", weight: 1, text: "Hi {{firstName|there}}, glad to connect?" },
        { id: "b", weight: 1, text: "" },
      ],
    },
    { x: 0, y: 450 },
  )
  .node("accepted", "if_accepted", { withinDays: 4 }, { x: 0, y: 600 })
  .node(
    "thanks",
    "message",
    {
      variants: [
        { id: "a", weight: 1, text: "Thanks for connecting, {{firstName|there}}!" },
        { id: "b", weight: 1, text: "Thanks {{firstName|there}}: open to a short call?" },
      ],
    },
    { x: -250, y: 750 },
  )
  .node("pause", "wait", { amount: 1, unit: "days", workingDaysOnly: false }, { x: -250, y: 900 })
  .node("replied", "if_replied", { withinDays: 3 }, { x: -250, y: 1050 })
  .node("nudge", "message", {}, { x: -100, y: 1200 })
  .node(
    "inmail",
    "inmail",
    {
      variants: [
        { id: "a", weight: 1, subject: "A question", body: "Hi {{firstName|there}}, a question?" },
        { id: "b", weight: 1, subject: "Quick idea", body: "Hi {{firstName|there}}, an idea." },
      ],
    },
    { x: 250, y: 750 },
  )
  .node("replied-inmail", "if_replied", { withinDays: 3 }, { x: 250, y: 900 })
  .node("revisit", "visit", {}, { x: 250, y: 1050 })
  .node("end-replied", "end", { outcome: "replied" }, { x: -400, y: 1350 })
  .node("end-no-answer", "end", { outcome: "no answer" }, { x: 0, y: 1350 })
  .node("end-not-sent", "end", { outcome: "InMail not sent" }, { x: 450, y: 900 })
  .chain("start", "visit", "follow", "connect", "accepted")
  .edge("accepted", "yes", "thanks")
  .edge("accepted", "no", "inmail")
  .chain("thanks", "pause", "replied")
  .edge("replied", "yes", "end-replied")
  .edge("replied", "no", "nudge")
  .chain("nudge", "end-no-answer")
  .edge("inmail", "sent", "replied-inmail")
  .edge("inmail", "not_sent", "end-not-sent")
  .edge("replied-inmail", "yes", "end-replied")
  .edge("replied-inmail", "no", "revisit")
  .chain("revisit", "end-no-answer")
  .build();

const START = new Date("2026-03-02T07:00:00Z"); // a Monday

const emptyDay = (): Record<string, number> => ({
  ...byActionKind(() => 0),
  accepted: 0,
  replied: 0,
});
const DAY = 24 * 60 * 60 * 1000;
const LEADS = 48;

/**
 * Every figure of the dashboard, computed from the sandbox's own record of what it received
 * and from the raw rows, by plain iteration: none of the read model's SQL or folding.
 */
async function expectedFigures(database: TestDatabase, run: SimulationRun) {
  const { db } = database;
  const enrollments = await db
    .select()
    .from(enrollment)
    .where(eq(enrollment.campaignId, run.campaignId));
  const steps = await db
    .select()
    .from(enrollmentStep)
    .where(
      inArray(
        enrollmentStep.enrollmentId,
        enrollments.map((e) => e.id),
      ),
    );
  const actions = await db.select().from(action).where(eq(action.campaignId, run.campaignId));
  const leads = await db.select().from(lead).where(eq(lead.workspaceId, run.workspaceId));
  const accounts = await db
    .select()
    .from(senderAccount)
    .where(eq(senderAccount.workspaceId, run.workspaceId));
  const events = await db
    .select()
    .from(inboundEvent)
    .where(eq(inboundEvent.workspaceId, run.workspaceId));
  const received = await run.world.received();
  const [version] = await db
    .select()
    .from(workflowVersion)
    .where(eq(workflowVersion.campaignId, run.campaignId));
  const graph = version!.graph as typeof GRAPH;

  const leadById = new Map(leads.map((l) => [l.id, l]));
  const accountByProviderId = new Map(accounts.map((a) => [a.providerAccountId, a.id]));
  const leadByIdentifier = new Map(leads.map((l) => [l.publicIdentifier, l.id]));
  const enrollmentOf = new Map(enrollments.map((e) => [`${e.leadId}|${e.accountId}`, e]));
  const actionByKey = new Map(actions.map((a) => [a.idempotencyKey, a]));

  // Nodes, from the enrollment rows (where leads stand) and the history (exits taken).
  const nodeFigures = new Map<
    string,
    {
      waiting: number;
      passed: number;
      finished: number;
      failed: number;
      removed: number;
      exits: Record<string, number>;
    }
  >();
  const nodeOf = (id: string) => {
    let figures = nodeFigures.get(id);
    if (!figures) {
      figures = { waiting: 0, passed: 0, finished: 0, failed: 0, removed: 0, exits: {} };
      nodeFigures.set(id, figures);
    }
    return figures;
  };
  for (const node of graph.nodes) nodeOf(node.id);
  for (const e of enrollments) {
    const figures = nodeOf(e.nodeId);
    if (e.state === "active") figures.waiting++;
    if (e.state === "done") figures.finished++;
    if (e.state === "failed") figures.failed++;
    if (e.state === "removed") figures.removed++;
  }
  for (const s of steps) {
    if (s.exit === null) continue;
    const figures = nodeOf(s.nodeId);
    figures.passed++;
    figures.exits[s.exit] = (figures.exits[s.exit] ?? 0) + 1;
  }

  // What was sent, per enrollment: the sent actions, each of which the sandbox LinkedIn received
  // (checked below against its own record).
  type Sent = { at: number; kind: string; note: boolean; nodeId: string; variant: string | null };
  const sentBy = new Map<string, Sent[]>();
  const daily = new Map<string, Record<string, number>>();
  const receivedKeys = new Set(received.map((r) => r.idempotencyKey));
  for (const row of actions) {
    if (row.status !== "sent") continue;
    if (!row.id.startsWith("late-")) expect(receivedKeys.has(row.idempotencyKey)).toBe(true);
    const list = sentBy.get(row.enrollmentId) ?? [];
    list.push({
      at: row.sentAt!.getTime(),
      kind: row.kind,
      note: row.kind === "connect" && row.hasText,
      nodeId: row.nodeId,
      variant: row.variant,
    });
    sentBy.set(row.enrollmentId, list);
    const day = daily.get(row.localDate) ?? emptyDay();
    day[row.kind] = (day[row.kind] ?? 0) + 1;
    daily.set(row.localDate, day);
  }
  for (const r of received) {
    const row = actionByKey.get(r.idempotencyKey);
    expect(row?.status).toBe("sent");
    expect(leadByIdentifier.get(r.leadPublicIdentifier)).toBe(row?.leadId);
    expect(accountByProviderId.get(r.providerAccountId)).toBe(row?.accountId);
  }
  // Acceptances and replies from the campaign's leads to their sender, per UTC date.
  for (const ev of events) {
    if (ev.type !== "accepted" && ev.type !== "replied") continue;
    if (!enrollmentOf.has(`${ev.leadId}|${ev.accountId}`)) continue;
    const date = ev.occurredAt.toISOString().slice(0, 10);
    const day = daily.get(date) ?? emptyDay();
    day[ev.type] = (day[ev.type] ?? 0) + 1;
    daily.set(date, day);
  }
  const eventsOf = (e: (typeof enrollments)[number], type: string) =>
    events
      .filter((ev) => ev.type === type && ev.leadId === e.leadId && ev.accountId === e.accountId)
      .map((ev) => ev.occurredAt.getTime());
  const first = (list: Sent[], keep: (s: Sent) => boolean) => {
    const times = list.filter(keep).map((s) => s.at);
    return times.length ? Math.min(...times) : null;
  };
  const funnel = { visited: 0, invited: 0, accepted: 0, messaged: 0, replied: 0, texted: 0 };
  for (const e of enrollments) {
    const sent = sentBy.get(e.id) ?? [];
    const invitedAt = first(sent, (s) => s.kind === "connect");
    const messagedAt = first(sent, (s) => s.kind === "message" || s.kind === "inmail");
    const textedAt = first(sent, (s) => s.note || s.kind === "message" || s.kind === "inmail");
    if (sent.some((s) => s.kind === "visit")) funnel.visited++;
    if (invitedAt !== null) funnel.invited++;
    if (invitedAt !== null && eventsOf(e, "accepted").some((t) => t >= invitedAt)) {
      funnel.accepted++;
    }
    if (messagedAt !== null) funnel.messaged++;
    if (textedAt !== null) funnel.texted++;
    if (textedAt !== null && eventsOf(e, "replied").some((t) => t >= textedAt)) funnel.replied++;
  }

  // A/B: who drew each variant (any settled action), who was sent it, who answered after.
  const variants = new Map<string, { drawn: Set<string>; sent: number; converted: number }>();
  for (const a of actions) {
    if (a.variant === null || a.status === "intent") continue;
    const key = `${a.nodeId}|${a.variant}`;
    const tally = variants.get(key) ?? { drawn: new Set<string>(), sent: 0, converted: 0 };
    tally.drawn.add(a.enrollmentId);
    variants.set(key, tally);
  }
  for (const e of enrollments) {
    const perVariant = new Map<string, number>();
    for (const s of sentBy.get(e.id) ?? []) {
      if (s.variant === null) continue;
      const key = `${s.nodeId}|${s.variant}`;
      perVariant.set(key, Math.min(perVariant.get(key) ?? s.at, s.at));
    }
    for (const [key, sentAt] of perVariant) {
      const tally = variants.get(key)!;
      tally.sent++;
      const nodeKind = graph.nodes.find((n) => n.id === key.split("|")[0])!.kind;
      const answers = eventsOf(e, nodeKind === "connect" ? "accepted" : "replied");
      if (answers.some((t) => t >= sentAt)) tally.converted++;
    }
  }

  const feed = [...actions]
    .sort(
      (a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )
    .slice(0, 30)
    .map((a) => {
      const l = leadById.get(a.leadId)!;
      return {
        id: a.id,
        lead: `${l.firstName} ${l.lastName}`.trim(),
        nodeId: a.nodeId,
        outcome: a.status,
        reason: a.reason ?? a.error,
        variant: a.variant,
      };
    });

  return {
    graph,
    nodes: nodeFigures,
    enrollments: {
      enrolled: enrollments.length,
      active: enrollments.filter((e) => e.state === "active").length,
      finished: enrollments.filter((e) => e.state === "done").length,
      failed: enrollments.filter((e) => e.state === "failed").length,
      removed: enrollments.filter((e) => e.state === "removed").length,
    },
    funnel,
    variants,
    daily: [...daily.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, kinds]) => ({ date, ...kinds })),
    feed,
    actions,
    received,
  };
}

/** Checks every figure the API answered against the independent expectations. */
function expectFigures(
  body: CampaignDashboard,
  expected: Awaited<ReturnType<typeof expectedFigures>>,
) {
  expect(body.enrollments).toEqual(expected.enrollments);
  const nodes = Object.fromEntries(
    body.nodes.map((n) => [
      n.nodeId,
      {
        waiting: n.waiting,
        passed: n.passed,
        finished: n.finished,
        failed: n.failed,
        removed: n.removed,
        exits: Object.fromEntries(n.exits.filter((x) => x.count > 0).map((x) => [x.exit, x.count])),
      },
    ]),
  );
  expect(nodes).toEqual(Object.fromEntries(expected.nodes));

  const f = expected.funnel;
  expect(body.funnel).toEqual([
    { stage: "enrolled", label: "Enrolled", leads: expected.enrollments.enrolled },
    { stage: "visited", label: "Visited", leads: f.visited },
    { stage: "invited", label: "Invited", leads: f.invited },
    { stage: "accepted", label: "Accepted", leads: f.accepted },
    { stage: "messaged", label: "Messaged", leads: f.messaged },
    { stage: "replied", label: "Replied", leads: f.replied },
  ]);
  expect(body.rates).toEqual({
    acceptance: f.invited ? f.accepted / f.invited : null,
    reply: f.texted ? f.replied / f.texted : null,
    texted: f.texted,
  });
  expect(body.daily).toEqual(expected.daily);

  const graphOrder = expected.graph.nodes.map((n) => n.id);
  const expectedVariants = [...expected.variants.entries()]
    .map(([key, tally]) => {
      const [nodeId = "", variant = ""] = key.split("|");
      const node = expected.graph.nodes.find((n) => n.id === nodeId)!;
      const config = node.config as {
        noteVariants?: { id: string }[];
        variants?: { id: string }[];
      };
      const index = (config.noteVariants ?? config.variants ?? []).findIndex(
        (v) => v.id === variant,
      );
      return {
        nodeId,
        variant,
        letter: variantLetter(index),
        metric: node.kind === "connect" ? "accepted" : "replied",
        drawn: tally.drawn.size,
        sent: tally.sent,
        converted: tally.converted,
        rate: tally.sent ? tally.converted / tally.sent : null,
      };
    })
    .sort(
      (a, b) =>
        graphOrder.indexOf(a.nodeId) - graphOrder.indexOf(b.nodeId) ||
        a.letter.localeCompare(b.letter),
    );
  expect(body.variants.map(({ node: _n, preview: _p, ...v }) => v)).toEqual(expectedVariants);

  expect(
    body.feed.map((a) => ({
      id: a.id,
      lead: a.lead.name,
      nodeId: a.nodeId,
      outcome: a.outcome,
      reason: a.reason,
      variant: a.variant,
    })),
  ).toEqual(expected.feed);
  for (const a of body.feed) {
    const node = expected.graph.nodes.find((n) => n.id === a.nodeId)!;
    expect(a.node).toBe(findNodeDefinition(node.kind)!.summarize(node.config));
  }
}

describe.each(BACKENDS)("the campaign dashboard on %s", (backend) => {
  // The group below opens a database of its own (prepare); a test that changes rows checks
  // only what its change does, so no test reads what another left.
  let database: TestDatabase;
  let run: SimulationRun;
  let ada: { cookie: string };
  let bob: { cookie: string };

  async function dashboard(cookie = ada.cookie) {
    const response = await call(dashboardRoute.GET, `/api/campaigns/${run.campaignId}/dashboard`, {
      cookie,
      params: { campaignId: run.campaignId },
    });
    return { status: response.status, body: (await response.json()) as CampaignDashboard };
  }

  async function exportCsv(campaignId: string, cookie = ada.cookie) {
    const response = await call(exportRoute.GET, `/api/campaigns/${campaignId}/export`, {
      cookie,
      params: { campaignId },
    });
    return { response, text: await response.text() };
  }

  /** A new database with the campaign launched and nothing run yet; Ada owns its workspace. */
  async function prepare() {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    run = await prepareSimulation(database, {
      graph: GRAPH,
      accounts: [
        { id: "dash-paris", pacing: { timeZone: "Europe/Paris", warmup: { startDate: null } } },
        { id: "dash-ny", pacing: { timeZone: "America/New_York", warmup: { startDate: null } } },
      ],
      pool: { plan: "sales_navigator_core", balance: 6 },
      leads: Array.from({ length: LEADS }, (_, i) => ({
        publicIdentifier: `dash-lead-${i}`,
        firstName: `Lead${i}`,
        lastName: "Example",
        company: `Company ${i % 5}`,
      })),
      seed: "dashboard-test",
      start: START,
      days: 3,
      sandbox: {
        defaults: {
          acceptance: { probability: 0.5, maxDelayHours: 72 },
          reply: { afterMessage: 0.5, afterInmail: 0.4, afterNote: 0.2, maxDelayHours: 48 },
        },
      },
    });
    // Ada owns the simulation's workspace; Bob has one of his own.
    ada = await signUp("Ada Lovelace", `ada-${backend}@example.com`);
    bob = await signUp("Bob Byron", `bob-${backend}@example.com`);
    const [adaUser] = await database.db
      .select({ id: user.id })
      .from(user)
      .where(eq(user.email, `ada-${backend}@example.com`));
    const adaUserId = adaUser!.id;
    await database.db.insert(member).values({
      id: randomUUID(),
      organizationId: run.workspaceId,
      userId: adaUserId,
      role: "owner",
    });
    const switched = await call(switchRoute.POST, "/api/workspaces/active", {
      method: "POST",
      cookie: ada.cookie,
      body: { workspaceId: run.workspaceId },
    });
    expect(switched.status).toBe(200);
  }

  /**
   * After the first 3 days: three leads are taken out, two new ones come in, and the engine runs
   * on to day 16; `check` runs after the change and after each stretch of days.
   */
  async function carryOn(check: () => Promise<void> = async () => {}) {
    const someone = await database.db
      .select({ leadId: enrollment.leadId })
      .from(enrollment)
      .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.state, "active")))
      .limit(3);
    for (const { leadId } of someone) {
      const removed = await call(
        removeLeadRoute.DELETE,
        `/api/campaigns/${run.campaignId}/leads/${leadId}`,
        { method: "DELETE", cookie: ada.cookie, params: { campaignId: run.campaignId, leadId } },
      );
      expect(removed.status).toBe(200);
    }
    const late = await upsertLeads(database.db, run.workspaceId, [
      { publicIdentifier: "dash-late-1", firstName: "Late", lastName: "One" },
      { publicIdentifier: "dash-late-2", firstName: "Late", lastName: "Two" },
    ]);
    await enrollLeads(database.db, run.workspaceId, run.campaignId, late, {
      now: run.clock.now(),
    });
    await check();

    for (const day of [6, 10, 16]) {
      run.end = new Date(START.getTime() + day * DAY);
      await runSimulation(database, run);
      await check();
    }
  }

  describe("over 16 days, leads removed and added on the way", () => {
    /** What the dashboard answered, and what the rows say, at each stage of the run. */
    const stages: Array<{
      status: number;
      body: CampaignDashboard;
      expected: Awaited<ReturnType<typeof expectedFigures>>;
    }> = [];
    const record = async () => {
      const { status, body } = await dashboard();
      stages.push({ status, body, expected: await expectedFigures(database, run) });
    };

    // One run for the whole group: the figures of each stage are read as the engine goes on and
    // checked by the tests below; the other tests read the run's end.
    beforeAll(async () => {
      await prepare();
      await runSimulation(database, run);
      await record();
      await carryOn(record);
    }, 240_000);

    afterAll(async () => {
      await database?.destroy();
    });

    it("answers every figure exactly, from a cold start, after 3 days on the virtual clock", () => {
      const { status, body, expected } = stages[0]!;
      expect(status).toBe(200);
      expect(expected.received.length).toBeGreaterThan(LEADS);
      expectFigures(body, expected);
      // The published graph, read-only, at the saved positions.
      expect(body.graph?.nodes.map((n) => [n.id, n.position])).toEqual(
        GRAPH.nodes.map((n) => [n.id, n.position]),
      );
      expect(body.graph?.edges).toHaveLength(GRAPH.edges.length);
      expect(body.campaign).toMatchObject({ id: run.campaignId, status: "running" });
    });

    it("follows the engine as it goes on, leads removed and added on the way, then folds it all in", () => {
      // After the change, then after days 6, 10 and 16.
      expect(stages).toHaveLength(5);
      for (const { body, expected } of stages.slice(1)) expectFigures(body, expected);
      const finalExpected = stages.at(-1)!.expected;
      expect(finalExpected.funnel.accepted).toBeGreaterThan(0);
      expect(finalExpected.funnel.replied).toBeGreaterThan(0);
      expect(finalExpected.enrollments.removed).toBe(3);
      expect(finalExpected.nodes.get("end-not-sent")!.finished).toBeGreaterThan(0);
    });

    it("counts an action left as an intent only once it settles", async () => {
      const before = await expectedFigures(database, run);
      const sentMessage = before.actions.find(
        (a) => a.kind === "message" && a.status === "sent" && a.variant !== null,
      )!;
      const variantSent = (body: CampaignDashboard) =>
        body.variants.find(
          (v) => v.nodeId === sentMessage.nodeId && v.variant === sentMessage.variant,
        )!.sent;
      const messagesOn = (body: CampaignDashboard) =>
        body.daily.find((d) => d.date === sentMessage.localDate)!.message;
      const settled = (await dashboard()).body;
      // As a crashed worker leaves it: written, not yet known to have reached LinkedIn.
      await database.db
        .update(action)
        .set({ status: "intent", sentAt: null })
        .where(eq(action.id, sentMessage.id));
      const waiting = (await dashboard()).body;
      expect(messagesOn(waiting)).toBe(messagesOn(settled) - 1);
      expect(variantSent(waiting)).toBe(variantSent(settled) - 1);
      await database.db
        .update(action)
        .set({ status: "sent", sentAt: sentMessage.sentAt })
        .where(eq(action.id, sentMessage.id));
      const after = (await dashboard()).body;
      expect(messagesOn(after)).toBe(messagesOn(settled));
      expectFigures(after, await expectedFigures(database, run));
    });

    it("counts a row whatever its time and however late it commits, the same in every process", async () => {
      // An invitation sent weeks ago, written only now, to a lead never invited, accepted since.
      const [newcomer] = await upsertLeads(database.db, run.workspaceId, [
        { publicIdentifier: `dash-newcomer-${backend}`, firstName: "New", lastName: "Comer" },
      ]);
      await enrollLeads(database.db, run.workspaceId, run.campaignId, [newcomer!], {
        now: run.clock.now(),
      });
      const [target] = await database.db
        .select()
        .from(enrollment)
        .where(and(eq(enrollment.campaignId, run.campaignId), eq(enrollment.leadId, newcomer!)));
      if (!target) throw new Error("the newcomer was not enrolled");
      const before = await expectedFigures(database, run);
      const sentAt = new Date(START.getTime() - 20 * DAY);
      const write = async (db: typeof database.db) => {
        await db.insert(action).values({
          id: `late-${backend}`,
          workspaceId: run.workspaceId,
          idempotencyKey: `late-${backend}`,
          enrollmentId: target.id,
          campaignId: run.campaignId,
          leadId: target.leadId,
          accountId: target.accountId,
          nodeId: "connect",
          kind: "connect",
          hasText: true,
          branch: "",
          variant: "a",
          status: "sent",
          localDate: sentAt.toISOString().slice(0, 10),
          createdAt: sentAt,
          sentAt,
        });
        await db.insert(inboundEvent).values({
          workspaceId: run.workspaceId,
          provider: "sandbox",
          externalId: `late-accept-${backend}`,
          type: "accepted",
          providerAccountId: `late-${backend}`,
          accountId: target.accountId,
          leadId: target.leadId,
          occurredAt: new Date(sentAt.getTime() + DAY),
          receivedAt: new Date(sentAt.getTime() + DAY),
        });
      };
      if (database.url) {
        // PostgreSQL: the rows are written in a transaction of another connection that stays
        // open while this process reads, and commit seconds later.
        const other = await openDatabase({ kind: "postgres", url: database.url });
        const second = await openDatabase({ kind: "postgres", url: database.url });
        try {
          let release = () => {};
          const held = new Promise<void>((resolve) => {
            release = resolve;
          });
          let written = () => {};
          const wrote = new Promise<void>((resolve) => {
            written = resolve;
          });
          const transaction = other.db.transaction(async (tx) => {
            await write(tx as unknown as typeof database.db);
            written();
            await held;
          });
          await wrote;
          const during = (await dashboard()).body;
          expect(during.funnel.find((f) => f.stage === "invited")!.leads).toBe(
            before.funnel.invited,
          );
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          release();
          await transaction;
          const expected = await expectedFigures(database, run);
          expect(expected.actions.length).toBe(before.actions.length + 1);
          expect(expected.funnel.invited).toBe(before.funnel.invited + 1);
          expect(expected.funnel.accepted).toBe(before.funnel.accepted + 1);
          expectFigures((await dashboard()).body, expected);
          // Another process, with its own connections, reads the same figures.
          installProcessDatabase(second);
          try {
            expectFigures((await dashboard()).body, expected);
          } finally {
            installProcessDatabase(database);
          }
        } finally {
          await other.close();
          await second.close();
        }
      } else {
        await write(database.db);
        const expected = await expectedFigures(database, run);
        expect(expected.funnel.invited).toBe(before.funnel.invited + 1);
        expect(expected.funnel.accepted).toBe(before.funnel.accepted + 1);
        expectFigures((await dashboard()).body, expected);
      }
    });

    it("keeps another workspace's campaign out of reach: 404, nothing read", async () => {
      const { status, body } = await dashboard(bob.cookie);
      expect(status).toBe(404);
      expect(body).toMatchObject({ error: { code: "not_found" } });
      const exported = await exportCsv(run.campaignId, bob.cookie);
      expect(exported.response.status).toBe(404);
      const list = await call(campaignsRoute.GET, "/api/campaigns", { cookie: bob.cookie });
      expect((await list.json()).campaigns).toEqual([]);
    });

    it("lists the campaign with the dashboard's rates and its credits used", async () => {
      const list = await call(campaignsRoute.GET, "/api/campaigns", { cookie: ada.cookie });
      const { campaigns } = await list.json();
      expect(campaigns).toHaveLength(1);
      const expected = await expectedFigures(database, run);
      const f = expected.funnel;
      const inmailsPaid = expected.actions.filter(
        (a) => a.kind === "inmail" && a.status === "sent",
      );
      const refunds = await database.db
        .select()
        .from(creditRefund)
        .where(eq(creditRefund.workspaceId, run.workspaceId));
      const refunded = refunds.filter(
        (r) => r.postedAt !== null && inmailsPaid.some((a) => a.id === r.actionId),
      ).length;
      expect(campaigns[0]).toMatchObject({
        id: run.campaignId,
        status: "running",
        counts: {
          enrolled: expected.enrollments.enrolled,
          active: expected.enrollments.active,
          done: expected.enrollments.finished,
        },
        figures: {
          invited: f.invited,
          accepted: f.accepted,
          texted: f.texted,
          replied: f.replied,
          acceptanceRate: f.accepted / f.invited,
          replyRate: f.replied / f.texted,
          creditsUsed: inmailsPaid.reduce((sum, a) => sum + a.credits, 0) - refunded,
        },
      });
      expect(campaigns[0].accounts.map((a: { name: string }) => a.name).sort()).toEqual([
        "dash-ny",
        "dash-paris",
      ]);
    });

    it("exports every enrollment as CSV: status, current step, branch, path and outcome", async () => {
      const { response, text } = await exportCsv(run.campaignId);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/csv");
      expect(response.headers.get("content-disposition")).toContain("simulation-enrollments.csv");
      const parsed = Papa.parse<Record<string, string>>(text, {
        header: true,
        skipEmptyLines: true,
      });
      expect(parsed.errors).toEqual([]);
      const expected = await expectedFigures(database, run);
      expect(parsed.data).toHaveLength(expected.enrollments.enrolled);
      const rows = await database.db
        .select({ e: enrollment, identifier: lead.publicIdentifier })
        .from(enrollment)
        .innerJoin(lead, eq(lead.id, enrollment.leadId))
        .where(eq(enrollment.campaignId, run.campaignId));
      const byIdentifier = new Map(parsed.data.map((row) => [row.public_identifier, row]));
      const statusWord = {
        active: "in progress",
        done: "finished",
        failed: "failed",
        removed: "removed",
      };
      for (const { e, identifier } of rows) {
        const row = byIdentifier.get(identifier)!;
        expect(row.status).toBe(statusWord[e.state as keyof typeof statusWord]);
        expect(row.outcome).toBe(e.outcome ?? "");
        const node = GRAPH.nodes.find((n) => n.id === e.nodeId)!;
        expect(row.current_step).toBe(findNodeDefinition(node.kind)!.summarize(node.config));
      }
      // A lead who was not accepted and got an InMail took that branch, and its path says so.
      const inmailed = expected.actions.find((a) => a.kind === "inmail" && a.status === "sent");
      if (inmailed) {
        const identifier = rows.find((r) => r.e.id === inmailed.enrollmentId)!.identifier;
        expect(byIdentifier.get(identifier)!.branch).toContain("Not accepted within 4 days");
        expect(byIdentifier.get(identifier)!.path).toContain(
          "If accepted within 4 days (not accepted)",
        );
      }
    });

    it("neutralises cells that a spreadsheet would run as formulas", async () => {
      const hostile = [
        { publicIdentifier: "formula-eq", firstName: '=HYPERLINK("http://evil.example","x")' },
        { publicIdentifier: "formula-plus", firstName: "+33 1 23 45 67 89" },
        { publicIdentifier: "formula-minus", firstName: "-2+3" },
        { publicIdentifier: "formula-at", firstName: "@SUM(A1:A9)" },
        { publicIdentifier: "formula-tab", firstName: "\t=1+1" },
        { publicIdentifier: "formula-lines", firstName: "=1+1\n=2+2" },
        { publicIdentifier: "formula-none", firstName: "Grace", lastName: "a=b" },
      ];
      const ids = await upsertLeads(database.db, run.workspaceId, hostile);
      await enrollLeads(database.db, run.workspaceId, run.campaignId, ids, {
        now: run.clock.now(),
      });
      const { text } = await exportCsv(run.campaignId);
      const parsed = Papa.parse<Record<string, string>>(text, {
        header: true,
        skipEmptyLines: true,
      });
      const first = (identifier: string) =>
        parsed.data.find((row) => row.public_identifier === identifier)!.first_name;
      expect(first("formula-eq")).toBe(`'=HYPERLINK("http://evil.example","x")`);
      expect(first("formula-plus")).toBe("'+33 1 23 45 67 89");
      expect(first("formula-minus")).toBe("'-2+3");
      expect(first("formula-at")).toBe("'@SUM(A1:A9)");
      expect(first("formula-tab")).toBe("'\t=1+1");
      expect(first("formula-lines")).toBe("'=1+1\n=2+2");
      expect(first("formula-none")).toBe("Grace");
      expect(parsed.data.find((row) => row.public_identifier === "formula-none")!.last_name).toBe(
        "a=b",
      );
      // No cell of the whole file starts a formula.
      for (const row of Papa.parse<string[]>(text, { skipEmptyLines: true }).data) {
        for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    });
  });
});

describe("CSV lines", () => {
  it("quotes separators, quotes and line breaks, and escapes formula starts", () => {
    expect(csvLines([["a,b", 'say "hi"', "line\nbreak", "=1", "plain"]])).toBe(
      '"a,b","say ""hi""","line\nbreak","\'=1",plain\r\n',
    );
    expect(csvLines([])).toBe("");
  });
});
