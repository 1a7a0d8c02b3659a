import { and, eq, inArray } from "drizzle-orm";
import Papa from "papaparse";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blocklistEntry, enrollment, enrollmentStep, lead } from "@/db/schema/index";
import {
  apiRequest,
  callRoute as call,
  joinAsMember,
  routeParams,
  signUp,
} from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";
import { resolveCaller } from "../http/guard";

const leadActions = await import("@/app/(app)/leads/actions");
const leadsRoute = await import("@/app/api/leads/route");
const exportRoute = await import("@/app/api/leads/export/route");
const importRoute = await import("@/app/api/leads/import/route");
const accountsRoute = await import("@/app/api/accounts/route");
const campaignsRoute = await import("@/app/api/campaigns/route");

const HOURS = {
  timeZone: "Europe/Paris",
  workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
};

describe.each(BACKENDS)("bulk lead operations on %s", (backend) => {
  let database: TestDatabase;
  let ada: { cookie: string; workspaceId: string };
  let bob: { cookie: string };
  let dave: { cookie: string };
  let accountId: string;
  /** A campaign no test adds leads to. */
  let untouched: string;
  /** Ada's 120 leads: 100 tagged "conference", 20 "webinar", newest last. */
  let leadIds: string[];

  async function createCampaign(cookie: string, name: string, accountId: string) {
    const created = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie,
      body: { name, templateId: "connect-then-follow-up", accountIds: [accountId] },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  /** The export's CSV as the browser downloads it. */
  async function exportCsv(query: string, cookie: string) {
    const response = await exportRoute.GET(
      apiRequest(`/api/leads/export?${query}`, { cookie }),
      routeParams({}),
    );
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      text: await response.text(),
    };
  }

  async function enrollmentsOf(campaignId: string) {
    return database.db
      .select({
        leadId: enrollment.leadId,
        state: enrollment.state,
        nodeId: enrollment.nodeId,
        id: enrollment.id,
      })
      .from(enrollment)
      .where(eq(enrollment.campaignId, campaignId));
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const adaSession = await signUp("Ada Lovelace", "ada-bulk@example.com");
    const bobSession = await signUp("Bob Byron", "bob-bulk@example.com");
    const daveSession = await signUp("Dave Ng", "dave-bulk@example.com");
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: adaSession.cookie,
      body: { name: "Ada's seat", ...HOURS },
    });
    expect(account.status).toBe(201);
    ada = {
      cookie: adaSession.cookie,
      workspaceId: (await resolveCaller(new Headers({ cookie: adaSession.cookie }))).workspace
        .workspaceId,
    };
    bob = { cookie: bobSession.cookie };
    accountId = account.body.id;
    untouched = await createCampaign(ada.cookie, "Founders in Rome", accountId);
    const leads = Array.from({ length: 120 }, (_, i) => ({
      publicIdentifier: `bulk-lead-${String(i).padStart(3, "0")}`,
      firstName: i === 0 ? "=HYPERLINK(evil)" : `Lead ${i}`,
      lastName: "Bulk",
      company: "Acme",
      custom: { tag: i < 100 ? "conference" : "webinar" },
    }));
    const imported = await call(importRoute.POST, "/api/leads/import", {
      method: "POST",
      cookie: ada.cookie,
      body: { leads },
    });
    expect(imported.status).toBe(200);
    const rows = await database.db
      .select({ id: lead.id, publicIdentifier: lead.publicIdentifier })
      .from(lead)
      .where(eq(lead.workspaceId, ada.workspaceId));
    rows.sort((a, b) => a.publicIdentifier.localeCompare(b.publicIdentifier));
    leadIds = rows.map((row) => row.id);
    const accepted = await joinAsMember(ada.cookie, daveSession.cookie, "dave-bulk@example.com");
    expect(accepted.status).toBe(200);
    dave = { cookie: daveSession.cookie };
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => actAs(""));

  it("filters the list by an imported column", async () => {
    const listed = await call(leadsRoute.GET, "/api/leads?field=tag&value=webin");
    expect(listed.status).toBe(401);
    const webinar = await call(leadsRoute.GET, "/api/leads?field=tag&value=webin&pageSize=200", {
      cookie: ada.cookie,
    });
    expect(webinar.body.total).toBe(20);
    const tagged = await call(leadsRoute.GET, "/api/leads?field=tag", { cookie: ada.cookie });
    expect(tagged.body.total).toBe(120);
    const none = await call(leadsRoute.GET, "/api/leads?field=city", { cookie: ada.cookie });
    expect(none.body.total).toBe(0);
    const refused = await call(leadsRoute.GET, "/api/leads?field=ta%27g", { cookie: ada.cookie });
    expect(refused.status).toBe(400);
  });

  it("adds every lead a filter matches to a campaign, then lists them by the step they are at", async () => {
    const paris = await createCampaign(ada.cookie, "Founders in Paris", accountId);
    actAs(ada.cookie);
    const added = await leadActions.addSelectedToCampaignAction({
      selection: { filter: { field: "tag", value: "conference" } },
      campaignId: paris,
      allowInOtherCampaigns: true,
    });
    expect(added).toMatchObject({
      ok: true,
      data: { selected: 100, enrolled: 100, campaignName: "Founders in Paris" },
    });
    const enrolled = await enrollmentsOf(paris);
    expect(enrolled).toHaveLength(100);
    const tagged = new Set(leadIds.slice(0, 100));
    expect(enrolled.every((row) => tagged.has(row.leadId))).toBe(true);

    const again = await leadActions.addSelectedToCampaignAction({
      selection: { leadIds: leadIds.slice(95, 105) },
      campaignId: paris,
      allowInOtherCampaigns: true,
    });
    expect(again).toMatchObject({
      ok: true,
      data: { selected: 10, enrolled: 5, skipped: { alreadyInCampaign: 5 } },
    });

    const stepId = enrolled[0]!.nodeId;
    const atStep = await call(
      leadsRoute.GET,
      `/api/leads?campaignId=${paris}&stepId=${encodeURIComponent(stepId)}&pageSize=200`,
      { cookie: ada.cookie },
    );
    expect(atStep.body.total).toBe(105);
    const elsewhere = await call(
      leadsRoute.GET,
      `/api/leads?campaignId=${paris}&stepId=no-such-step`,
      { cookie: ada.cookie },
    );
    expect(elsewhere.body.total).toBe(0);
  });

  it("takes ticked leads out of one campaign, recorded on their history, others untouched", async () => {
    const paris = await createCampaign(ada.cookie, "Paris again", accountId);
    const berlin = await createCampaign(ada.cookie, "Founders in Berlin", accountId);
    actAs(ada.cookie);
    for (const campaignId of [paris, berlin]) {
      const added = await leadActions.addSelectedToCampaignAction({
        selection: { leadIds: leadIds.slice(0, 10) },
        campaignId,
        allowInOtherCampaigns: true,
      });
      expect(added).toMatchObject({ ok: true, data: { enrolled: 10 } });
    }
    const removed = await leadActions.removeSelectedFromCampaignAction({
      selection: { leadIds: leadIds.slice(0, 10) },
      campaignId: paris,
    });
    expect(removed).toMatchObject({ ok: true, data: { selected: 10, removed: 10 } });
    const paris10 = (await enrollmentsOf(paris)).filter((row) =>
      leadIds.slice(0, 10).includes(row.leadId),
    );
    expect(paris10.map((row) => row.state)).toEqual(Array(10).fill("removed"));
    const notes = await database.db
      .select({ note: enrollmentStep.note })
      .from(enrollmentStep)
      .where(
        inArray(
          enrollmentStep.enrollmentId,
          paris10.map((row) => row.id),
        ),
      );
    expect(notes).toHaveLength(10);
    expect(notes[0]?.note).toBe("Removed from the campaign by Ada Lovelace");
    const berlin10 = await enrollmentsOf(berlin);
    expect(berlin10.map((row) => row.state)).toEqual(Array(10).fill("active"));

    // Removing them again changes nothing.
    const twice = await leadActions.removeSelectedFromCampaignAction({
      selection: { leadIds: leadIds.slice(0, 10) },
      campaignId: paris,
    });
    expect(twice).toMatchObject({ ok: true, data: { removed: 0 } });
  });

  it("totals a campaign's leads, in progress, finished and at a step, as its leads are", async () => {
    const lisbon = await createCampaign(ada.cookie, "Founders in Lisbon", accountId);
    actAs(ada.cookie);
    // Leads no other test blocklists, deletes or takes out of campaigns.
    const chosen = leadIds.slice(60, 80);
    await leadActions.addSelectedToCampaignAction({
      selection: { leadIds: chosen },
      campaignId: lisbon,
      allowInOtherCampaigns: true,
    });
    await leadActions.removeSelectedFromCampaignAction({
      selection: { leadIds: chosen.slice(0, 6) },
      campaignId: lisbon,
    });
    const stepId = (await enrollmentsOf(lisbon)).find((row) => row.state === "active")!.nodeId;
    const totals = async (extra: string) => {
      const listed = await call(
        leadsRoute.GET,
        `/api/leads?campaignId=${lisbon}${extra}&pageSize=200`,
        { cookie: ada.cookie },
      );
      expect(listed.status).toBe(200);
      expect(listed.body.leads).toHaveLength(listed.body.total);
      return listed.body.total as number;
    };
    const filters = [
      "",
      "&status=active",
      "&status=finished",
      `&stepId=${encodeURIComponent(stepId)}`,
      `&stepId=${encodeURIComponent(stepId)}&status=active`,
      `&stepId=${encodeURIComponent(stepId)}&status=finished`,
    ];
    const counted = [];
    for (const filter of filters) counted.push(await totals(filter));
    expect(counted).toEqual([20, 14, 6, 14, 14, 0]);
    // The same filters with one the counters cannot answer (every one of these leads has the
    // column): the matching leads are counted, and agree.
    const matched = [];
    for (const filter of filters) matched.push(await totals(`${filter}&field=tag`));
    expect(matched).toEqual(counted);
  });

  it("blocklists the selection and stops every campaign contacting it", async () => {
    const madrid = await createCampaign(ada.cookie, "Founders in Madrid", accountId);
    actAs(ada.cookie);
    const webinar = leadIds.slice(110, 113);
    await leadActions.addSelectedToCampaignAction({
      selection: { leadIds: webinar },
      campaignId: madrid,
      allowInOtherCampaigns: true,
    });
    const blocked = await leadActions.blocklistSelectedAction({
      selection: { leadIds: webinar },
      reason: "Customers",
    });
    expect(blocked).toMatchObject({
      ok: true,
      data: { selected: 3, added: 3, stoppedEnrollments: 3 },
    });
    const entries = await database.db
      .select({ reason: blocklistEntry.reason })
      .from(blocklistEntry)
      .where(eq(blocklistEntry.workspaceId, ada.workspaceId));
    expect(entries).toEqual(Array(3).fill({ reason: "Customers" }));
    expect((await enrollmentsOf(madrid)).map((row) => row.state)).toEqual(Array(3).fill("removed"));
  });

  it("exports the selection as CSV an import reads back, formulas kept as text", async () => {
    const exported = await exportCsv("field=tag&value=webinar", dave.cookie);
    expect(exported.status).toBe(200);
    expect(exported.type).toBe("text/csv; charset=utf-8");
    const parsed = Papa.parse<string[]>(exported.text.trim());
    expect(parsed.data[0]).toEqual([
      "First Name",
      "Last Name",
      "Company",
      "Title",
      "LinkedIn URL",
      "Public identifier",
      "tag",
    ]);
    expect(parsed.data).toHaveLength(21);
    expect(parsed.data.slice(1).every((row) => row[6] === "webinar")).toBe(true);

    const ticked = await exportCsv(`ids=${leadIds[0]}`, ada.cookie);
    const [, row] = Papa.parse<string[]>(ticked.text.trim()).data;
    expect(row?.[0]).toBe("'=HYPERLINK(evil)");
    expect(row?.[4]).toBe("https://www.linkedin.com/in/bulk-lead-000/");
  });

  it("never reaches another workspace's leads or campaigns", async () => {
    actAs(bob.cookie);
    const blocked = await leadActions.blocklistSelectedAction({
      selection: { leadIds: leadIds.slice(50, 60) },
    });
    expect(blocked).toMatchObject({ ok: true, data: { selected: 0, added: 0 } });
    const added = await leadActions.addSelectedToCampaignAction({
      selection: { leadIds: leadIds.slice(50, 60) },
      campaignId: untouched,
    });
    expect(added).toMatchObject({ ok: false, error: { code: "not_found" } });
    const exported = await exportCsv(`ids=${leadIds[50]}`, bob.cookie);
    expect(Papa.parse<string[]>(exported.text.trim()).data).toHaveLength(1);
  });

  it("lets a member select and export, but not change anything (403)", async () => {
    const lyon = await createCampaign(ada.cookie, "Founders in Lyon", accountId);
    actAs(ada.cookie);
    await leadActions.addSelectedToCampaignAction({
      selection: { leadIds: leadIds.slice(20, 30) },
      campaignId: lyon,
      allowInOtherCampaigns: true,
    });
    actAs(dave.cookie);
    const refused = await leadActions.removeSelectedFromCampaignAction({
      selection: { leadIds: leadIds.slice(20, 30) },
      campaignId: lyon,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const still = await database.db
      .select({ state: enrollment.state })
      .from(enrollment)
      .where(
        and(eq(enrollment.campaignId, lyon), inArray(enrollment.leadId, leadIds.slice(20, 30))),
      );
    expect(still.map((row) => row.state)).toEqual(Array(10).fill("active"));
  });

  it("refuses a selection that names neither leads nor filters", async () => {
    actAs(ada.cookie);
    const result = await leadActions.blocklistSelectedAction({ selection: {} });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });
});
