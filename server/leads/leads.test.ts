import { readFileSync } from "node:fs";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createCreditPool } from "@/db/queries/launch";
import {
  action,
  blocklistEntry,
  campaign,
  campaignAccount,
  creditLedger,
  enrollment,
  enrollmentStep,
  inboundEvent,
  lead,
} from "@/db/schema/index";
import { callRoute as call, joinAsMember, routeParams, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";
import { guessMapping, parseCsvText, readLeadRows } from "@/workflows/leads/index";
import { resolveCaller } from "../http/guard";
import { importLeads, MAX_IMPORT_LEADS } from "./import-leads";
import { isImportRunning } from "./import-registry";

const leadActions = await import("@/app/(app)/leads/actions");
const leadsRoute = await import("@/app/api/leads/route");
const importRoute = await import("@/app/api/leads/import/route");
const cancelImportRoute = await import("@/app/api/leads/import/cancel/route");
const leadRoute = await import("@/app/api/leads/[leadId]/route");
const timelineRoute = await import("@/app/api/leads/[leadId]/timeline/route");
const leadBlocklistRoute = await import("@/app/api/leads/[leadId]/blocklist/route");
const blocklistRoute = await import("@/app/api/leads/blocklist/route");
const accountsRoute = await import("@/app/api/accounts/route");
const campaignsRoute = await import("@/app/api/campaigns/route");

const SAMPLE = path.resolve(import.meta.dirname, "../../test/fixtures/leads-sample.csv");

const ALWAYS_WORKING = {
  timeZone: "Europe/Paris",
  workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
};

describe.each(BACKENDS)("leads on %s", (backend) => {
  let database: TestDatabase;
  let ada: { cookie: string; workspaceId: string; accountId: string };
  let bob: { cookie: string; workspaceId: string };
  let dave: { cookie: string };
  /** Ada's running campaigns, and one that has finished. */
  let outreach: string;
  let followUp: string;
  let finished: string;

  const importAs = (cookie: string, body: unknown) =>
    call(importRoute.POST, "/api/leads/import", { method: "POST", cookie, body });

  async function createCampaign(name: string) {
    const created = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie: ada.cookie,
      body: { name, templateId: "connect-then-follow-up", accountIds: [ada.accountId] },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function leadCount(workspaceId: string) {
    const [row] = await database.db
      .select({ n: count() })
      .from(lead)
      .where(eq(lead.workspaceId, workspaceId));
    return row?.n ?? 0;
  }

  async function leadOf(workspaceId: string, publicIdentifier: string) {
    const [row] = await database.db
      .select()
      .from(lead)
      .where(and(eq(lead.workspaceId, workspaceId), eq(lead.publicIdentifier, publicIdentifier)));
    return row ?? null;
  }

  async function enrollmentState(campaignId: string, publicIdentifier: string) {
    const [row] = await database.db
      .select({ id: enrollment.id, state: enrollment.state })
      .from(enrollment)
      .innerJoin(lead, eq(lead.id, enrollment.leadId))
      .where(
        and(eq(enrollment.campaignId, campaignId), eq(lead.publicIdentifier, publicIdentifier)),
      );
    return row ?? null;
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const adaSession = await signUp("Ada Lovelace", "ada@example.com");
    const bobSession = await signUp("Bob Byron", "bob@example.com");
    const daveSession = await signUp("Dave Ng", "dave@example.com");
    const workspaceOf = async (cookie: string) =>
      (await resolveCaller(new Headers({ cookie }))).workspace.workspaceId;

    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: adaSession.cookie,
      body: { name: "Ada's seat", ...ALWAYS_WORKING },
    });
    expect(account.status).toBe(201);
    ada = {
      cookie: adaSession.cookie,
      workspaceId: await workspaceOf(adaSession.cookie),
      accountId: account.body.id,
    };
    bob = { cookie: bobSession.cookie, workspaceId: await workspaceOf(bobSession.cookie) };
    outreach = await createCampaign("Founders in Paris");
    followUp = await createCampaign("Follow-up in Berlin");
    finished = await createCampaign("Last year's list");
    await database.db.update(campaign).set({ status: "finished" }).where(eq(campaign.id, finished));

    const accepted = await joinAsMember(ada.cookie, daveSession.cookie, "dave@example.com");
    expect(accepted.status).toBe(200);
    dave = { cookie: daveSession.cookie };

    // The leads several tests read, imported once: the sample export, a person given by three
    // rows, leads in Ada's two running campaigns and one on her blocklist, and 10,000 more. A
    // test that changes leads, or counts what it imports, uses leads of its own.
    const table = parseCsvText(readFileSync(SAMPLE, "utf8"));
    const sample = readLeadRows(table, guessMapping(table.header));
    const imports = [
      { leads: sample.leads.map(({ rows: _rows, ...fields }) => fields) },
      {
        leads: [
          {
            publicIdentifier: "https://www.linkedin.com/in/Grace-Hopper/?trk=x",
            firstName: "Grace",
          },
          { publicIdentifier: "grace-hopper", lastName: "Hopper", company: "US Navy" },
        ],
      },
      {
        campaignId: outreach,
        leads: [
          { publicIdentifier: "katherine-johnson" },
          { publicIdentifier: "dorothy-vaughan" },
          { publicIdentifier: "do-not-contact" },
        ],
      },
      {
        campaignId: followUp,
        allowInOtherCampaigns: true,
        leads: [{ publicIdentifier: "katherine-johnson" }, { publicIdentifier: "mary-jackson" }],
      },
      {
        leads: Array.from({ length: 10_000 }, (_, i) => ({
          publicIdentifier: `bulk-lead-${i}`,
          firstName: `Lead ${i}`,
          company: `Company ${i % 97}`,
        })),
      },
    ];
    const listed = await call(blocklistRoute.POST, "/api/leads/blocklist", {
      method: "POST",
      cookie: ada.cookie,
      body: { publicIdentifiers: ["do-not-contact"], reason: "Asked us to stop" },
    });
    expect(listed.status).toBe(200);
    for (const body of imports) expect((await importAs(ada.cookie, body)).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => actAs(""));

  describe("import", () => {
    it("imports the sample export read in the browser: 1,000 leads, identifiers canonical", async () => {
      const table = parseCsvText(readFileSync(SAMPLE, "utf8"));
      const read = readLeadRows(table, guessMapping(table.header));
      const leads = read.leads.map(({ rows: _rows, ...fields }) => fields);
      // Ada's workspace has the sample already (beforeAll): this import goes to a new one.
      const ivy = await signUp("Ivy Lane", "ivy@example.com");
      const ivyWorkspace = (await resolveCaller(new Headers({ cookie: ivy.cookie }))).workspace
        .workspaceId;
      const before = await leadCount(ivyWorkspace);
      const imported = await importAs(ivy.cookie, { leads });
      expect(imported.status).toBe(200);
      expect(imported.body).toEqual({
        received: 1000,
        leads: 1000,
        created: 1000,
        updated: 0,
        enrollment: null,
      });
      expect((await leadCount(ivyWorkspace)) - before).toBe(1000);
      expect(await leadOf(ivyWorkspace, "chloé-garcía-31495")).toMatchObject({
        firstName: "Chloé",
        lastName: "García",
        company: "Helix Bio",
        title: "Chief Revenue Officer",
        custom: { location: "São Paulo", tag: "conference" },
      });
    });

    it("takes profile addresses too, and merges rows naming the same profile", async () => {
      const imported = await importAs(ada.cookie, {
        leads: [
          {
            publicIdentifier: "https://www.linkedin.com/in/Margaret-Hamilton/?trk=x",
            firstName: "Margaret",
          },
          { publicIdentifier: "margaret-hamilton", lastName: "Hamilton", company: "MIT" },
          { publicIdentifier: "linkedin.com/in/margaret%2Dhamilton" },
        ],
      });
      expect(imported.body).toMatchObject({ received: 3, leads: 1, created: 1, updated: 0 });
      expect(await leadOf(ada.workspaceId, "margaret-hamilton")).toMatchObject({
        firstName: "Margaret",
        lastName: "Hamilton",
        company: "MIT",
      });
    });

    it("refreshes a lead imported again: new values replace old ones, blanks erase nothing", async () => {
      await importAs(ada.cookie, {
        leads: [
          {
            publicIdentifier: "alan-turing",
            firstName: "Alan",
            company: "Bletchley Park",
            custom: { city: "London", team: "Hut 8" },
          },
        ],
      });
      const again = await importAs(ada.cookie, {
        leads: [
          {
            publicIdentifier: "alan-turing",
            firstName: "",
            company: "NPL",
            title: "Researcher",
            custom: { city: "Teddington" },
          },
        ],
      });
      expect(again.body).toMatchObject({ created: 0, updated: 1 });
      expect(await leadOf(ada.workspaceId, "alan-turing")).toMatchObject({
        firstName: "Alan",
        company: "NPL",
        title: "Researcher",
        custom: { city: "Teddington", team: "Hut 8" },
      });
    });

    it("enrolls straight into a campaign, skipping the blocklist and leads another campaign has", async () => {
      await call(blocklistRoute.POST, "/api/leads/blocklist", {
        method: "POST",
        cookie: ada.cookie,
        body: { publicIdentifiers: ["do-not-contact"], reason: "Asked us to stop" },
      });
      // Campaigns and leads of its own: the others' stay as beforeAll left them.
      const founders = await createCampaign("Founders in Lyon");
      const next = await createCampaign("Follow-up in Munich");
      const first = await importAs(ada.cookie, {
        campaignId: founders,
        leads: [
          { publicIdentifier: "annie-easley" },
          { publicIdentifier: "christine-darden" },
          { publicIdentifier: "do-not-contact" },
        ],
      });
      expect(first.status).toBe(200);
      expect(first.body.enrollment).toEqual({
        campaignId: founders,
        campaignName: "Founders in Lyon",
        enrolled: 2,
        skipped: { alreadyInCampaign: 0, inOtherCampaign: 0, blocklisted: 1 },
      });
      // The blocklisted person is still a lead of the workspace, just never enrolled.
      expect(await leadOf(ada.workspaceId, "do-not-contact")).not.toBeNull();
      expect(await enrollmentState(founders, "do-not-contact")).toBeNull();

      const second = await importAs(ada.cookie, {
        campaignId: next,
        leads: [{ publicIdentifier: "annie-easley" }, { publicIdentifier: "melba-mouton" }],
      });
      expect(second.body.enrollment).toMatchObject({
        enrolled: 1,
        skipped: { alreadyInCampaign: 0, inOtherCampaign: 1, blocklisted: 0 },
      });
      expect(await enrollmentState(next, "annie-easley")).toBeNull();

      const allowed = await importAs(ada.cookie, {
        campaignId: next,
        allowInOtherCampaigns: true,
        leads: [{ publicIdentifier: "annie-easley" }, { publicIdentifier: "melba-mouton" }],
      });
      expect(allowed.body.enrollment).toMatchObject({
        enrolled: 1,
        skipped: { alreadyInCampaign: 1, inOtherCampaign: 0, blocklisted: 0 },
      });
      expect(await enrollmentState(next, "annie-easley")).toMatchObject({
        state: "active",
      });
    });

    it("enrolls at the start step, due now, spread over the campaign's accounts by name", async () => {
      const second = await call(accountsRoute.POST, "/api/accounts", {
        method: "POST",
        cookie: ada.cookie,
        body: { name: "Ada's second seat", ...ALWAYS_WORKING },
      });
      const created = await call(campaignsRoute.POST, "/api/campaigns", {
        method: "POST",
        cookie: ada.cookie,
        body: {
          name: "Two seats",
          templateId: "connect-then-follow-up",
          accountIds: [second.body.id, ada.accountId],
        },
      });
      const before = Date.now();
      const imported = await importAs(ada.cookie, {
        campaignId: created.body.id,
        leads: ["spread-one", "spread-two", "spread-three", "spread-four"].map((id) => ({
          publicIdentifier: id,
        })),
      });
      expect(imported.body.enrollment).toMatchObject({ enrolled: 4 });
      const [live] = await database.db
        .select({ versionId: campaign.liveVersionId })
        .from(campaign)
        .where(eq(campaign.id, created.body.id));
      const rows = await database.db
        .select({
          publicIdentifier: lead.publicIdentifier,
          accountId: enrollment.accountId,
          nodeId: enrollment.nodeId,
          versionId: enrollment.versionId,
          queueKey: enrollment.queueKey,
          state: enrollment.state,
          nextRunAt: enrollment.nextRunAt,
        })
        .from(enrollment)
        .innerJoin(lead, eq(lead.id, enrollment.leadId))
        .where(eq(enrollment.campaignId, created.body.id));
      const byLead = new Map(rows.map((row) => [row.publicIdentifier, row]));
      // "Ada's seat" sorts before "Ada's second seat": leads alternate in the order given.
      expect(
        ["spread-one", "spread-two", "spread-three", "spread-four"].map(
          (id) => byLead.get(id)?.accountId,
        ),
      ).toEqual([ada.accountId, second.body.id, ada.accountId, second.body.id]);
      for (const row of rows) {
        expect(row).toMatchObject({
          nodeId: "start",
          versionId: live!.versionId,
          queueKey: row.publicIdentifier,
          state: "active",
        });
        expect(row.nextRunAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(row.nextRunAt.getTime()).toBeLessThanOrEqual(Date.now());
      }
    });

    it("imports 10,000 rows in one request", async () => {
      const leads = Array.from({ length: 10_000 }, (_, i) => ({
        publicIdentifier: `one-request-lead-${i}`,
        firstName: `Lead ${i}`,
        company: `Company ${i % 97}`,
        custom: { batch: "bulk" },
      }));
      const before = await leadCount(ada.workspaceId);
      const imported = await importAs(ada.cookie, { leads });
      expect(imported.body).toMatchObject({ received: 10_000, leads: 10_000, created: 10_000 });
      expect((await leadCount(ada.workspaceId)) - before).toBe(10_000);
    });
  });

  describe("all or nothing", () => {
    it("refuses the whole file for one bad row, naming it, and writes nothing", async () => {
      const before = await leadCount(ada.workspaceId);
      const refused = await importAs(ada.cookie, {
        leads: [
          { publicIdentifier: "fine-lead-one" },
          { publicIdentifier: "fine-lead-two" },
          { publicIdentifier: "https://www.linkedin.com/company/acme-robotics/" },
        ],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.fieldErrors["leads.2.publicIdentifier"]).toEqual([
        expect.stringContaining("is a company page"),
      ]);
      expect(await leadCount(ada.workspaceId)).toBe(before);
    });

    it("rolls back the leads when enrolling them fails half-way", async () => {
      const broken = await createCampaign("No sender left");
      await database.db.delete(campaignAccount).where(eq(campaignAccount.campaignId, broken));
      const before = await leadCount(ada.workspaceId);
      const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
      const failed = await importAs(ada.cookie, {
        campaignId: broken,
        leads: [{ publicIdentifier: "rolled-back-one" }, { publicIdentifier: "rolled-back-two" }],
      });
      quiet.mockRestore();
      expect(failed.status).toBe(500);
      expect(await leadCount(ada.workspaceId)).toBe(before);
      expect(await leadOf(ada.workspaceId, "rolled-back-one")).toBeNull();
    });

    it("writes nothing when the caller cancels before the transaction commits", async () => {
      const caller = await resolveCaller(new Headers({ cookie: ada.cookie }));
      const controller = new AbortController();
      controller.abort();
      const before = await leadCount(ada.workspaceId);
      await expect(
        importLeads(
          caller,
          {
            leads: [
              {
                publicIdentifier: "cancelled-lead",
                firstName: "",
                lastName: "",
                company: "",
                title: "",
                custom: {},
              },
            ],
            campaignId: outreach,
            allowInOtherCampaigns: false,
          },
          { signal: controller.signal },
        ),
      ).rejects.toMatchObject({ status: 499, code: "cancelled" });
      expect(await leadCount(ada.workspaceId)).toBe(before);
      expect(await enrollmentState(outreach, "cancelled-lead")).toBeNull();
    });

    describe("the Cancel import button's own request", () => {
      const cancel = (importId: string) =>
        call(cancelImportRoute.POST, "/api/leads/import/cancel", {
          method: "POST",
          body: { importId },
        });
      const manyLeads = (prefix: string, count: number) =>
        Array.from({ length: count }, (_, i) => ({ publicIdentifier: `${prefix}-${i}` }));

      it("stops an import while it is saving: rolled back, and the cancel says so", async () => {
        const importId = crypto.randomUUID();
        const before = await leadCount(ada.workspaceId);
        const importing = importAs(ada.cookie, {
          importId,
          campaignId: outreach,
          leads: manyLeads("mid-cancel", 12_000),
        });
        await vi.waitFor(() => expect(isImportRunning(importId)).toBe(true), {
          timeout: 30_000,
          interval: 5,
        });
        const cancelled = await cancel(importId);
        expect(cancelled.status).toBe(200);
        expect(cancelled.body).toEqual({ state: "cancelled" });
        const refused = await importing;
        expect(refused.status).toBe(499);
        expect(await leadCount(ada.workspaceId)).toBe(before);
        expect(await enrollmentState(outreach, "mid-cancel-0")).toBeNull();
      });

      it("refuses an import whose cancel arrived first", async () => {
        const importId = crypto.randomUUID();
        expect((await cancel(importId)).body).toEqual({ state: "cancelled" });
        const before = await leadCount(ada.workspaceId);
        const refused = await importAs(ada.cookie, {
          importId,
          leads: [{ publicIdentifier: "cancelled-first" }],
        });
        expect(refused.status).toBe(499);
        expect(await leadCount(ada.workspaceId)).toBe(before);
      });

      it("answers that an import already saved was saved, with its figures", async () => {
        const importId = crypto.randomUUID();
        const saved = await importAs(ada.cookie, {
          importId,
          leads: [{ publicIdentifier: "saved-before-cancel" }],
        });
        expect(saved.status).toBe(200);
        const late = await cancel(importId);
        expect(late.body).toMatchObject({ state: "saved", result: { created: 1, leads: 1 } });
        expect(await leadOf(ada.workspaceId, "saved-before-cancel")).not.toBeNull();
      });

      it("refuses a cancel without a well-formed import id (400)", async () => {
        expect((await cancel("not-an-id")).status).toBe(400);
      });
    });

    it("refuses a finished campaign (409) before writing anything", async () => {
      const before = await leadCount(ada.workspaceId);
      const refused = await importAs(ada.cookie, {
        campaignId: finished,
        leads: [{ publicIdentifier: "too-late-lead" }],
      });
      expect(refused.status).toBe(409);
      expect(await leadCount(ada.workspaceId)).toBe(before);
    });
  });

  describe("bad input is refused by its schema (400)", () => {
    it.each([
      ["no body fields", {}, "leads"],
      ["no leads", { leads: [] }, "leads"],
      ["a lead without identity", { leads: [{ firstName: "Ada" }] }, "leads.0.publicIdentifier"],
      [
        "a Sales Navigator link",
        { leads: [{ publicIdentifier: "https://www.linkedin.com/sales/lead/ACwAA,NAME" }] },
        "leads.0.publicIdentifier",
      ],
      [
        "a name over 100 characters",
        { leads: [{ publicIdentifier: "ada-x", firstName: "A".repeat(101) }] },
        "leads.0.firstName",
      ],
      [
        "a custom field name templates cannot use",
        { leads: [{ publicIdentifier: "ada-x", custom: { "1st": "x" } }] },
        "leads.0.custom.1st",
      ],
      [
        "a custom value that is not text",
        { leads: [{ publicIdentifier: "ada-x", custom: { score: 3 } }] },
        "leads.0.custom.score",
      ],
      [
        "a campaign id that is not text",
        { leads: [{ publicIdentifier: "ada-x" }], campaignId: 7 },
        "campaignId",
      ],
      [
        "a yes/no that is not a boolean",
        { leads: [{ publicIdentifier: "ada-x" }], allowInOtherCampaigns: "yes" },
        "allowInOtherCampaigns",
      ],
    ])("import: %s", async (_name, body, field) => {
      const before = await leadCount(ada.workspaceId);
      const refused = await importAs(ada.cookie, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("invalid_input");
      expect(Object.keys(refused.body.error.fieldErrors)).toContain(field);
      expect(await leadCount(ada.workspaceId)).toBe(before);
    });

    it("import: more rows than an import takes", async () => {
      const leads = Array.from({ length: MAX_IMPORT_LEADS + 1 }, (_, i) => ({
        publicIdentifier: `over-limit-${i}`,
      }));
      const refused = await importAs(ada.cookie, { leads });
      expect(refused.status).toBe(400);
      expect(refused.body.error.fieldErrors.leads).toEqual([
        expect.stringContaining("at most 20,000"),
      ]);
      expect(await leadOf(ada.workspaceId, "over-limit-0")).toBeNull();
    });

    it("import: a body that is not JSON", async () => {
      const response = await importRoute.POST(
        new Request("http://localhost:3000/api/leads/import", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin: "http://localhost:3000",
            cookie: ada.cookie,
          },
          body: "First Name,LinkedIn URL\nAda,ada",
        }),
        routeParams({}),
      );
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_json");
    });

    it.each([
      ["an unknown status", "status=sleeping", "status"],
      ["page 0", "page=0", "page"],
      ["a page of 1,000", "pageSize=1000", "pageSize"],
      ["a search over 100 characters", `search=${"x".repeat(101)}`, "search"],
    ])("list: %s", async (_name, query, field) => {
      const refused = await call(leadsRoute.GET, `/api/leads?${query}`, { cookie: ada.cookie });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.error.fieldErrors)).toContain(field);
    });

    it.each([
      ["no profiles", { publicIdentifiers: [] }, "publicIdentifiers"],
      [
        "a company page",
        { publicIdentifiers: ["https://www.linkedin.com/company/acme/"] },
        "publicIdentifiers.0",
      ],
      [
        "a reason over 200 characters",
        { publicIdentifiers: ["ada-x"], reason: "x".repeat(201) },
        "reason",
      ],
    ])("blocklist: %s", async (_name, body, field) => {
      const refused = await call(blocklistRoute.POST, "/api/leads/blocklist", {
        method: "POST",
        cookie: ada.cookie,
        body,
      });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.error.fieldErrors)).toContain(field);
    });

    it("server actions refuse bad input the same way", async () => {
      actAs(ada.cookie);
      const result = await leadActions.addToBlocklistAction({
        publicIdentifiers: ["not a profile"],
      });
      expect(result).toMatchObject({ ok: false, error: { code: "invalid_input" } });
      const toggle = await leadActions.setLeadBlockedAction({
        leadId: "x",
        blocked: "yes" as unknown as boolean,
      });
      expect(toggle).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    });
  });

  describe("list", () => {
    it("searches names, companies, titles and identifiers", async () => {
      const byName = await call(leadsRoute.GET, "/api/leads?search=chlo%C3%A9%20garc", {
        cookie: ada.cookie,
      });
      expect(byName.status).toBe(200);
      expect(
        byName.body.leads.map((l: { publicIdentifier: string }) => l.publicIdentifier),
      ).toContain("chloé-garcía-31495");
      expect(byName.body.leads.every((l: { name: string }) => /chloé garc/i.test(l.name))).toBe(
        true,
      );
      const byCompany = await call(leadsRoute.GET, "/api/leads?search=US%20Navy", {
        cookie: ada.cookie,
      });
      expect(byCompany.body.leads.map((l: { name: string }) => l.name)).toEqual(["Grace Hopper"]);
      // LIKE's wildcards in the search are matched literally.
      const wildcard = await call(leadsRoute.GET, "/api/leads?search=%25", { cookie: ada.cookie });
      expect(wildcard.body.total).toBe(0);
    });

    it("filters by campaign and by where leads stand", async () => {
      const get = async (query: string) => {
        const result = await call(leadsRoute.GET, `/api/leads?${query}&pageSize=200`, {
          cookie: ada.cookie,
        });
        expect(result.status).toBe(200);
        return result.body.leads
          .map((l: { publicIdentifier: string }) => l.publicIdentifier)
          .sort();
      };
      expect(await get(`campaignId=${outreach}`)).toEqual(["dorothy-vaughan", "katherine-johnson"]);
      expect(await get(`campaignId=${followUp}&status=active`)).toEqual([
        "katherine-johnson",
        "mary-jackson",
      ]);
      // Other tests blocklist leads of their own: the filter lists the workspace's leads on the
      // blocklist, do-not-contact among them, and no other.
      const onBlocklist = await database.db
        .select({ publicIdentifier: lead.publicIdentifier })
        .from(lead)
        .innerJoin(
          blocklistEntry,
          and(
            eq(blocklistEntry.workspaceId, lead.workspaceId),
            eq(blocklistEntry.publicIdentifier, lead.publicIdentifier),
          ),
        )
        .where(eq(lead.workspaceId, ada.workspaceId));
      const blocklisted = onBlocklist.map((row) => row.publicIdentifier).sort();
      expect(blocklisted).toContain("do-not-contact");
      expect(await get("status=blocklisted")).toEqual(blocklisted);
      expect(await get("status=never&search=hopper")).toEqual(["grace-hopper"]);

      const repliedBefore: string[] = await get("status=replied");
      expect(repliedBefore).not.toContain("katherine-johnson");
      // Ada's Katherine: another workspace may have a lead of the same profile.
      const katherine = await leadOf(ada.workspaceId, "katherine-johnson");
      await database.db.insert(inboundEvent).values({
        workspaceId: ada.workspaceId,
        provider: "sandbox",
        externalId: `reply-${backend}-1`,
        type: "replied",
        providerAccountId: "x",
        leadId: katherine!.id,
        occurredAt: new Date(),
        receivedAt: new Date(),
      });
      // Other tests may have given other leads a reply; Katherine joins them.
      expect(await get("status=replied")).toEqual([...repliedBefore, "katherine-johnson"].sort());
      const listed = await call(leadsRoute.GET, "/api/leads?search=katherine", {
        cookie: ada.cookie,
      });
      expect(listed.body.leads[0]).toMatchObject({
        replied: true,
        blocklisted: false,
        campaigns: expect.arrayContaining([
          expect.objectContaining({
            campaignId: outreach,
            name: "Founders in Paris",
            state: "active",
            waiting: expect.any(String),
          }),
          expect.objectContaining({
            campaignId: followUp,
            name: "Follow-up in Berlin",
            state: "active",
            waiting: expect.any(String),
          }),
        ]),
      });
    });

    it("pages through the list with a total", async () => {
      const first = await call(leadsRoute.GET, "/api/leads?search=bulk-lead-&pageSize=100", {
        cookie: ada.cookie,
      });
      const last = await call(
        leadsRoute.GET,
        "/api/leads?search=bulk-lead-&pageSize=100&page=100",
        {
          cookie: ada.cookie,
        },
      );
      expect(first.body.total).toBe(10_000);
      expect(first.body.totalCapped).toBe(false);
      expect(first.body.leads).toHaveLength(100);
      expect(last.body.leads).toHaveLength(100);
      const ids = new Set(first.body.leads.map((l: { id: string }) => l.id));
      expect(last.body.leads.some((l: { id: string }) => ids.has(l.id))).toBe(false);
    });

    it("stops counting at 10,000 matches and says there are more", async () => {
      // The 10,000 imported leads and the others: more than the count reads.
      const all = await call(leadsRoute.GET, "/api/leads?pageSize=100", { cookie: ada.cookie });
      expect(all.body.total).toBe(10_000);
      expect(all.body.totalCapped).toBe(true);
      expect(all.body.next).not.toBeNull();
      const beyond = await call(leadsRoute.GET, "/api/leads?pageSize=100&page=101", {
        cookie: ada.cookie,
      });
      expect(beyond.body.leads.length).toBeGreaterThan(0);
      expect(beyond.body.totalCapped).toBe(true);
      const fewer = await call(leadsRoute.GET, "/api/leads?search=bulk-lead-99", {
        cookie: ada.cookie,
      });
      // bulk-lead-99 and bulk-lead-990 … 9999: exact below the cap.
      expect(fewer.body.total).toBe(111);
      expect(fewer.body.totalCapped).toBe(false);
    });
  });

  describe("a lead's timeline", () => {
    it("shows enrolment, every action, branch, event and credit across campaigns", async () => {
      const dorothy = (await leadOf(ada.workspaceId, "dorothy-vaughan"))!;
      const enrolled = (await enrollmentState(outreach, "dorothy-vaughan"))!;
      const poolId = await createCreditPool(database.db, ada.workspaceId, {
        name: "Ada's InMails",
        plan: "sales_navigator_core",
        renewalDay: 1,
        balance: 10,
        at: new Date(),
      });
      const at = (minutes: number) => new Date(Date.now() + minutes * 60_000);
      const branch = "accepted:no";
      await database.db.insert(action).values({
        id: `connect-${backend}`,
        workspaceId: ada.workspaceId,
        idempotencyKey: `connect-${backend}-key`,
        enrollmentId: enrolled.id,
        campaignId: outreach,
        leadId: dorothy.id,
        accountId: ada.accountId,
        nodeId: "connect",
        kind: "connect",
        branch: "",
        variant: "a",
        status: "sent",
        localDate: "2026-03-02",
        createdAt: at(1),
        sentAt: at(1),
      });
      await database.db.insert(enrollmentStep).values([
        {
          workspaceId: ada.workspaceId,
          enrollmentId: enrolled.id,
          at: at(1),
          nodeId: "connect",
          exit: "next",
          toNodeId: "accepted",
          branch: "",
        },
        {
          workspaceId: ada.workspaceId,
          enrollmentId: enrolled.id,
          at: at(2),
          nodeId: "accepted",
          exit: "no",
          toNodeId: "end-not-connected",
          branch,
        },
      ]);
      await database.db.insert(inboundEvent).values({
        workspaceId: ada.workspaceId,
        provider: "sandbox",
        externalId: `reply-${backend}-dorothy`,
        type: "replied",
        providerAccountId: "x",
        accountId: ada.accountId,
        leadId: dorothy.id,
        occurredAt: at(3),
        receivedAt: at(3),
      });
      await database.db.insert(creditLedger).values({
        workspaceId: ada.workspaceId,
        poolId,
        at: at(4),
        type: "spend",
        amount: 1,
        campaignId: outreach,
        nodeId: "connect",
        branch,
        enrollmentId: enrolled.id,
        leadId: dorothy.id,
        actionId: `connect-${backend}`,
      });

      const timeline = await call(timelineRoute.GET, `/api/leads/${dorothy.id}/timeline`, {
        cookie: ada.cookie,
        params: { leadId: dorothy.id },
      });
      expect(timeline.status).toBe(200);
      const items = timeline.body.items as Array<Record<string, unknown>>;
      expect(items.map((item) => [item.kind, item.title])).toEqual([
        ["enrolled", "Enrolled"],
        ["action", "Invitation sent"],
        ["step", "Moved on"],
        ["branch", "Branch taken: Not accepted within 7 days"],
        ["event", "Replied"],
        ["credit", "1 InMail credit spent"],
      ]);
      expect(items[0]).toMatchObject({
        campaign: { id: outreach, name: "Founders in Paris" },
        detail: "version 1, sends from Ada's seat",
      });
      expect(items[1]).toMatchObject({
        step: expect.stringContaining("Connect"),
        branch: "Main path",
        variant: "a",
        status: "sent",
      });
      expect(items[2]).toMatchObject({ detail: expect.stringContaining("to If accepted") });
      expect(items[3]).toMatchObject({ branch: "Not accepted within 7 days" });
      expect(items[4]).toMatchObject({ campaign: null, detail: "on Ada's seat" });
      expect(items[5]).toMatchObject({ credits: 1, branch: "Not accepted within 7 days" });
    });

    it("describes the lead with its campaigns, step and branch", async () => {
      const katherine = (await leadOf(ada.workspaceId, "katherine-johnson"))!;
      const described = await call(leadRoute.GET, `/api/leads/${katherine.id}`, {
        cookie: ada.cookie,
        params: { leadId: katherine.id },
      });
      expect(described.status).toBe(200);
      expect(described.body.lead).toMatchObject({
        publicIdentifier: "katherine-johnson",
        profileUrl: "https://www.linkedin.com/in/katherine-johnson/",
      });
      expect(described.body.blocklisted).toBeNull();
      expect(described.body.enrollments).toHaveLength(2);
      expect(described.body.enrollments[0]).toMatchObject({
        state: "active",
        step: "Start · all enrolled leads",
        branch: "Main path",
      });
    });
  });

  describe("blocklist", () => {
    it("adds profiles by address, stops their running campaigns, and lists them", async () => {
      // A lead of its own in a campaign of its own: the other campaigns keep their leads.
      const customers = await createCampaign("Customers found later");
      const imported = await importAs(ada.cookie, {
        campaignId: customers,
        leads: [{ publicIdentifier: "ida-rhodes" }],
      });
      expect(imported.status).toBe(200);
      const added = await call(blocklistRoute.POST, "/api/leads/blocklist", {
        method: "POST",
        cookie: ada.cookie,
        body: {
          publicIdentifiers: [
            "https://www.linkedin.com/in/Ida-Rhodes/",
            "ida-rhodes",
            "someone-not-imported",
            "do-not-contact",
          ],
          reason: "Customer",
        },
      });
      expect(added.status).toBe(200);
      expect(added.body).toEqual({
        received: 3,
        added: 2,
        alreadyListed: 1,
        stoppedEnrollments: 1,
      });
      expect(await enrollmentState(customers, "ida-rhodes")).toMatchObject({ state: "removed" });
      const [step] = await database.db
        .select({ note: enrollmentStep.note })
        .from(enrollmentStep)
        .where(
          eq(enrollmentStep.enrollmentId, (await enrollmentState(customers, "ida-rhodes"))!.id),
        );
      expect(step?.note).toBe("Blocklisted by Ada Lovelace");

      const listed = await call(blocklistRoute.GET, "/api/leads/blocklist?search=rhodes", {
        cookie: ada.cookie,
      });
      expect(listed.body.entries).toEqual([
        {
          publicIdentifier: "ida-rhodes",
          reason: "Customer",
          createdAt: expect.any(String),
          lead: { id: expect.any(String), name: "ida-rhodes", company: "" },
        },
      ]);
    });

    it("blocklists one lead from its page and lifts it again", async () => {
      const ownCampaign = await createCampaign("Blocklisted from the lead's page");
      const imported = await importAs(ada.cookie, {
        campaignId: ownCampaign,
        leads: [{ publicIdentifier: "hedy-lamarr" }],
      });
      expect(imported.status).toBe(200);
      const dorothy = (await leadOf(ada.workspaceId, "hedy-lamarr"))!;
      const blocked = await call(leadBlocklistRoute.PUT, `/api/leads/${dorothy.id}/blocklist`, {
        method: "PUT",
        cookie: ada.cookie,
        body: { blocked: true, reason: "Competitor" },
        params: { leadId: dorothy.id },
      });
      expect(blocked.body).toEqual({ leadId: dorothy.id, blocked: true, stoppedEnrollments: 1 });
      const described = await call(leadRoute.GET, `/api/leads/${dorothy.id}`, {
        cookie: ada.cookie,
        params: { leadId: dorothy.id },
      });
      expect(described.body.blocklisted).toMatchObject({ reason: "Competitor" });

      actAs(ada.cookie);
      const lifted = await leadActions.setLeadBlockedAction({ leadId: dorothy.id, blocked: false });
      const listed = await call(blocklistRoute.POST, "/api/leads/blocklist", {
        method: "POST",
        cookie: ada.cookie,
        body: { publicIdentifiers: ["listed-then-lifted"] },
      });
      expect(listed.body).toMatchObject({ added: 1 });
      expect(lifted).toEqual({
        ok: true,
        data: { leadId: dorothy.id, blocked: false, stoppedEnrollments: 0 },
      });
      const removed = await call(blocklistRoute.DELETE, "/api/leads/blocklist", {
        method: "DELETE",
        cookie: ada.cookie,
        body: { publicIdentifiers: ["listed-then-lifted", "never-listed"] },
      });
      expect(removed.body).toEqual({ removed: 1 });
    });
  });

  describe("another workspace's ids answer 404 and nothing changes", () => {
    it("Bob cannot read, blocklist or import into anything of Ada's", async () => {
      const katherine = (await leadOf(ada.workspaceId, "katherine-johnson"))!;
      const leadId = katherine.id;
      const results = await Promise.all([
        call(leadRoute.GET, `/api/leads/${leadId}`, { cookie: bob.cookie, params: { leadId } }),
        call(timelineRoute.GET, `/api/leads/${leadId}/timeline`, {
          cookie: bob.cookie,
          params: { leadId },
        }),
        call(leadBlocklistRoute.PUT, `/api/leads/${leadId}/blocklist`, {
          method: "PUT",
          cookie: bob.cookie,
          body: { blocked: true },
          params: { leadId },
        }),
        importAs(bob.cookie, { campaignId: outreach, leads: [{ publicIdentifier: "bobs-lead" }] }),
        call(leadsRoute.GET, `/api/leads?campaignId=${outreach}`, { cookie: bob.cookie }),
      ]);
      for (const result of results) {
        expect(result.status).toBe(404);
        expect(result.body.error.code).toBe("not_found");
      }
      actAs(bob.cookie);
      expect(await leadActions.setLeadBlockedAction({ leadId, blocked: true })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      expect(await leadOf(bob.workspaceId, "bobs-lead")).toBeNull();
      expect(await enrollmentState(outreach, "bobs-lead")).toBeNull();
      expect(await enrollmentState(outreach, "katherine-johnson")).toMatchObject({
        state: "active",
      });
    });

    it("Bob's list and blocklist are his own, and his removals leave Ada's entries", async () => {
      const list = await call(leadsRoute.GET, "/api/leads", { cookie: bob.cookie });
      expect(list.body).toMatchObject({ leads: [], total: 0 });
      const blocklist = await call(blocklistRoute.GET, "/api/leads/blocklist", {
        cookie: bob.cookie,
      });
      expect(blocklist.body).toMatchObject({ entries: [], total: 0 });
      const removed = await call(blocklistRoute.DELETE, "/api/leads/blocklist", {
        method: "DELETE",
        cookie: bob.cookie,
        body: { publicIdentifiers: ["do-not-contact"] },
      });
      expect(removed.body).toEqual({ removed: 0 });
      const [entry] = await database.db
        .select()
        .from(blocklistEntry)
        .where(
          and(
            eq(blocklistEntry.workspaceId, ada.workspaceId),
            eq(blocklistEntry.publicIdentifier, "do-not-contact"),
          ),
        );
      expect(entry).toBeDefined();
    });

    it("the same profile imported by another workspace is a lead of its own", async () => {
      // A workspace of its own, so that Bob's stays empty for the test above.
      const cleo = await signUp("Cleo Byron", "cleo@example.com");
      const cleoWorkspace = (await resolveCaller(new Headers({ cookie: cleo.cookie }))).workspace
        .workspaceId;
      const imported = await importAs(cleo.cookie, {
        leads: [{ publicIdentifier: "katherine-johnson", firstName: "K." }],
      });
      expect(imported.body).toMatchObject({ created: 1 });
      expect(await leadOf(cleoWorkspace, "katherine-johnson")).toMatchObject({ firstName: "K." });
      expect(await leadOf(ada.workspaceId, "katherine-johnson")).toMatchObject({ firstName: "" });
    });
  });

  it("a member may look but not import or change the blocklist (403)", async () => {
    const seen = await importAs(ada.cookie, { leads: [{ publicIdentifier: "seen-by-members" }] });
    expect(seen.status).toBe(200);
    const list = await call(leadsRoute.GET, "/api/leads", { cookie: dave.cookie });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    const refused = await Promise.all([
      importAs(dave.cookie, { leads: [{ publicIdentifier: "daves-lead" }] }),
      call(blocklistRoute.POST, "/api/leads/blocklist", {
        method: "POST",
        cookie: dave.cookie,
        body: { publicIdentifiers: ["daves-lead"] },
      }),
    ]);
    for (const result of refused) expect(result.status).toBe(403);
    expect(await leadOf(ada.workspaceId, "daves-lead")).toBeNull();
  });

  it("answers 401 JSON to unauthenticated calls", async () => {
    const p = { leadId: "x" };
    const results = await Promise.all([
      call(leadsRoute.GET, "/api/leads"),
      importAs("", { leads: [] }),
      call(leadRoute.GET, "/api/leads/x", { params: p }),
      call(timelineRoute.GET, "/api/leads/x/timeline", { params: p }),
      call(blocklistRoute.GET, "/api/leads/blocklist"),
    ]);
    for (const result of results) expect(result.status).toBe(401);
  });
});
