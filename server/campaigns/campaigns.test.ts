import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngineStore } from "@/db/engine/store";
import {
  action,
  blocklistEntry,
  campaign,
  enrollment,
  enrollmentStep,
  lead,
  member,
  senderAccount,
} from "@/db/schema/index";
import { callRoute as call, joinAsMember, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";
import { starterTemplates } from "@/workflows/templates/index";
import { publicIdentifierSchema } from "./add-leads-to-campaign";

const campaignActions = await import("@/app/(app)/campaigns/actions");
const accountActions = await import("@/app/(app)/accounts/actions");
const campaignsRoute = await import("@/app/api/campaigns/route");
const campaignRoute = await import("@/app/api/campaigns/[campaignId]/route");
const pauseRoute = await import("@/app/api/campaigns/[campaignId]/pause/route");
const resumeRoute = await import("@/app/api/campaigns/[campaignId]/resume/route");
const leadsRoute = await import("@/app/api/campaigns/[campaignId]/leads/route");
const leadRoute = await import("@/app/api/campaigns/[campaignId]/leads/[leadId]/route");
const accountsRoute = await import("@/app/api/accounts/route");
const pauseAccountRoute = await import("@/app/api/accounts/[accountId]/pause/route");
const resumeAccountRoute = await import("@/app/api/accounts/[accountId]/resume/route");
const demoRoute = await import("@/app/api/demo/route");

const PARIS_HOURS = {
  timeZone: "Europe/Paris",
  workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
};

describe("public identifiers", () => {
  it.each([
    "ada-lovelace",
    "jean_dupont42",
    "jean-françois-müller",
    "李明-123",
    "%E6%9D%8E%E6%98%8E%E5%8D%8E",
    "محمد-علي",
  ])("accepts %j", (value) => {
    expect(publicIdentifierSchema.safeParse(value).success).toBe(true);
  });

  it.each([
    ["https://www.linkedin.com/in/ada-lovelace/?trk=x", "ada-lovelace"],
    ["linkedin.com/in/grace-hopper", "grace-hopper"],
  ])("reads the profile address %j as the import does, into %j", (value, identifier) => {
    expect(publicIdentifierSchema.parse(value)).toBe(identifier);
  });

  it.each([
    ["www.example.com", "is not a LinkedIn address"],
    ["http://example.com/profile", "is not a LinkedIn address"],
  ])("refuses the address %j and says why", (value, message) => {
    const parsed = publicIdentifierSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });

  it.each([
    ["ab", "3 to 100 characters"],
    ["x".repeat(101), "3 to 100 characters"],
    ["ada lovelace", "letters, digits, - and _ only"],
    ["ada@lovelace", "letters, digits, - and _ only"],
    ["%zz-ada", "broken %-encoded character"],
  ])("refuses %j", (value, message) => {
    const parsed = publicIdentifierSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });
});

describe.each(BACKENDS)("campaigns on %s", (backend) => {
  let database: TestDatabase;
  let ada: { cookie: string; accountId: string; campaignId: string; leadId: string };
  let bob: { cookie: string };
  let dave: { cookie: string };

  async function createCampaign(cookie: string, body: Record<string, unknown>) {
    return call(campaignsRoute.POST, "/api/campaigns", { method: "POST", cookie, body });
  }

  async function addLeads(cookie: string, campaignId: string, body: Record<string, unknown>) {
    return call(leadsRoute.POST, `/api/campaigns/${campaignId}/leads`, {
      method: "POST",
      cookie,
      body,
      params: { campaignId },
    });
  }

  async function enrollmentOf(campaignId: string, publicIdentifier: string) {
    const [row] = await database.db
      .select({ state: enrollment.state, leaseOwner: enrollment.leaseOwner })
      .from(enrollment)
      .innerJoin(lead, eq(lead.id, enrollment.leadId))
      .where(
        and(eq(enrollment.campaignId, campaignId), eq(lead.publicIdentifier, publicIdentifier)),
      );
    return row ?? null;
  }

  /**
   * A running campaign of Ada's of its own, with Grace enrolled, for a test that changes it:
   * tests that share one campaign would depend on each other's order.
   */
  async function freshCampaign(name: string): Promise<string> {
    const created = await createCampaign(ada.cookie, {
      name,
      templateId: "connect-then-follow-up",
      accountIds: [ada.accountId],
    });
    expect(created.status).toBe(201);
    const added = await addLeads(ada.cookie, created.body.id, {
      leads: [{ publicIdentifier: "grace-hopper" }],
      allowInOtherCampaigns: true,
    });
    expect(added.body).toMatchObject({ enrolled: 1 });
    return created.body.id;
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const adaSession = await signUp("Ada Lovelace", "ada@example.com");
    const bobSession = await signUp("Bob Byron", "bob@example.com");
    const daveSession = await signUp("Dave Ng", "dave@example.com");

    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: adaSession.cookie,
      body: { name: "Ada's seat", ...PARIS_HOURS },
    });
    expect(account.status).toBe(201);
    const created = await createCampaign(adaSession.cookie, {
      name: "Founders in Paris",
      templateId: "connect-then-follow-up",
      accountIds: [account.body.id],
    });
    expect(created.status).toBe(201);
    const added = await addLeads(adaSession.cookie, created.body.id, {
      leads: [{ publicIdentifier: "grace-hopper", firstName: "Grace", lastName: "Hopper" }],
    });
    expect(added.body).toMatchObject({ enrolled: 1 });
    const [grace] = await database.db
      .select({ id: lead.id })
      .from(lead)
      .where(eq(lead.publicIdentifier, "grace-hopper"));
    ada = {
      cookie: adaSession.cookie,
      accountId: account.body.id,
      campaignId: created.body.id,
      leadId: grace!.id,
    };
    bob = { cookie: bobSession.cookie };

    // Dave joins Ada's workspace as a member.
    const accepted = await joinAsMember(ada.cookie, daveSession.cookie, "dave@example.com");
    expect(accepted.status).toBe(200);
    dave = { cookie: daveSession.cookie };
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => actAs(""));

  describe("another workspace's ids answer 404 and nothing changes", () => {
    it("routes: every campaign and account route refuses Ada's ids to Bob", async () => {
      const { campaignId, leadId, accountId } = ada;
      const calls = [
        call(campaignRoute.GET, `/api/campaigns/${campaignId}`, {
          cookie: bob.cookie,
          params: { campaignId },
        }),
        call(pauseRoute.POST, `/api/campaigns/${campaignId}/pause`, {
          method: "POST",
          cookie: bob.cookie,
          params: { campaignId },
        }),
        call(resumeRoute.POST, `/api/campaigns/${campaignId}/resume`, {
          method: "POST",
          cookie: bob.cookie,
          params: { campaignId },
        }),
        call(leadsRoute.GET, `/api/campaigns/${campaignId}/leads`, {
          cookie: bob.cookie,
          params: { campaignId },
        }),
        addLeads(bob.cookie, campaignId, { leads: [{ publicIdentifier: "alan-turing" }] }),
        call(leadRoute.DELETE, `/api/campaigns/${campaignId}/leads/${leadId}`, {
          method: "DELETE",
          cookie: bob.cookie,
          params: { campaignId, leadId },
        }),
        call(pauseAccountRoute.POST, `/api/accounts/${accountId}/pause`, {
          method: "POST",
          cookie: bob.cookie,
          params: { accountId },
        }),
        call(resumeAccountRoute.POST, `/api/accounts/${accountId}/resume`, {
          method: "POST",
          cookie: bob.cookie,
          params: { accountId },
        }),
        createCampaign(bob.cookie, {
          name: "Borrowed seat",
          templateId: "vip-inmail",
          accountIds: [accountId],
        }),
      ];
      for (const result of await Promise.all(calls)) {
        expect(result.status).toBe(404);
        expect(result.body.error.code).toBe("not_found");
      }
    });

    it("server actions: every action refuses Ada's ids to Bob", async () => {
      actAs(bob.cookie);
      const { campaignId, leadId, accountId } = ada;
      const results = await Promise.all([
        campaignActions.pauseCampaignAction({ campaignId }),
        campaignActions.resumeCampaignAction({ campaignId }),
        campaignActions.addLeadsAction({
          campaignId,
          leads: [{ publicIdentifier: "alan-turing" }],
        }),
        campaignActions.removeLeadAction({ campaignId, leadId }),
        campaignActions.createCampaignAction({
          name: "Borrowed seat",
          templateId: "vip-inmail",
          accountIds: [accountId],
        }),
        accountActions.pauseAccountAction({ accountId }),
        accountActions.resumeAccountAction({ accountId }),
      ]);
      for (const result of results) {
        expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
      }
    });

    it("lists show only the caller's workspace", async () => {
      const campaigns = await call(campaignsRoute.GET, "/api/campaigns", { cookie: bob.cookie });
      expect(campaigns.body.campaigns).toEqual([]);
      const accounts = await call(accountsRoute.GET, "/api/accounts", { cookie: bob.cookie });
      expect(accounts.body.accounts).toEqual([]);
    });

    it("leaves Ada's campaign, lead and account as they were", async () => {
      const [row] = await database.db
        .select({ status: campaign.status })
        .from(campaign)
        .where(eq(campaign.id, ada.campaignId));
      expect(row?.status).toBe("running");
      expect(await enrollmentOf(ada.campaignId, "grace-hopper")).toMatchObject({
        state: "active",
      });
      const [account] = await database.db
        .select({ status: senderAccount.status })
        .from(senderAccount)
        .where(eq(senderAccount.id, ada.accountId));
      expect(account?.status).toBe("active");
      const turing = await database.db
        .select()
        .from(lead)
        .where(eq(lead.publicIdentifier, "alan-turing"));
      expect(turing).toEqual([]);
      const bobsCampaigns = await database.db
        .select()
        .from(campaign)
        .where(eq(campaign.name, "Borrowed seat"));
      expect(bobsCampaigns).toEqual([]);
    });
  });

  it("answers 401 JSON to unauthenticated calls on every route", async () => {
    const p = { campaignId: "x", leadId: "y", accountId: "z" };
    const results = await Promise.all([
      call(campaignsRoute.GET, "/api/campaigns"),
      call(campaignsRoute.POST, "/api/campaigns", { method: "POST", body: {} }),
      call(campaignRoute.GET, "/api/campaigns/x", { params: p }),
      call(pauseRoute.POST, "/api/campaigns/x/pause", { method: "POST", params: p }),
      call(resumeRoute.POST, "/api/campaigns/x/resume", { method: "POST", params: p }),
      call(leadsRoute.GET, "/api/campaigns/x/leads", { params: p }),
      call(leadsRoute.POST, "/api/campaigns/x/leads", { method: "POST", body: {}, params: p }),
      call(leadRoute.DELETE, "/api/campaigns/x/leads/y", { method: "DELETE", params: p }),
      call(accountsRoute.GET, "/api/accounts"),
      call(accountsRoute.POST, "/api/accounts", { method: "POST", body: {} }),
      call(pauseAccountRoute.POST, "/api/accounts/z/pause", { method: "POST", params: p }),
      call(resumeAccountRoute.POST, "/api/accounts/z/resume", { method: "POST", params: p }),
      call(demoRoute.POST, "/api/demo", { method: "POST", body: {} }),
    ]);
    for (const result of results) {
      expect(result.status).toBe(401);
      expect(result.body.error.code).toBe("unauthenticated");
    }
  });

  it("a member may look but not create, launch, pause or add leads (403)", async () => {
    const list = await call(campaignsRoute.GET, "/api/campaigns", { cookie: dave.cookie });
    expect(list.status).toBe(200);
    expect(list.body.campaigns.map((c: { id: string }) => c.id)).toContain(ada.campaignId);
    const { campaignId, accountId } = ada;
    const refused = await Promise.all([
      createCampaign(dave.cookie, {
        name: "Members' own",
        templateId: "vip-inmail",
        accountIds: [accountId],
      }),
      call(pauseRoute.POST, `/api/campaigns/${campaignId}/pause`, {
        method: "POST",
        cookie: dave.cookie,
        params: { campaignId },
      }),
      addLeads(dave.cookie, campaignId, { leads: [{ publicIdentifier: "alan-turing" }] }),
      call(accountsRoute.POST, "/api/accounts", {
        method: "POST",
        cookie: dave.cookie,
        body: { name: "Dave's seat", ...PARIS_HOURS },
      }),
      call(demoRoute.POST, "/api/demo", { method: "POST", cookie: dave.cookie, body: {} }),
    ]);
    for (const result of refused) {
      expect(result.status).toBe(403);
      expect(result.body.error.code).toBe("forbidden");
    }
    actAs(dave.cookie);
    const action = await campaignActions.createCampaignAction({
      name: "Members' own",
      templateId: "vip-inmail",
      accountIds: [accountId],
    });
    expect(action).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const rows = await database.db.select().from(campaign).where(eq(campaign.name, "Members' own"));
    expect(rows).toEqual([]);
  });

  it.each(starterTemplates.map((t) => [t.id, t.graph.nodes.length] as const))(
    "creates a running campaign at version 1 from the starter template %s",
    async (templateId, nodeCount) => {
      const created = await createCampaign(ada.cookie, {
        name: `From ${templateId}`,
        templateId,
        accountIds: [ada.accountId],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: "running", warnings: [] });
      const detail = await call(campaignRoute.GET, `/api/campaigns/${created.body.id}`, {
        cookie: ada.cookie,
        params: { campaignId: created.body.id },
      });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        name: `From ${templateId}`,
        status: "running",
        liveVersion: { version: 1 },
        accounts: [{ id: ada.accountId, name: "Ada's seat" }],
        counts: { enrolled: 0 },
      });
      expect(detail.body.nodes).toHaveLength(nodeCount);
    },
  );

  it("creates a campaign from a valid graph of the caller's own", async () => {
    const graph = structuredClone(starterTemplates[0]!.graph);
    const created = await createCampaign(ada.cookie, {
      name: "Hand drawn",
      graph,
      accountIds: [ada.accountId],
    });
    expect(created.status).toBe(201);
  });

  it("refuses a graph with errors with 400 and every diagnostic, creating nothing", async () => {
    const graph = structuredClone(starterTemplates[0]!.graph) as {
      edges: Array<{ source: string }>;
    };
    // Unwire the start: every other step becomes unreachable.
    graph.edges = graph.edges.filter((edge) => edge.source !== "start");
    const refused = await createCampaign(ada.cookie, {
      name: "Broken",
      graph,
      accountIds: [ada.accountId],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("graph_invalid");
    expect(refused.body.error.message).toMatch(/cannot be published/);
    const codes = refused.body.error.diagnostics.map((d: { code: string }) => d.code);
    expect(codes).toContain("open_exit");
    expect(codes).toContain("unreachable_node");
    expect(refused.body.error.diagnostics[0]).toMatchObject({ severity: "error" });

    const empty = await createCampaign(ada.cookie, {
      name: "Broken",
      graph: { schemaVersion: 2, nodes: [], edges: [] },
      accountIds: [ada.accountId],
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.diagnostics.map((d: { code: string }) => d.code)).toContain(
      "missing_start",
    );
    const rows = await database.db.select().from(campaign).where(eq(campaign.name, "Broken"));
    expect(rows).toEqual([]);
  });

  it("refuses an unknown template and a campaign without accounts, naming the field", async () => {
    const unknown = await createCampaign(ada.cookie, {
      name: "Nope",
      templateId: "no-such-template",
      accountIds: [ada.accountId],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fieldErrors.templateId[0]).toMatch(/connect-then-inmail/);
    const noAccounts = await createCampaign(ada.cookie, {
      name: "Nope",
      templateId: "vip-inmail",
      accountIds: [],
    });
    expect(noAccounts.status).toBe(400);
    expect(noAccounts.body.error.fieldErrors.accountIds).toEqual([
      "Pick at least one sender account.",
    ]);
  });

  it("adding leads respects the blocklist and counts each reason", async () => {
    await database.db.insert(blocklistEntry).values({
      workspaceId: (await workspaceOf(ada.accountId)) ?? "",
      publicIdentifier: "do-not-contact",
      reason: "asked us to stop",
    });
    const campaignId = await freshCampaign("Blocklist check");
    const added = await addLeads(ada.cookie, campaignId, {
      leads: [
        { publicIdentifier: "katherine-johnson", firstName: "Katherine", company: "NASA" },
        { publicIdentifier: "do-not-contact" },
        { publicIdentifier: "grace-hopper" },
        { publicIdentifier: "katherine-johnson" },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({
      received: 3,
      enrolled: 1,
      skipped: { alreadyInCampaign: 1, inOtherCampaign: 0, blocklisted: 1 },
    });
    expect(await enrollmentOf(campaignId, "do-not-contact")).toBeNull();
    const [katherine] = await database.db
      .select()
      .from(lead)
      .where(eq(lead.publicIdentifier, "katherine-johnson"));
    expect(katherine).toMatchObject({ firstName: "Katherine", company: "NASA" });
  });

  it("a lead running in another campaign is not enrolled twice unless allowed", async () => {
    const other = await createCampaign(ada.cookie, {
      name: "Second wave",
      templateId: "vip-inmail",
      accountIds: [ada.accountId],
    });
    const refused = await addLeads(ada.cookie, other.body.id, {
      leads: [{ publicIdentifier: "grace-hopper" }, { publicIdentifier: "edsger-dijkstra" }],
    });
    expect(refused.body).toEqual({
      received: 2,
      enrolled: 1,
      skipped: { alreadyInCampaign: 0, inOtherCampaign: 1, blocklisted: 0 },
    });
    expect(await enrollmentOf(other.body.id, "grace-hopper")).toBeNull();

    const allowed = await addLeads(ada.cookie, other.body.id, {
      leads: [{ publicIdentifier: "grace-hopper" }],
      allowInOtherCampaigns: true,
    });
    expect(allowed.body).toMatchObject({ enrolled: 1 });
    expect(await enrollmentOf(other.body.id, "grace-hopper")).toMatchObject({ state: "active" });
  });

  it("takes profile addresses as the import does, and refuses another site's with a clear message, adding nothing", async () => {
    const refused = await addLeads(ada.cookie, ada.campaignId, {
      leads: [
        { publicIdentifier: "https://www.linkedin.com/in/barbara-liskov/" },
        { publicIdentifier: "https://example.com/in/claude-shannon/" },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'leads.1.publicIdentifier: "https://example.com/in/claude-shannon/" is not a LinkedIn address.',
    );
    expect(refused.body.error.fieldErrors["leads.1.publicIdentifier"]).toHaveLength(1);
    const liskov = await database.db
      .select()
      .from(lead)
      .where(eq(lead.publicIdentifier, "barbara-liskov"));
    expect(liskov).toEqual([]);
  });

  it("pause and resume change the campaign's status, and the engine skips a paused one", async () => {
    const campaignId = await freshCampaign("Pause and resume");
    const statusOf = async () =>
      (
        await call(campaignRoute.GET, `/api/campaigns/${campaignId}`, {
          cookie: ada.cookie,
          params: { campaignId },
        })
      ).body.status;
    const paused = await call(pauseRoute.POST, `/api/campaigns/${campaignId}/pause`, {
      method: "POST",
      cookie: ada.cookie,
      params: { campaignId },
    });
    expect(paused).toEqual({ status: 200, body: { id: campaignId, status: "paused" } });
    expect(await statusOf()).toBe("paused");
    const store = createEngineStore(database.db);
    const claimed = await store.claimDue({
      now: new Date(Date.now() + 60_000),
      owner: "test-worker",
      leaseMs: 1,
      limit: 1000,
    });
    expect(claimed.filter((c) => c.campaign.id === campaignId)).toEqual([]);

    actAs(ada.cookie);
    expect(await campaignActions.pauseCampaignAction({ campaignId })).toMatchObject({
      ok: true,
      data: { status: "paused" },
    });
    expect(await campaignActions.resumeCampaignAction({ campaignId })).toMatchObject({
      ok: true,
      data: { status: "running" },
    });
    expect(await statusOf()).toBe("running");
    const list = await call(campaignsRoute.GET, "/api/campaigns", { cookie: ada.cookie });
    expect(list.body.campaigns.find((c: { id: string }) => c.id === campaignId)).toMatchObject({
      status: "running",
      accounts: [{ id: ada.accountId }],
      counts: { enrolled: 1, active: 1 },
    });
  });

  it("removing a lead sets its enrollment to removed, drops its lease and records why", async () => {
    const campaignId = await freshCampaign("Remove a lead");
    await addLeads(ada.cookie, campaignId, { leads: [{ publicIdentifier: "hedy-lamarr" }] });
    const [hedy] = await database.db
      .select({ id: lead.id })
      .from(lead)
      .where(eq(lead.publicIdentifier, "hedy-lamarr"));
    // A worker holds the lead right now.
    await database.db
      .update(enrollment)
      .set({ leaseOwner: "worker-1", leaseExpiresAt: new Date(Date.now() + 60_000) })
      .where(and(eq(enrollment.campaignId, campaignId), eq(enrollment.leadId, hedy!.id)));
    const removed = await call(leadRoute.DELETE, `/api/campaigns/${campaignId}/leads/${hedy!.id}`, {
      method: "DELETE",
      cookie: ada.cookie,
      params: { campaignId, leadId: hedy!.id },
    });
    expect(removed).toEqual({
      status: 200,
      body: { campaignId, leadId: hedy!.id, state: "removed" },
    });
    expect(await enrollmentOf(campaignId, "hedy-lamarr")).toEqual({
      state: "removed",
      leaseOwner: null,
    });
    const steps = await database.db
      .select({ note: enrollmentStep.note })
      .from(enrollmentStep)
      .innerJoin(enrollment, eq(enrollment.id, enrollmentStep.enrollmentId))
      .where(eq(enrollment.leadId, hedy!.id));
    expect(steps).toEqual([{ note: "Removed from the campaign by Ada Lovelace" }]);

    // The worker's late write loses: its transition needs the lease it no longer holds.
    const [row] = await database.db
      .select({ id: enrollment.id })
      .from(enrollment)
      .where(and(eq(enrollment.campaignId, campaignId), eq(enrollment.leadId, hedy!.id)));
    const store = createEngineStore(database.db);
    const written = await store.flush({
      owner: "worker-1",
      ops: [
        {
          type: "move",
          enrollmentId: row!.id,
          accountId: ada.accountId,
          change: {
            nodeId: "connect",
            stepSeq: 1,
            branch: "",
            stepState: null,
            state: "active",
            nextRunAt: new Date(),
            history: [],
          },
        },
      ],
      events: [],
    });
    expect(written.results).toEqual([{ type: "written", held: false }]);
    expect(await enrollmentOf(campaignId, "hedy-lamarr")).toMatchObject({ state: "removed" });

    // Removing again is harmless; a lead that is not in the campaign is 404.
    actAs(ada.cookie);
    expect(await campaignActions.removeLeadAction({ campaignId, leadId: hedy!.id })).toMatchObject({
      ok: true,
      data: { state: "removed" },
    });
    expect(
      await campaignActions.removeLeadAction({ campaignId, leadId: "no-such-lead" }),
    ).toMatchObject({ ok: false, error: { code: "not_found" } });

    const detail = await call(campaignRoute.GET, `/api/campaigns/${campaignId}`, {
      cookie: ada.cookie,
      params: { campaignId },
    });
    expect(detail.body.counts).toMatchObject({ removed: 1 });
  });

  it("lists a campaign's leads, narrowed by a search", async () => {
    const campaignId = await freshCampaign("Lead list");
    await addLeads(ada.cookie, campaignId, {
      leads: [{ publicIdentifier: "radia-perlman" }, { publicIdentifier: "frances-allen" }],
    });
    const all = await call(leadsRoute.GET, `/api/campaigns/${campaignId}/leads`, {
      cookie: ada.cookie,
      params: { campaignId },
    });
    expect(all.status).toBe(200);
    expect(all.body.leads.length).toBe(3);
    const found = await call(leadsRoute.GET, `/api/campaigns/${campaignId}/leads?search=Grace`, {
      cookie: ada.cookie,
      params: { campaignId },
    });
    expect(found.body.leads.map((l: { publicIdentifier: string }) => l.publicIdentifier)).toEqual([
      "grace-hopper",
    ]);
  });

  it("the detail counts leads per step and lists recent actions; the list shows last activity", async () => {
    const campaignId = await freshCampaign("Step counts");
    const [grace] = await database.db
      .select()
      .from(enrollment)
      .where(and(eq(enrollment.campaignId, campaignId), eq(enrollment.leadId, ada.leadId)));
    const at = new Date("2026-03-02T09:41:00Z");
    await database.db
      .update(enrollment)
      .set({ nodeId: "connect" })
      .where(eq(enrollment.id, grace!.id));
    await database.db.insert(action).values({
      id: "action-1",
      workspaceId: grace!.workspaceId,
      idempotencyKey: `${grace!.id}:1:visit`,
      enrollmentId: grace!.id,
      campaignId,
      leadId: ada.leadId,
      accountId: ada.accountId,
      nodeId: "visit",
      kind: "visit",
      branch: "",
      status: "sent",
      localDate: "2026-03-02",
      createdAt: at,
      sentAt: at,
    });
    const detail = await call(campaignRoute.GET, `/api/campaigns/${campaignId}`, {
      cookie: ada.cookie,
      params: { campaignId },
    });
    expect(detail.body.nodes.find((n: { nodeId: string }) => n.nodeId === "connect")).toMatchObject(
      { kind: "connect", label: "Connect", waiting: 1 },
    );
    expect(detail.body.recentActions).toEqual([
      expect.objectContaining({
        at: at.toISOString(),
        lead: { id: ada.leadId, publicIdentifier: "grace-hopper", name: "Grace Hopper" },
        nodeId: "visit",
        kind: "visit",
        outcome: "sent",
        reason: null,
      }),
    ]);
    const list = await call(campaignsRoute.GET, "/api/campaigns", { cookie: ada.cookie });
    const row = list.body.campaigns.find((c: { id: string }) => c.id === campaignId);
    expect(row.lastActivityAt).toBe(at.toISOString());
  });

  async function workspaceOf(accountId: string) {
    const [row] = await database.db
      .select({ workspaceId: senderAccount.workspaceId })
      .from(senderAccount)
      .where(eq(senderAccount.id, accountId));
    return row?.workspaceId;
  }

  it("Dave's membership is real (the 403s above are about his role, not his workspace)", async () => {
    const rows = await database.db
      .select({ role: member.role })
      .from(member)
      .where(eq(member.organizationId, (await workspaceOf(ada.accountId)) ?? ""));
    expect(rows.map((r) => r.role).sort()).toEqual(["member", "owner"]);
  });
});
