import { and, eq, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCampaign,
  createCreditPool,
  createSenderAccount,
  enrollLeads,
  upsertLeads,
} from "@/db/queries/launch";
import { campaign, enrollment, senderAccount, usageCounter } from "@/db/schema/index";
import { signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { starterTemplates } from "@/workflows/templates/index";
import { listCampaignLeads } from "../../server/campaigns/list-campaign-leads";
import { type Caller, resolveCaller } from "../../server/http/guard";
import { listLeadRows } from "./leads";
import { type WaitingEnrollment, waitingReasonsOf } from "./waiting";

// Monday 2 March 2026, 11:00 in Paris.
const NOW = new Date("2026-03-02T10:00:00Z");
const graph = starterTemplates.find((t) => t.id === "connect-then-inmail")!.graph;

describe.each(BACKENDS)("why leads wait, read from %s", (backend) => {
  let database: TestDatabase;
  let ws: string;
  let seatId: string;
  let rows: WaitingEnrollment[];
  let caller: Caller;
  let campaignId: string;

  /** The enrollments `where` picks, by queue key, with what waitingReasonsOf is given of them. */
  const enrollmentsWhere = (where: SQL) =>
    database.db
      .select({
        id: enrollment.id,
        accountId: enrollment.accountId,
        queueKey: enrollment.queueKey,
        versionId: enrollment.versionId,
      })
      .from(enrollment)
      .where(where)
      .orderBy(enrollment.queueKey);

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const { cookie } = await signUp("Wanda Wait", "wanda@example.com");
    caller = await resolveCaller(new Headers({ cookie }));
    ws = caller.workspace.workspaceId;
    const poolId = await createCreditPool(database.db, ws, {
      name: "Sales Navigator",
      plan: "sales_navigator_core",
      renewalDay: 15,
      balance: 0,
      at: NOW,
    });
    seatId = await createSenderAccount(database.db, ws, {
      name: "Alice",
      provider: "sandbox",
      providerAccountId: "alice-wait",
      pacing: { timeZone: "Europe/Paris", warmup: { startDate: null } },
      creditPoolId: poolId,
    });
    ({ campaignId } = await createCampaign(database.db, ws, {
      name: "Waits",
      graph,
      accountIds: [seatId],
      seed: "waits",
    }));
    const leadIds = await upsertLeads(
      database.db,
      ws,
      ["ada", "bob", "cy", "dee"].map((id) => ({ publicIdentifier: `wait-${id}` })),
    );
    await enrollLeads(database.db, ws, campaignId, leadIds, { now: NOW });
    const enrolled = await enrollmentsWhere(eq(enrollment.workspaceId, ws));
    const place = [
      { nodeId: "accepted", nextRunAt: new Date("2026-03-09T10:00:00Z") },
      { nodeId: "connect", nextRunAt: new Date("2026-03-02T09:00:00Z") },
      { nodeId: "connect", nextRunAt: new Date("2026-03-02T09:30:00Z") },
      { nodeId: "inmail", nextRunAt: new Date("2026-03-02T09:45:00Z") },
    ];
    rows = [];
    for (const [i, e] of enrolled.entries()) {
      const at = place[i]!;
      await database.db.update(enrollment).set(at).where(eq(enrollment.id, e.id));
      rows.push({ ...e, ...at });
    }
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("gives each active lead its reason in the seat's zone, in one batch", async () => {
    const reasons = await waitingReasonsOf(database.db, ws, rows, NOW);
    expect(rows.map((r) => reasons.get(r.id)?.text)).toEqual([
      "Waiting for acceptance until Mon 9 Mar, 11:00 (Europe/Paris)",
      "Due now",
      "Queued behind 1 send on seat Alice",
      "Credit pool empty until the renewal on Sun 15 Mar, 01:00 (Europe/Paris)",
    ]);
  });

  it("counts places in each seat's queue up to 100, whichever leads of the seat are asked about", async () => {
    const beaId = await createSenderAccount(database.db, ws, {
      name: "Bea",
      provider: "sandbox",
      providerAccountId: "bea-queue",
      pacing: { timeZone: "Europe/Paris", warmup: { startDate: null } },
    });
    const queue = await createCampaign(database.db, ws, {
      name: "Queue",
      graph,
      accountIds: [beaId],
      seed: "queue",
    });
    const leadIds = await upsertLeads(
      database.db,
      ws,
      Array.from({ length: 103 }, (_, i) => ({
        publicIdentifier: `queue-${String(i).padStart(3, "0")}`,
      })),
    );
    await enrollLeads(database.db, ws, queue.campaignId, leadIds, { now: NOW });
    const queued = await enrollmentsWhere(eq(enrollment.campaignId, queue.campaignId));
    // All due at the invitation, a minute apart: the i-th has i sends before it on Bea.
    const asked: WaitingEnrollment[] = [];
    for (const [i, e] of queued.entries()) {
      const at = {
        nodeId: "connect",
        nextRunAt: new Date(NOW.getTime() - (queued.length - i) * 60_000),
      };
      await database.db.update(enrollment).set(at).where(eq(enrollment.id, e.id));
      asked.push({ ...e, ...at });
    }
    const places = [102, 0, 57, 1, 99, 100, 2];
    const reasons = await waitingReasonsOf(
      database.db,
      ws,
      [...places.map((i) => asked[i]!), rows[2]!],
      NOW,
    );
    expect(places.map((i) => reasons.get(asked[i]!.id)?.text)).toEqual([
      "Queued behind 100+ sends on seat Bea",
      "Due now",
      "Queued behind 57 sends on seat Bea",
      "Queued behind 1 send on seat Bea",
      "Queued behind 99 sends on seat Bea",
      "Queued behind 100+ sends on seat Bea",
      "Queued behind 2 sends on seat Bea",
    ]);
    // Alice's queue is her own: Bea's sends do not count before her leads.
    expect(reasons.get(rows[2]!.id)?.text).toBe("Queued behind 1 send on seat Alice");
    // Asked about alone, the last lead still counts the sends before it.
    const alone = await waitingReasonsOf(database.db, ws, [asked[57]!], NOW);
    expect(alone.get(asked[57]!.id)?.text).toBe("Queued behind 57 sends on seat Bea");
  });

  it("reads today's usage against the cap in force", async () => {
    await database.db
      .insert(usageCounter)
      .values({ accountId: seatId, localDate: "2026-03-02", kind: "connect", used: 25 });
    const reasons = await waitingReasonsOf(database.db, ws, rows, NOW);
    expect(reasons.get(rows[1]!.id)?.text).toBe(
      "Today's cap for invitations is full (25/25), next place Tue 3 Mar, 09:00 (Europe/Paris)",
    );
    await database.db
      .delete(usageCounter)
      .where(and(eq(usageCounter.accountId, seatId), eq(usageCounter.kind, "connect")));
  });

  it("reads the seat's status", async () => {
    await database.db
      .update(senderAccount)
      .set({ status: "needs_reconnect" })
      .where(eq(senderAccount.id, seatId));
    const reasons = await waitingReasonsOf(database.db, ws, rows, NOW);
    expect(reasons.get(rows[2]!.id)?.text).toBe("Seat Alice needs reconnecting");
    await database.db
      .update(senderAccount)
      .set({ status: "active" })
      .where(eq(senderAccount.id, seatId));
  });

  it("says a paused campaign's due leads wait for it; a lead on a timer still reads its timer", async () => {
    const [before] = await database.db
      .select({ status: campaign.status })
      .from(campaign)
      .where(eq(campaign.id, campaignId));
    await database.db.update(campaign).set({ status: "paused" }).where(eq(campaign.id, campaignId));
    try {
      const reasons = await waitingReasonsOf(database.db, ws, rows, NOW);
      expect(reasons.get(rows[0]!.id)?.text).toMatch(/^Waiting for acceptance until /);
      for (const row of rows.slice(1)) expect(reasons.get(row.id)?.text).toBe("Campaign paused");
      // The lead list marks the campaign paused on each of its leads' badges.
      const list = await listLeadRows(database.db, ws, { limit: 1000, offset: 0 });
      const refs = list.rows.flatMap((row) => row.campaigns);
      expect(refs.filter((ref) => ref.campaignId === campaignId).length).toBe(rows.length);
      for (const ref of refs) expect(ref.paused).toBe(ref.campaignId === campaignId);
    } finally {
      await database.db
        .update(campaign)
        .set({ status: before!.status })
        .where(eq(campaign.id, campaignId));
    }
  });

  it("lists the same page, details and reasons in one statement (no filter) as in two (a filter)", async () => {
    const all = await listLeadRows(database.db, ws, { limit: 1000, offset: 0, waitingAt: NOW });
    const ids = all.rows.map((row) => row.id);
    expect(ids.length).toBeGreaterThanOrEqual(rows.length);
    const filtered = await listLeadRows(database.db, ws, {
      limit: 1000,
      offset: 0,
      waitingAt: NOW,
      leadIds: ids,
    });
    expect(all.rows).toEqual(filtered.rows);
    expect(all.total).toBe(filtered.total);
    expect(all.waiting.size).toBeGreaterThan(0);
    expect([...all.waiting].sort()).toEqual([...filtered.waiting].sort());
    // After a position, as the API's cursor reads the list.
    const first = await listLeadRows(database.db, ws, { limit: 2, offset: 0, waitingAt: NOW });
    const after = first.rows.at(-1)!.position;
    const next = await listLeadRows(database.db, ws, {
      limit: 2,
      offset: 0,
      after,
      waitingAt: NOW,
    });
    const nextFiltered = await listLeadRows(database.db, ws, {
      limit: 2,
      offset: 0,
      after,
      waitingAt: NOW,
      leadIds: ids,
    });
    expect(next.rows.map((row) => row.id)).toEqual(ids.slice(2, 4));
    expect(next.rows).toEqual(nextFiltered.rows);
    expect([...next.waiting].sort()).toEqual([...nextFiltered.waiting].sort());
    expect(next.waiting.size).toBeGreaterThan(0);
  });

  it("tells nothing about enrollments whose seat is in another workspace", async () => {
    const reasons = await waitingReasonsOf(database.db, "another-workspace", rows, NOW);
    expect(reasons.size).toBe(0);
  });

  it("shows the reasons in the campaign's leads table, and none for a lead that ended", async () => {
    await database.db
      .update(enrollment)
      .set({ state: "done", outcome: "done" })
      .where(eq(enrollment.id, rows[3]!.id));
    // The page reads the real clock: a window far ahead is still open whenever this runs.
    await database.db
      .update(enrollment)
      .set({ nextRunAt: new Date("2099-06-01T10:00:00Z") })
      .where(eq(enrollment.id, rows[0]!.id));
    const { leads } = await listCampaignLeads(caller, { campaignId, limit: 100 });
    const byEnrollment = new Map(leads.map((l) => [l.enrollmentId, l.waiting]));
    expect(byEnrollment.get(rows[0]!.id)).toBe(
      "Waiting for acceptance until Mon 1 Jun, 12:00 (Europe/Paris)",
    );
    expect(byEnrollment.get(rows[3]!.id)).toBeNull();
    expect(leads[0]).not.toHaveProperty("accountId");
  });
});
