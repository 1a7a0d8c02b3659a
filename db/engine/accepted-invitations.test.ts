import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { reserveRequest } from "@/test/reserve-request";
import type { EnrollmentContext } from "@/workflows/engine/ports";
import { buildGraph } from "@/workflows/graph/builder";
import { queryRows } from "../client";
import { action } from "../schema/index";
import { ingestEvent } from "./events";
import {
  createInvitationStore,
  pendingInvitationCounts,
  pendingUpToCeilingSql,
} from "./invitations";
import { prepareSimulation, type SimulationRun } from "./simulation";
import { createEngineStore } from "./store";

// An acceptance takes its invitation out of the seat's pending set whichever is written first:
// the acceptance after the invitation, or the acceptance before the invitation's intent. Each
// test starts from a workspace and a seat of its own, the three leads claimed and nothing sent.

const START = new Date("2026-03-02T08:00:00Z");
const GRAPH = buildGraph()
  .node("start", "start")
  .node("connect", "connect")
  .node("end", "end", { outcome: "finished" })
  .chain("start", "connect", "end")
  .build();

const INVITATION = { nodeId: "connect", kind: "connect", gapMs: 0 } as const;

describe.each(BACKENDS)("accepted invitations on %s", (backend) => {
  let handle: TestDatabase;
  let run: SimulationRun;
  let contexts: EnrollmentContext[];
  const now = new Date(START.getTime() + 60_000);
  const owner = "acceptance-test";
  let seat = "";
  let seats = 0;

  beforeAll(async () => {
    handle = await createTestDatabase(backend);
  }, 120_000);
  afterAll(async () => {
    await handle?.destroy();
  });
  beforeEach(async () => {
    seats += 1;
    seat = `acct-accept-${seats}`;
    run = await prepareSimulation(handle, {
      graph: GRAPH,
      accounts: [{ id: seat, pacing: { timeZone: "UTC", priorities: false } }],
      leads: ["ada", "grace", "hedy"].map((publicIdentifier) => ({ publicIdentifier })),
      seed: "acceptance-test",
      start: START,
      days: 1,
    });
    contexts = (
      await createEngineStore(handle.db).claimDue({ now, owner, leaseMs: 60_000, limit: 100 })
    ).filter((c) => c.enrollment.workspaceId === run.workspaceId);
  }, 120_000);

  const accountId = () => run.accountIds.get(seat)!;
  const contextOf = (publicIdentifier: string) =>
    contexts.find((c) => c.lead.publicIdentifier === publicIdentifier)!;
  const accept = (publicIdentifier: string, at: Date) =>
    ingestEvent(
      handle.db,
      "sandbox",
      {
        externalId: `accepted:${publicIdentifier}:${at.toISOString()}`,
        type: "accepted",
        providerAccountId: seat,
        leadPublicIdentifier: publicIdentifier,
        occurredAt: at,
      },
      at,
    );
  const sendInvitation = async (publicIdentifier: string, eventsSeen: number) => {
    const context = contextOf(publicIdentifier);
    const flushed = await createEngineStore(handle.db).flush({
      owner,
      ops: [
        { type: "reserve", request: reserveRequest(context, owner, now, eventsSeen, INVITATION) },
      ],
      events: [],
    });
    expect(flushed.results.map((r) => r.type)).toEqual(["reserved"]);
    await handle.db
      .update(action)
      .set({ status: "sent", sentAt: now })
      .where(eq(action.enrollmentId, context.enrollment.id));
  };
  const pending = async () =>
    (await pendingInvitationCounts(handle.db, [accountId()])).get(accountId()) ?? 0;
  const acceptedAt = async (publicIdentifier: string) => {
    const rows = await handle.db
      .select({ acceptedAt: action.acceptedAt })
      .from(action)
      .where(
        and(eq(action.leadId, contextOf(publicIdentifier).lead.id), eq(action.kind, "connect")),
      );
    return rows.map((r) => r.acceptedAt);
  };

  /** Grace's invitation pending; Hedy, who accepted before hers was written, accepted. */
  const graceAndHedy = async () => {
    await sendInvitation("grace", 0);
    expect(await accept("hedy", START)).toBe("stored");
    await sendInvitation("hedy", 1);
  };

  it("counts two invitations sent and not yet answered as pending", async () => {
    await sendInvitation("ada", 0);
    await sendInvitation("grace", 0);
    expect(await pending()).toBe(2);
    expect(await acceptedAt("ada")).toEqual([null]);
  });

  it("takes an invitation accepted after it was sent out of the pending set, with the earliest acceptance", async () => {
    await sendInvitation("ada", 0);
    await sendInvitation("grace", 0);
    const later = new Date(now.getTime() + 3_600_000);
    expect(await accept("ada", later)).toBe("stored");
    expect(await pending()).toBe(1);
    expect(await acceptedAt("ada")).toEqual([later]);
    // A second acceptance, reported as earlier, moves the time back; a later one leaves it.
    expect(await accept("ada", now)).toBe("stored");
    expect(await accept("ada", new Date(later.getTime() + 60_000))).toBe("stored");
    expect(await acceptedAt("ada")).toEqual([now]);
    expect(await pending()).toBe(1);
    // The seat's withdrawals and the lead list's reasons read the same set.
    const withdrawable = await createInvitationStore(handle.db).pendingInvitations(
      accountId(),
      now,
      10,
    );
    expect(withdrawable.map((p) => p.leadId)).toEqual([contextOf("grace").lead.id]);
    const [reason] = await queryRows<{ pending: number }>(
      handle.db,
      sql`select ${pendingUpToCeilingSql} as pending from sender_account sa where sa.id = ${accountId()}`,
    );
    expect(Number(reason?.pending)).toBe(1);
  });

  it("writes an invitation to a lead who already accepted one from the seat as accepted", async () => {
    await graceAndHedy();
    expect(await acceptedAt("hedy")).toEqual([START]);
    expect(await pending()).toBe(1);
  });

  it("marks an accepted invitation the triggers missed when withdrawals read it, and never withdraws it", async () => {
    await graceAndHedy();
    // An acceptance and an invitation committed at the same moment, each unseen by the other.
    await handle.db
      .update(action)
      .set({ acceptedAt: null })
      .where(eq(action.leadId, contextOf("hedy").lead.id));
    expect(await pending()).toBe(2);
    const withdrawable = await createInvitationStore(handle.db).pendingInvitations(
      accountId(),
      now,
      10,
    );
    expect(withdrawable.map((p) => p.leadId)).toEqual([contextOf("grace").lead.id]);
    expect(await acceptedAt("hedy")).toEqual([START]);
    expect(await pending()).toBe(1);
  });

  it("reads the pending count from the index's rows alone: those not accepted", async () => {
    await sendInvitation("ada", 0);
    await graceAndHedy();
    expect(await accept("ada", now)).toBe("stored");
    const rows = await queryRows<{ lead_id: string }>(
      handle.db,
      sql`select lead_id from action
           where account_id = ${accountId()} and kind = 'connect'
             and status in ('intent', 'sent') and withdrawal is null and accepted_at is null`,
    );
    expect(rows.map((r) => r.lead_id)).toEqual([contextOf("grace").lead.id]);
  });
});
