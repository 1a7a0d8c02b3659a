import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { campaign, enrollment, lead } from "@/db/schema/index";
import { callRoute as call, joinAsMember, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";

const actions = await import("@/app/(app)/campaigns/actions");
const campaignsRoute = await import("@/app/api/campaigns/route");
const accountsRoute = await import("@/app/api/accounts/route");
const leadsRoute = await import("@/app/api/campaigns/[campaignId]/leads/route");

const HOURS = {
  timeZone: "Europe/Paris",
  workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
};

describe.each(BACKENDS)("campaign housekeeping on %s", (backend) => {
  let database: TestDatabase;
  let ada: { cookie: string; accountId: string };
  let bob: { cookie: string };
  let dave: { cookie: string };

  async function createCampaign(body: Record<string, unknown>): Promise<string> {
    const created = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie: ada.cookie,
      body: { accountIds: [ada.accountId], ...body },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function statusOf(campaignId: string) {
    const [row] = await database.db
      .select({ status: campaign.status, name: campaign.name })
      .from(campaign)
      .where(eq(campaign.id, campaignId));
    return row ?? null;
  }

  async function leadsIn(campaignId: string): Promise<string[]> {
    const rows = await database.db
      .select({ publicIdentifier: lead.publicIdentifier })
      .from(enrollment)
      .innerJoin(lead, eq(lead.id, enrollment.leadId))
      .where(and(eq(enrollment.campaignId, campaignId)));
    return rows.map((row) => row.publicIdentifier).sort();
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const adaSession = await signUp("Ada Lovelace", "ada@example.com");
    bob = await signUp("Bob Byron", "bob@example.com");
    dave = await signUp("Dave Ng", "dave@example.com");
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: adaSession.cookie,
      body: { name: "Ada's seat", ...HOURS },
    });
    expect(account.status).toBe(201);
    ada = { cookie: adaSession.cookie, accountId: account.body.id };
    const joined = await joinAsMember(ada.cookie, dave.cookie, "dave@example.com");
    expect(joined.status).toBe(200);
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => actAs(ada.cookie));

  it("renames a campaign, refusing a name too short", async () => {
    const id = await createCampaign({ name: "Founders", templateId: "vip-inmail" });
    expect(
      await actions.renameCampaignAction({ campaignId: id, name: "  Paris founders " }),
    ).toEqual({ ok: true, data: { id, name: "Paris founders" } });
    expect((await statusOf(id))?.name).toBe("Paris founders");
    const refused = await actions.renameCampaignAction({ campaignId: id, name: "x" });
    expect(refused).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect((await statusOf(id))?.name).toBe("Paris founders");
  });

  it("duplicates without leads as an unpublished draft of the same workflow", async () => {
    const id = await createCampaign({ name: "Original", templateId: "connect-then-follow-up" });
    const added = await call(leadsRoute.POST, `/api/campaigns/${id}/leads`, {
      method: "POST",
      cookie: ada.cookie,
      body: { leads: [{ publicIdentifier: "grace-hopper" }] },
      params: { campaignId: id },
    });
    expect(added.body).toMatchObject({ enrolled: 1 });
    const copy = await actions.duplicateCampaignAction({ campaignId: id });
    expect(copy).toMatchObject({ ok: true, data: { name: "Copy of Original" } });
    const copyId = copy.ok ? copy.data.id : "";
    const [row] = await database.db.select().from(campaign).where(eq(campaign.id, copyId));
    const [source] = await database.db.select().from(campaign).where(eq(campaign.id, id));
    expect(row).toMatchObject({ status: "draft", liveVersionId: null });
    expect(row?.draftHash).toBe(source?.draftHash);
    expect(await leadsIn(copyId)).toEqual([]);
  });

  it("duplicates with leads: the copy holds them without running, and skips those another campaign contacts", async () => {
    const id = await createCampaign({ name: "Finished one", templateId: "vip-inmail" });
    await call(leadsRoute.POST, `/api/campaigns/${id}/leads`, {
      method: "POST",
      cookie: ada.cookie,
      body: {
        leads: [{ publicIdentifier: "alan-turing" }, { publicIdentifier: "mary-somerville" }],
      },
      params: { campaignId: id },
    });
    // Alan is done here; Mary is still being contacted, so the copy leaves her out.
    await database.db
      .update(enrollment)
      .set({ state: "done" })
      .where(
        and(
          eq(enrollment.campaignId, id),
          eq(
            enrollment.leadId,
            database.db
              .select({ id: lead.id })
              .from(lead)
              .where(eq(lead.publicIdentifier, "alan-turing")),
          ),
        ),
      );
    const copy = await actions.duplicateCampaignAction({
      campaignId: id,
      name: "Second round",
      withLeads: true,
    });
    expect(copy).toMatchObject({
      ok: true,
      data: { name: "Second round", leads: { enrolled: 1, skipped: 1 } },
    });
    const copyId = copy.ok ? copy.data.id : "";
    expect(await leadsIn(copyId)).toEqual(["alan-turing"]);
    const [row] = await database.db.select().from(campaign).where(eq(campaign.id, copyId));
    expect(row?.status).toBe("draft");
    expect(row?.liveVersionId).not.toBeNull();
  });

  it("archives: stops the campaign, hides it from the default list, shows it when asked", async () => {
    const id = await createCampaign({ name: "To archive", templateId: "vip-inmail" });
    expect((await statusOf(id))?.status).toBe("running");
    expect(await actions.archiveCampaignAction({ campaignId: id })).toMatchObject({ ok: true });
    expect((await statusOf(id))?.status).toBe("archived");
    const listed = await call(campaignsRoute.GET, "/api/campaigns", { cookie: ada.cookie });
    expect(listed.body.campaigns.map((c: { id: string }) => c.id)).not.toContain(id);
    const { listCampaigns } = await import("./list-campaigns");
    const { resolveCaller } = await import("../http/guard");
    const caller = await resolveCaller(new Headers({ cookie: ada.cookie }));
    const archived = await listCampaigns(caller, { archived: true });
    expect(archived.campaigns.map((c) => c.id)).toEqual([id]);
    // Back from the archive it is paused: nothing runs until someone resumes it.
    expect(await actions.unarchiveCampaignAction({ campaignId: id })).toEqual({
      ok: true,
      data: { id, status: "paused" },
    });
    expect(await actions.resumeCampaignAction({ campaignId: id })).toMatchObject({ ok: true });
    expect((await statusOf(id))?.status).toBe("running");
  });

  it("deletes a draft never published, and refuses a published campaign", async () => {
    const draft = await createCampaign({ name: "Scratch", templateId: "blank", draft: true });
    const published = await createCampaign({ name: "Live one", templateId: "vip-inmail" });
    expect(await actions.deleteDraftAction({ campaignId: draft })).toEqual({
      ok: true,
      data: { id: draft, deleted: true },
    });
    expect(await statusOf(draft)).toBeNull();
    expect(await actions.deleteDraftAction({ campaignId: published })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
    expect((await statusOf(published))?.status).toBe("running");
  });

  it("another workspace's campaign answers 404 and does not change", async () => {
    const id = await createCampaign({ name: "Ada's own", templateId: "blank", draft: true });
    const before = await database.db.select({ id: campaign.id }).from(campaign);
    actAs(bob.cookie);
    const results = await Promise.all([
      actions.renameCampaignAction({ campaignId: id, name: "Stolen" }),
      actions.duplicateCampaignAction({ campaignId: id, withLeads: true }),
      actions.archiveCampaignAction({ campaignId: id }),
      actions.unarchiveCampaignAction({ campaignId: id }),
      actions.deleteDraftAction({ campaignId: id }),
    ]);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    expect(await statusOf(id)).toEqual({ status: "draft", name: "Ada's own" });
    // Nothing was duplicated for Bob either.
    expect(await database.db.select({ id: campaign.id }).from(campaign)).toHaveLength(
      before.length,
    );
  });

  it("a member may not rename, duplicate, archive or delete", async () => {
    const id = await createCampaign({ name: "Team draft", templateId: "blank", draft: true });
    const before = await database.db.select({ id: campaign.id }).from(campaign);
    actAs(dave.cookie);
    const results = await Promise.all([
      actions.renameCampaignAction({ campaignId: id, name: "Mine now" }),
      actions.duplicateCampaignAction({ campaignId: id }),
      actions.archiveCampaignAction({ campaignId: id }),
      actions.deleteDraftAction({ campaignId: id }),
    ]);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: "forbidden" } });
    }
    expect(await statusOf(id)).toEqual({ status: "draft", name: "Team draft" });
    expect(await database.db.select({ id: campaign.id }).from(campaign)).toHaveLength(
      before.length,
    );
  });
});
