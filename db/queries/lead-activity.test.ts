import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaign, createSenderAccount, enrollLeads, upsertLeads } from "@/db/queries/launch";
import { action, enrollment, inboundEvent, lead } from "@/db/schema/index";
import { resolveCaller } from "@/server/http/guard";
import { signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { starterTemplates } from "@/workflows/templates/index";
import { listLeadRows } from "./leads";

const graph = starterTemplates.find((t) => t.id === "connect-then-follow-up")!.graph;
const at = (iso: string) => new Date(`2026-03-02T${iso}Z`);

// The lead list reads each lead's last action and whether it replied from the lead's own row;
// the database keeps both as actions and replies are written, whatever writes them.
describe.each(BACKENDS)("each lead's last action and first reply, on %s", (backend) => {
  let database: TestDatabase;
  let ws: string;
  let seat: string;
  let campaignId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const { cookie } = await signUp("Lena Activity", "lena@example.com");
    ws = (await resolveCaller(new Headers({ cookie }))).workspace.workspaceId;
    seat = await createSenderAccount(database.db, ws, {
      name: "Lena",
      provider: "sandbox",
      providerAccountId: "lena-activity",
      pacing: { timeZone: "UTC" },
    });
    ({ campaignId } = await createCampaign(database.db, ws, {
      name: "Activity",
      graph,
      accountIds: [seat],
      seed: "activity",
    }));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  /** New leads of their own in the campaign, by public identifier: their ids and enrollments. */
  async function enrolled(...names: string[]) {
    const tag = randomUUID().slice(0, 6);
    const ids = await upsertLeads(
      database.db,
      ws,
      names.map((name) => ({ publicIdentifier: `${name}-${tag}` })),
    );
    await enrollLeads(database.db, ws, campaignId, ids, { now: at("08:00:00") });
    const rows = await database.db
      .select({ id: enrollment.id, leadId: enrollment.leadId })
      .from(enrollment)
      .where(eq(enrollment.campaignId, campaignId));
    return ids.map((leadId) => ({
      leadId,
      enrollmentId: rows.find((row) => row.leadId === leadId)!.id,
    }));
  }

  const actionOf = (lead: { leadId: string; enrollmentId: string }, createdAt: Date) => ({
    id: randomUUID(),
    workspaceId: ws,
    idempotencyKey: randomUUID(),
    enrollmentId: lead.enrollmentId,
    campaignId,
    leadId: lead.leadId,
    accountId: seat,
    nodeId: "visit",
    kind: "visit",
    branch: "",
    status: "sent",
    localDate: "2026-03-02",
    createdAt,
  });

  const replyOf = (leadId: string, type: string, occurredAt: Date) => ({
    workspaceId: ws,
    provider: "sandbox",
    externalId: randomUUID(),
    type,
    providerAccountId: "lena-activity",
    leadId,
    occurredAt,
    receivedAt: occurredAt,
  });

  /** What the lead list shows of these leads. */
  async function listed(leadIds: string[]) {
    const page = await listLeadRows(database.db, ws, {
      limit: 1000,
      offset: 0,
      leadIds,
    });
    return new Map(
      page.rows.map((row) => [
        row.id,
        { last: row.lastActivityAt?.toISOString() ?? null, replied: row.replied },
      ]),
    );
  }

  it("shows the newest action of each lead, a later write of an older action leaving it", async () => {
    const [ada, bob, cy] = await enrolled("ada", "bob", "cy");
    await database.db.insert(action).values(actionOf(ada!, at("09:00:00")));
    // One statement, two leads, an older and a newer action for Bob.
    await database.db
      .insert(action)
      .values([
        actionOf(bob!, at("09:30:00")),
        actionOf(bob!, at("10:15:00")),
        actionOf(ada!, at("08:45:00")),
      ]);
    expect(await listed([ada!.leadId, bob!.leadId, cy!.leadId])).toEqual(
      new Map([
        [ada!.leadId, { last: at("09:00:00").toISOString(), replied: false }],
        [bob!.leadId, { last: at("10:15:00").toISOString(), replied: false }],
        [cy!.leadId, { last: null, replied: false }],
      ]),
    );
    await database.db.insert(action).values(actionOf(ada!, at("11:00:00")));
    expect((await listed([ada!.leadId])).get(ada!.leadId)?.last).toBe(at("11:00:00").toISOString());
  });

  it("marks a lead replied at its first reply, and only for a reply", async () => {
    const [dee, eve] = await enrolled("dee", "eve");
    await database.db.insert(inboundEvent).values(replyOf(dee!.leadId, "accepted", at("09:00:00")));
    expect((await listed([dee!.leadId])).get(dee!.leadId)?.replied).toBe(false);
    await database.db
      .insert(inboundEvent)
      .values([
        replyOf(dee!.leadId, "replied", at("12:00:00")),
        replyOf(eve!.leadId, "replied", at("13:00:00")),
      ]);
    // A reply written later that happened earlier becomes the first.
    await database.db.insert(inboundEvent).values(replyOf(dee!.leadId, "replied", at("10:00:00")));
    expect(await listed([dee!.leadId, eve!.leadId])).toEqual(
      new Map([
        [dee!.leadId, { last: null, replied: true }],
        [eve!.leadId, { last: null, replied: true }],
      ]),
    );
    const [row] = await database.db
      .select({ repliedAt: lead.repliedAt })
      .from(lead)
      .where(eq(lead.id, dee!.leadId));
    expect(row?.repliedAt?.toISOString()).toBe(at("10:00:00").toISOString());
  });
});
