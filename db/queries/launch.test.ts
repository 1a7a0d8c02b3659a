import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, createTestDatabase, type TestDatabase } from "@/test/databases";
import { starterTemplates } from "@/workflows/templates/index";
import { blocklistEntry, enrollment, organization, senderAccount } from "../schema/index";
import { createCampaign, createSenderAccount, enrollLeads, upsertLeads } from "./launch";

// The one enrolment every path uses (Add leads, imports into a campaign, bulk actions, the API,
// the demo, the simulation): who enters, who is skipped and why, and on which account.

const NOW = new Date("2026-03-02T08:00:00Z");
const graph = starterTemplates.find((t) => t.id === "connect-then-follow-up")!.graph;

describe.each(BACKENDS)("enrolling leads on %s", (backend) => {
  let database: TestDatabase;
  let workspaceId: string;
  let accounts: { zed: string; anna: string };

  async function campaignOn(name: string, accountIds: string[]) {
    const { campaignId } = await createCampaign(database.db, workspaceId, {
      name,
      graph,
      accountIds,
    });
    return campaignId;
  }

  async function enrolments(campaignId: string) {
    return database.db
      .select({
        leadId: enrollment.leadId,
        accountId: enrollment.accountId,
        node: enrollment.nodeId,
      })
      .from(enrollment)
      .where(and(eq(enrollment.workspaceId, workspaceId), eq(enrollment.campaignId, campaignId)));
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    workspaceId = randomUUID();
    await database.db
      .insert(organization)
      .values({ id: workspaceId, name: "Enrolment", slug: `enrol-${workspaceId}` });
    const seat = (name: string) =>
      createSenderAccount(database.db, workspaceId, {
        name,
        provider: "sandbox",
        providerAccountId: `${name}-${workspaceId.slice(0, 8)}`,
        pacing: { timeZone: "Europe/Paris" },
      });
    // Created in the reverse of their names' order: the spread follows names, not creation.
    accounts = { zed: await seat("Zed"), anna: await seat("Anna") };
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("spreads leads over equal seats in turns, by name, in the order given, at the start step", async () => {
    const campaignId = await campaignOn("Spread", [accounts.zed, accounts.anna]);
    const ids = await upsertLeads(
      database.db,
      workspaceId,
      ["s-1", "s-2", "s-3", "s-4", "s-5"].map((publicIdentifier) => ({ publicIdentifier })),
    );
    const result = await enrollLeads(database.db, workspaceId, campaignId, ids, { now: NOW });
    expect(result).toEqual({
      enrolled: 5,
      skippedBlocked: 0,
      skippedInOtherCampaign: 0,
      skippedAlreadyEnrolled: 0,
    });
    const rows = await enrolments(campaignId);
    const accountOf = new Map(rows.map((r) => [r.leadId, r.accountId]));
    expect(ids.map((id) => accountOf.get(id))).toEqual([
      accounts.anna,
      accounts.zed,
      accounts.anna,
      accounts.zed,
      accounts.anna,
    ]);
    const start = graph.nodes.find((n) => n.kind === "start")!.id;
    expect(new Set(rows.map((r) => r.node))).toEqual(new Set([start]));
  });

  it("skips blocklisted leads, leads another campaign is contacting, and leads already in", async () => {
    const busy = await campaignOn("Busy", [accounts.anna]);
    const target = await campaignOn("Target", [accounts.anna]);
    const [blocked, elsewhere, already, fresh] = await upsertLeads(
      database.db,
      workspaceId,
      ["k-blocked", "k-elsewhere", "k-already", "k-fresh"].map((publicIdentifier) => ({
        publicIdentifier,
      })),
    );
    await database.db.insert(blocklistEntry).values({ workspaceId, publicIdentifier: "k-blocked" });
    await enrollLeads(database.db, workspaceId, busy, [elsewhere!], { now: NOW });
    await enrollLeads(database.db, workspaceId, target, [already!], { now: NOW });

    const ids = [blocked!, elsewhere!, already!, fresh!];
    const result = await enrollLeads(database.db, workspaceId, target, ids, { now: NOW });
    expect(result).toEqual({
      enrolled: 1,
      skippedBlocked: 1,
      skippedInOtherCampaign: 1,
      skippedAlreadyEnrolled: 1,
    });
    expect((await enrolments(target)).map((r) => r.leadId).sort()).toEqual(
      [already!, fresh!].sort(),
    );

    // Allowed: the lead running elsewhere enters too; the blocklisted one never does.
    const allowed = await enrollLeads(database.db, workspaceId, target, ids, {
      now: NOW,
      allowInOtherCampaigns: true,
    });
    expect(allowed).toMatchObject({ enrolled: 1, skippedBlocked: 1, skippedInOtherCampaign: 0 });
    expect((await enrolments(target)).map((r) => r.leadId)).not.toContain(blocked);
  });

  it("ignores ids of another workspace's leads", async () => {
    const campaignId = await campaignOn("Mine", [accounts.anna]);
    const otherWorkspace = randomUUID();
    await database.db
      .insert(organization)
      .values({ id: otherWorkspace, name: "Other", slug: `other-${otherWorkspace}` });
    const [foreign] = await upsertLeads(database.db, otherWorkspace, [
      { publicIdentifier: "not-yours" },
    ]);
    const result = await enrollLeads(database.db, workspaceId, campaignId, [foreign!], {
      now: NOW,
    });
    expect(result.enrolled).toBe(0);
    expect(await enrolments(campaignId)).toEqual([]);
  });

  it("gives each lead to the seat with the most room: a warming seat fewer, a restricted one none", async () => {
    const seat = (name: string, pacing: Record<string, unknown> = {}) =>
      createSenderAccount(database.db, workspaceId, {
        name,
        provider: "sandbox",
        providerAccountId: `${name}-${randomUUID()}`,
        pacing: { timeZone: "Europe/Paris", ...pacing },
      });
    // Room over the coming week: 5 working days × 10 visits, and a fifth of it in warm-up.
    const caps = { caps: { perDay: { visit: 10 } } };
    const warm = await seat("Room warm", caps);
    const warming = await seat("Room warming", { ...caps, warmup: { startDate: "2026-03-02" } });
    const down = await seat("Room down", caps);
    await database.db
      .update(senderAccount)
      .set({ status: "restricted" })
      .where(eq(senderAccount.id, down));
    const campaignId = await campaignOn("Room", [warm, warming, down]);
    const ids = await upsertLeads(
      database.db,
      workspaceId,
      Array.from({ length: 60 }, (_, i) => ({ publicIdentifier: `room-${i}` })),
    );
    await enrollLeads(database.db, workspaceId, campaignId, ids, { now: NOW });
    const count = async () => {
      const rows = await enrolments(campaignId);
      return [warm, warming, down].map((id) => rows.filter((r) => r.accountId === id).length);
    };
    // Room 50 against 10: the first 40 go to the warm seat, then they take turns.
    expect(await count()).toEqual([50, 10, 0]);
    // The leads already waiting count: both seats are full, so the next ones take turns.
    const more = await upsertLeads(
      database.db,
      workspaceId,
      Array.from({ length: 10 }, (_, i) => ({ publicIdentifier: `room-more-${i}` })),
    );
    await enrollLeads(database.db, workspaceId, campaignId, more, { now: NOW });
    expect(await count()).toEqual([55, 15, 0]);
  });

  it("enrols more leads than one batch holds, in one call", async () => {
    const campaignId = await campaignOn("Many", [accounts.zed, accounts.anna]);
    const ids = await upsertLeads(
      database.db,
      workspaceId,
      Array.from({ length: 1_200 }, (_, i) => ({ publicIdentifier: `many-${i}` })),
    );
    const result = await enrollLeads(database.db, workspaceId, campaignId, ids, { now: NOW });
    expect(result.enrolled).toBe(1_200);
    const rows = await enrolments(campaignId);
    expect(rows.filter((r) => r.accountId === accounts.anna)).toHaveLength(600);
  });

  it("refuses a campaign that is not in the workspace or has no published version", async () => {
    const [id] = await upsertLeads(database.db, workspaceId, [{ publicIdentifier: "lonely" }]);
    await expect(
      enrollLeads(database.db, workspaceId, randomUUID(), [id!], { now: NOW }),
    ).rejects.toThrow("The campaign has no published version.");
  });
});
