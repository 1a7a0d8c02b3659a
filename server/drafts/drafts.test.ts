import { and, asc, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  campaign,
  enrollment,
  enrollmentStep,
  lead,
  usageCounter,
  workflowVersion,
} from "@/db/schema/index";
import { callRoute as call, joinAsMember, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";
import type { DraftGraph } from "@/workflows/graph/index";
import { copyStarterGraph } from "@/workflows/templates/index";
import { resolveCaller } from "../http/guard";
import { publishCampaignDraft } from "./publish-campaign-draft";

const campaignsRoute = await import("@/app/api/campaigns/route");
const campaignRoute = await import("@/app/api/campaigns/[campaignId]/route");
const draftRoute = await import("@/app/api/campaigns/[campaignId]/draft/route");
const publishRoute = await import("@/app/api/campaigns/[campaignId]/publish/route");
const leadsRoute = await import("@/app/api/campaigns/[campaignId]/leads/route");
const accountsRoute = await import("@/app/api/accounts/route");

const PARIS_HOURS = {
  timeZone: "Europe/Paris",
  workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
};

/** The "Connect first, InMail" starter with its InMail step replaced by a new one. */
function withInMailReplaced(): DraftGraph {
  const graph = copyStarterGraph("connect-then-inmail")! as DraftGraph;
  const inmail = graph.nodes.find((node) => node.id === "inmail")!;
  inmail.id = "inmail-2";
  for (const edge of graph.edges) {
    if (edge.source === "inmail") {
      edge.source = "inmail-2";
      edge.id = `inmail-2-${edge.sourceHandle}`;
    }
    if (edge.target === "inmail") edge.target = "inmail-2";
  }
  return graph;
}

describe.each(BACKENDS)("campaign drafts and publishing on %s", (backend) => {
  let database: TestDatabase;
  let ada: { cookie: string; accountId: string };
  let bob: { cookie: string };
  let dave: { cookie: string };

  const draftOf = (cookie: string, campaignId: string) =>
    call(draftRoute.GET, `/api/campaigns/${campaignId}/draft`, {
      cookie,
      params: { campaignId },
    });
  const saveDraft = (cookie: string, campaignId: string, body: Record<string, unknown>) =>
    call(draftRoute.PUT, `/api/campaigns/${campaignId}/draft`, {
      method: "PUT",
      cookie,
      body,
      params: { campaignId },
    });
  const preview = (cookie: string, campaignId: string) =>
    call(publishRoute.GET, `/api/campaigns/${campaignId}/publish`, {
      cookie,
      params: { campaignId },
    });
  const publish = (cookie: string, campaignId: string, body: Record<string, unknown>) =>
    call(publishRoute.POST, `/api/campaigns/${campaignId}/publish`, {
      method: "POST",
      cookie,
      body,
      params: { campaignId },
    });

  async function createCampaign(body: Record<string, unknown>) {
    const created = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie: ada.cookie,
      body: { accountIds: [ada.accountId], ...body },
    });
    return created;
  }

  /** A running campaign from the "Connect first, InMail" starter with leads at given steps. */
  async function runningCampaignWithLeads(name: string, steps: Record<string, string>) {
    const created = await createCampaign({ name, templateId: "connect-then-inmail" });
    expect(created.status).toBe(201);
    const campaignId: string = created.body.id;
    const added = await call(leadsRoute.POST, `/api/campaigns/${campaignId}/leads`, {
      method: "POST",
      cookie: ada.cookie,
      body: { leads: Object.keys(steps).map((publicIdentifier) => ({ publicIdentifier })) },
      params: { campaignId },
    });
    expect(added.body.enrolled).toBe(Object.keys(steps).length);
    for (const [publicIdentifier, nodeId] of Object.entries(steps)) {
      const [row] = await enrollmentsOf(campaignId, publicIdentifier);
      await database.db
        .update(enrollment)
        .set({ nodeId, stepSeq: 3 })
        .where(eq(enrollment.id, row!.id));
    }
    return campaignId;
  }

  async function enrollmentsOf(campaignId: string, publicIdentifier?: string) {
    return database.db
      .select({
        id: enrollment.id,
        publicIdentifier: lead.publicIdentifier,
        versionId: enrollment.versionId,
        nodeId: enrollment.nodeId,
        stepSeq: enrollment.stepSeq,
        state: enrollment.state,
        leaseOwner: enrollment.leaseOwner,
      })
      .from(enrollment)
      .innerJoin(lead, eq(lead.id, enrollment.leadId))
      .where(
        and(
          eq(enrollment.campaignId, campaignId),
          publicIdentifier ? eq(lead.publicIdentifier, publicIdentifier) : undefined,
        ),
      )
      .orderBy(asc(lead.publicIdentifier));
  }

  async function versionsOf(campaignId: string) {
    return database.db
      .select({ id: workflowVersion.id, version: workflowVersion.version })
      .from(workflowVersion)
      .where(eq(workflowVersion.campaignId, campaignId))
      .orderBy(asc(workflowVersion.version));
  }

  /** Saves `graph` as the campaign's draft and answers the new draft hash. */
  async function saveAs(campaignId: string, graph: unknown): Promise<string> {
    const loaded = await draftOf(ada.cookie, campaignId);
    const saved = await saveDraft(ada.cookie, campaignId, {
      baseHash: loaded.body.draftHash,
      graph,
    });
    expect(saved.status).toBe(200);
    return saved.body.hash;
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const adaSession = await signUp("Ada Lovelace", "ada@example.com");
    bob = await signUp("Bob Byron", "bob@example.com");
    const daveSession = await signUp("Dave Ng", "dave@example.com");
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: adaSession.cookie,
      body: { name: "Ada's seat", ...PARIS_HOURS },
    });
    expect(account.status).toBe(201);
    ada = { cookie: adaSession.cookie, accountId: account.body.id };

    const accepted = await joinAsMember(ada.cookie, daveSession.cookie, "dave@example.com");
    expect(accepted.status).toBe(200);
    dave = { cookie: daveSession.cookie };
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => actAs(""));

  describe("creating a draft", () => {
    it("a blank draft opens with only its start, nothing published and nothing running", async () => {
      const created = await createCampaign({
        name: "From scratch",
        templateId: "blank",
        draft: true,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: "draft", liveVersionId: null });
      const loaded = await draftOf(ada.cookie, created.body.id);
      expect(loaded.status).toBe(200);
      expect(loaded.body).toMatchObject({
        campaign: { name: "From scratch", status: "draft" },
        live: null,
        unpublishedChanges: true,
        problem: null,
        migratedFrom: null,
        canEdit: true,
      });
      expect(loaded.body.graph.nodes).toEqual([
        { id: "start", kind: "start", position: { x: 0, y: 0 }, config: { leads: "all_enrolled" } },
      ]);
      expect(await versionsOf(created.body.id)).toEqual([]);
    });

    it("a draft from a starter template carries the template's graph, unpublished", async () => {
      const created = await createCampaign({
        name: "Template draft",
        templateId: "vip-inmail",
        draft: true,
      });
      expect(created.status).toBe(201);
      const loaded = await draftOf(ada.cookie, created.body.id);
      expect(loaded.body.graph).toEqual(copyStarterGraph("vip-inmail"));
      expect(loaded.body.live).toBeNull();
    });

    it("a blank campaign cannot be started at once: it has to be drawn first", async () => {
      const refused = await createCampaign({ name: "Blank and running", templateId: "blank" });
      expect(refused.status).toBe(400);
      expect(refused.body.error.fieldErrors.templateId[0]).toMatch(/opens in the editor/);
      const rows = await database.db
        .select()
        .from(campaign)
        .where(eq(campaign.name, "Blank and running"));
      expect(rows).toEqual([]);
    });
  });

  describe("saving with a compare-and-swap on the draft hash", () => {
    it("saves a draft from the hash it was loaded with and answers the new hash", async () => {
      const created = await createCampaign({ name: "Autosaved", templateId: "blank", draft: true });
      const loaded = await draftOf(ada.cookie, created.body.id);
      const graph = copyStarterGraph("connect-then-follow-up");
      const saved = await saveDraft(ada.cookie, created.body.id, {
        baseHash: loaded.body.draftHash,
        graph,
      });
      expect(saved.status).toBe(200);
      expect(saved.body.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(saved.body.hash).not.toBe(loaded.body.draftHash);
      const reloaded = await draftOf(ada.cookie, created.body.id);
      expect(reloaded.body.graph).toEqual(graph);
      expect(reloaded.body.draftHash).toBe(saved.body.hash);
    });

    it("refuses a save made from a stale copy with 409 and keeps the other tab's draft", async () => {
      const created = await createCampaign({ name: "Two tabs", templateId: "blank", draft: true });
      const firstTab = await draftOf(ada.cookie, created.body.id);
      const secondTab = await draftOf(ada.cookie, created.body.id);
      const first = await saveDraft(ada.cookie, created.body.id, {
        baseHash: firstTab.body.draftHash,
        graph: copyStarterGraph("vip-inmail"),
      });
      expect(first.status).toBe(200);
      const second = await saveDraft(ada.cookie, created.body.id, {
        baseHash: secondTab.body.draftHash,
        graph: copyStarterGraph("connect-then-inmail"),
      });
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe("draft_conflict");
      expect(second.body.error.message).toMatch(/another tab/);
      const now = await draftOf(ada.cookie, created.body.id);
      expect(now.body.graph).toEqual(copyStarterGraph("vip-inmail"));
      expect(now.body.draftHash).toBe(first.body.hash);
    });

    it("refuses something that is not a graph with 400, saving nothing", async () => {
      const created = await createCampaign({
        name: "Not a graph",
        templateId: "blank",
        draft: true,
      });
      const loaded = await draftOf(ada.cookie, created.body.id);
      for (const graph of [null, "nodes", { schemaVersion: 9, nodes: [], edges: [] }]) {
        const refused = await saveDraft(ada.cookie, created.body.id, {
          baseHash: loaded.body.draftHash,
          graph,
        });
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe("invalid_graph");
      }
      expect((await draftOf(ada.cookie, created.body.id)).body.draftHash).toBe(
        loaded.body.draftHash,
      );
    });

    it("saves a half-finished draft: configs are checked when publishing, not when saving", async () => {
      const created = await createCampaign({
        name: "Unfinished",
        templateId: "blank",
        draft: true,
      });
      const graph = {
        schemaVersion: 2,
        nodes: [
          {
            id: "start",
            kind: "start",
            position: { x: 0, y: 0 },
            config: { leads: "all_enrolled" },
          },
          { id: "wait", kind: "wait", position: { x: 0, y: 200 }, config: { amount: "" } },
        ],
        edges: [{ id: "start-next", source: "start", sourceHandle: "next", target: "wait" }],
      };
      await saveAs(created.body.id, graph);
      expect((await draftOf(ada.cookie, created.body.id)).body.graph).toEqual(graph);
    });
  });

  describe("opening old and damaged drafts", () => {
    it("a draft saved by schema version 1 is upgraded on load", async () => {
      const created = await createCampaign({ name: "Old draft", templateId: "blank", draft: true });
      await database.db
        .update(campaign)
        .set({
          draftGraph: {
            nodes: [
              { id: "start", type: "start", position: { x: 0, y: 0 } },
              { id: "pause", type: "wait", position: { x: 0, y: 200 }, data: { days: 3 } },
            ],
            edges: [{ id: "e1", source: "start", target: "pause" }],
          },
        })
        .where(eq(campaign.id, created.body.id));
      const loaded = await draftOf(ada.cookie, created.body.id);
      expect(loaded.status).toBe(200);
      expect(loaded.body.migratedFrom).toBe(1);
      expect(loaded.body.problem).toBeNull();
      expect(loaded.body.graph).toEqual({
        schemaVersion: 2,
        nodes: [
          {
            id: "start",
            kind: "start",
            position: { x: 0, y: 0 },
            config: { leads: "all_enrolled" },
          },
          {
            id: "pause",
            kind: "wait",
            position: { x: 0, y: 200 },
            config: { amount: 3, unit: "days", workingDaysOnly: false },
          },
        ],
        edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "pause" }],
      });
      // The stored hash stays the base of the next save, so the upgrade is saved normally.
      const saved = await saveDraft(ada.cookie, created.body.id, {
        baseHash: loaded.body.draftHash,
        graph: loaded.body.graph,
      });
      expect(saved.status).toBe(200);
    });

    it("a corrupt draft opens the last published version with a clear message", async () => {
      const created = await createCampaign({ name: "Corrupted", templateId: "vip-inmail" });
      await database.db
        .update(campaign)
        .set({ draftGraph: { nodes: "lost in a crash", edges: [] } })
        .where(eq(campaign.id, created.body.id));
      const loaded = await draftOf(ada.cookie, created.body.id);
      expect(loaded.status).toBe(200);
      expect(loaded.body.problem).toMatch(/could not be read/);
      expect(loaded.body.problem).toMatch(/last published version, v1/);
      expect(loaded.body.graph).toEqual(copyStarterGraph("vip-inmail"));
      expect(loaded.body.live).toMatchObject({ version: 1 });
      // Saving from it replaces the unreadable draft.
      const saved = await saveDraft(ada.cookie, created.body.id, {
        baseHash: loaded.body.draftHash,
        graph: loaded.body.graph,
      });
      expect(saved.status).toBe(200);
      expect((await draftOf(ada.cookie, created.body.id)).body.problem).toBeNull();
    });

    it("a corrupt draft with nothing published opens an empty campaign, never a crash", async () => {
      const created = await createCampaign({
        name: "Corrupt draft",
        templateId: "blank",
        draft: true,
      });
      await database.db
        .update(campaign)
        .set({ draftGraph: "garbage" })
        .where(eq(campaign.id, created.body.id));
      const loaded = await draftOf(ada.cookie, created.body.id);
      expect(loaded.status).toBe(200);
      expect(loaded.body.problem).toMatch(/opened an empty campaign/);
      expect(loaded.body.graph.nodes.map((node: { kind: string }) => node.kind)).toEqual(["start"]);
    });
  });

  describe("publishing", () => {
    it("refuses a draft with errors, then publishes version 1 and shows it live", async () => {
      const created = await createCampaign({
        name: "Publish me",
        templateId: "blank",
        draft: true,
      });
      const campaignId = created.body.id;
      const blank = await draftOf(ada.cookie, campaignId);
      const refused = await publish(ada.cookie, campaignId, { draftHash: blank.body.draftHash });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe("graph_invalid");
      expect(await versionsOf(campaignId)).toEqual([]);

      const draftHash = await saveAs(campaignId, copyStarterGraph("connect-then-inmail"));
      const previewed = await preview(ada.cookie, campaignId);
      expect(previewed.body).toMatchObject({
        draftHash,
        errors: [],
        nextVersion: 1,
        liveVersion: null,
        inFlight: 0,
        staying: [],
        stranded: [],
      });
      const published = await publish(ada.cookie, campaignId, { draftHash });
      expect(published.status).toBe(201);
      expect(published.body).toMatchObject({
        version: 1,
        leads: { stayed: 0, moved: 0, ended: 0 },
      });
      const loaded = await draftOf(ada.cookie, campaignId);
      expect(loaded.body.live).toMatchObject({ id: published.body.versionId, version: 1 });
      expect(loaded.body.unpublishedChanges).toBe(false);
      // A draft campaign stays a draft until it is launched.
      const detail = await call(campaignRoute.GET, `/api/campaigns/${campaignId}`, {
        cookie: ada.cookie,
        params: { campaignId },
      });
      expect(detail.body).toMatchObject({ status: "draft", liveVersion: { version: 1 } });

      const again = await publish(ada.cookie, campaignId, { draftHash });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("no_changes");
    });

    it("versions are immutable: editing the draft after publishing leaves v1 as it was", async () => {
      const created = await createCampaign({ name: "Immutable", templateId: "vip-inmail" });
      const campaignId = created.body.id;
      const [v1] = await database.db
        .select({ graph: workflowVersion.graph, hash: workflowVersion.hash })
        .from(workflowVersion)
        .where(eq(workflowVersion.campaignId, campaignId));
      const edited = copyStarterGraph("vip-inmail")!;
      edited.nodes[0]!.position = { x: 400, y: 40 };
      const draftHash = await saveAs(campaignId, edited);
      expect((await draftOf(ada.cookie, campaignId)).body.unpublishedChanges).toBe(true);
      const published = await publish(ada.cookie, campaignId, { draftHash });
      expect(published.body.version).toBe(2);
      const [after] = await database.db
        .select({ graph: workflowVersion.graph, hash: workflowVersion.hash })
        .from(workflowVersion)
        .where(and(eq(workflowVersion.campaignId, campaignId), eq(workflowVersion.version, 1)));
      expect(after).toEqual(v1);
    });

    it("refuses to publish a draft that changed after it was reviewed", async () => {
      const created = await createCampaign({ name: "Moved on", templateId: "blank", draft: true });
      const reviewed = await saveAs(created.body.id, copyStarterGraph("vip-inmail"));
      await saveAs(created.body.id, copyStarterGraph("connect-then-inmail"));
      const refused = await publish(ada.cookie, created.body.id, { draftHash: reviewed });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("draft_conflict");
      expect(await versionsOf(created.body.id)).toEqual([]);
    });
  });

  describe("publishing with leads in flight", () => {
    it("shows who stays and who is stranded, and refuses without a choice for the stranded", async () => {
      const campaignId = await runningCampaignWithLeads("In flight", {
        "lead-at-connect": "connect",
        "lead-at-inmail": "inmail",
        "lead-at-thanks": "thanks",
      });
      const before = await enrollmentsOf(campaignId);
      const draftHash = await saveAs(campaignId, withInMailReplaced());
      const previewed = await preview(ada.cookie, campaignId);
      expect(previewed.status).toBe(200);
      expect(previewed.body).toMatchObject({ inFlight: 3, busy: 0, nextVersion: 2, errors: [] });
      expect(previewed.body.staying).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ nodeId: "connect", count: 1 }),
          expect.objectContaining({ nodeId: "thanks", count: 1 }),
        ]),
      );
      expect(previewed.body.stranded).toEqual([
        expect.objectContaining({
          nodeId: "inmail",
          count: 1,
          reason: "removed",
          oldKind: "inmail",
          newKind: null,
          label: expect.stringMatching(/^InMail · /),
        }),
      ]);
      expect(previewed.body.targets.map((t: { nodeId: string }) => t.nodeId)).toContain("inmail-2");
      expect(previewed.body.targets.map((t: { nodeId: string }) => t.nodeId)).not.toContain(
        "start",
      );

      const refused = await publish(ada.cookie, campaignId, { draftHash });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("stranded_leads");
      expect(refused.body.error.message).toMatch(/1 lead at step inmail/);
      expect(await versionsOf(campaignId)).toHaveLength(1);
      expect(await enrollmentsOf(campaignId)).toEqual(before);
    });

    it("moves every lead to the new version in one go: staying leads keep their step, stranded ones follow the choice", async () => {
      const campaignId = await runningCampaignWithLeads("Moving", {
        "moving-at-connect": "connect",
        "moving-at-inmail": "inmail",
        "moving-at-thanks": "thanks",
      });
      const draftHash = await saveAs(campaignId, withInMailReplaced());
      const published = await publish(ada.cookie, campaignId, {
        draftHash,
        choices: { inmail: { action: "move", toNodeId: "inmail-2" } },
      });
      expect(published.status).toBe(201);
      expect(published.body).toMatchObject({
        version: 2,
        leads: { stayed: 2, moved: 1, ended: 0 },
      });
      const after = await enrollmentsOf(campaignId);
      for (const row of after) expect(row.versionId).toBe(published.body.versionId);
      expect(
        after.map(({ publicIdentifier, nodeId, stepSeq, state }) => ({
          publicIdentifier,
          nodeId,
          stepSeq,
          state,
        })),
      ).toEqual([
        { publicIdentifier: "moving-at-connect", nodeId: "connect", stepSeq: 3, state: "active" },
        { publicIdentifier: "moving-at-inmail", nodeId: "inmail-2", stepSeq: 4, state: "active" },
        { publicIdentifier: "moving-at-thanks", nodeId: "thanks", stepSeq: 3, state: "active" },
      ]);
      const moved = after.find((row) => row.publicIdentifier === "moving-at-inmail")!;
      const history = await database.db
        .select({
          nodeId: enrollmentStep.nodeId,
          toNodeId: enrollmentStep.toNodeId,
          note: enrollmentStep.note,
        })
        .from(enrollmentStep)
        .where(eq(enrollmentStep.enrollmentId, moved.id));
      expect(history).toEqual([
        {
          nodeId: "inmail",
          toNodeId: "inmail-2",
          note: expect.stringMatching(/version 2 was published/),
        },
      ]);
      const [row] = await database.db
        .select({ liveVersionId: campaign.liveVersionId })
        .from(campaign)
        .where(eq(campaign.id, campaignId));
      expect(row?.liveVersionId).toBe(published.body.versionId);
    });

    it("ends the run of stranded leads when that is the choice, giving back a booked cap place", async () => {
      const campaignId = await runningCampaignWithLeads("Ending", { "ending-at-inmail": "inmail" });
      // A full cap had promised the stranded lead a place on a coming day.
      const [stranded] = await enrollmentsOf(campaignId);
      await database.db
        .update(enrollment)
        .set({
          stepState: {
            seq: 3,
            enteredAt: "2026-03-02T08:00:00.000Z",
            bookedDate: "2026-03-03",
            bookedKind: "inmail",
          },
        })
        .where(eq(enrollment.id, stranded!.id));
      const place = { accountId: ada.accountId, localDate: "2026-03-03", used: 0, booked: 1 };
      await database.db.insert(usageCounter).values([
        { ...place, kind: "inmail" },
        { ...place, kind: "total" },
      ]);
      const draftHash = await saveAs(campaignId, withInMailReplaced());
      const published = await publish(ada.cookie, campaignId, {
        draftHash,
        choices: { inmail: { action: "end" } },
      });
      expect(published.status).toBe(201);
      expect(published.body.leads).toEqual({ stayed: 0, moved: 0, ended: 1 });
      const [ended] = await enrollmentsOf(campaignId);
      expect(ended).toMatchObject({ nodeId: "inmail", state: "done", stepSeq: 4 });
      const places = await database.db
        .select({ kind: usageCounter.kind, booked: usageCounter.booked })
        .from(usageCounter)
        .where(eq(usageCounter.accountId, ada.accountId));
      expect(places.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { kind: "inmail", booked: 0 },
        { kind: "total", booked: 0 },
      ]);
    });

    it("never touches a lead a worker holds: answers 409 with how many, and changes nothing", async () => {
      const campaignId = await runningCampaignWithLeads("Busy", {
        "busy-held": "connect",
        "busy-free": "thanks",
      });
      const [held] = await enrollmentsOf(campaignId, "busy-held");
      await database.db
        .update(enrollment)
        .set({ leaseOwner: "worker-7", leaseExpiresAt: new Date(Date.now() + 60_000) })
        .where(eq(enrollment.id, held!.id));
      const before = await enrollmentsOf(campaignId);
      const draftHash = await saveAs(campaignId, withInMailReplaced());

      expect((await preview(ada.cookie, campaignId)).body.busy).toBe(1);
      const refused = await publish(ada.cookie, campaignId, {
        draftHash,
        choices: {},
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({
        code: "leads_busy",
        message: "1 lead is being processed right now, try again in a few seconds.",
      });
      expect(await versionsOf(campaignId)).toHaveLength(1);
      expect(await enrollmentsOf(campaignId)).toEqual(before);
    });

    if (backend === "postgres") {
      it("a worker's transaction still open on a lead makes publishing wait, then answer busy", async () => {
        const campaignId = await runningCampaignWithLeads("Locked", { "locked-lead": "connect" });
        const [row] = await enrollmentsOf(campaignId, "locked-lead");
        const draftHash = await saveAs(campaignId, withInMailReplaced());
        // Another process in the middle of claiming the lead: its row lock is not committed.
        const worker = new pg.Client({ connectionString: database.url });
        await worker.connect();
        try {
          await worker.query("begin");
          await worker.query(
            "update enrollment set lease_owner = 'worker-9', lease_expires_at = now() + interval '1 minute' where id = $1",
            [row!.id],
          );
          const caller = await resolveCaller(new Headers({ cookie: ada.cookie }));
          await expect(
            publishCampaignDraft(
              caller,
              { campaignId, draftHash, choices: {} },
              { retryDelaysMs: [] },
            ),
          ).rejects.toMatchObject({
            status: 409,
            code: "leads_busy",
            message: "Some leads are being processed right now, try again in a few seconds.",
          });
        } finally {
          await worker.query("rollback");
          await worker.end();
        }
        expect(await versionsOf(campaignId)).toHaveLength(1);
      });
    }

    it("tries again while a worker holds a lead, and publishes once the lease is let go", async () => {
      const campaignId = await runningCampaignWithLeads("Retry", { "retry-held": "connect" });
      const [held] = await enrollmentsOf(campaignId, "retry-held");
      await database.db
        .update(enrollment)
        .set({ leaseOwner: "worker-8", leaseExpiresAt: new Date(Date.now() + 60_000) })
        .where(eq(enrollment.id, held!.id));
      const draftHash = await saveAs(campaignId, withInMailReplaced());
      const caller = await resolveCaller(new Headers({ cookie: ada.cookie }));
      const waits: number[] = [];
      const result = await publishCampaignDraft(
        caller,
        { campaignId, draftHash, choices: {} },
        {
          retryDelaysMs: [10, 20, 40],
          // The worker finishes its step while publishing waits.
          sleep: async (ms) => {
            waits.push(ms);
            await database.db
              .update(enrollment)
              .set({ leaseOwner: null, leaseExpiresAt: null })
              .where(eq(enrollment.id, held!.id));
          },
        },
      );
      expect(waits).toEqual([10]);
      expect(result).toMatchObject({ version: 2, leads: { stayed: 1, moved: 0, ended: 0 } });
    });

    it("an expired lease is no longer held: the lead moves and the dead worker's lease is cleared", async () => {
      const campaignId = await runningCampaignWithLeads("Expired", { "expired-lease": "inmail" });
      const [row] = await enrollmentsOf(campaignId, "expired-lease");
      await database.db
        .update(enrollment)
        .set({ leaseOwner: "dead-worker", leaseExpiresAt: new Date(Date.now() - 1_000) })
        .where(eq(enrollment.id, row!.id));
      const draftHash = await saveAs(campaignId, withInMailReplaced());
      const published = await publish(ada.cookie, campaignId, {
        draftHash,
        choices: { inmail: { action: "move", toNodeId: "inmail-2" } },
      });
      expect(published.status).toBe(201);
      // With the lease cleared, the dead worker's conditional writes (lease_owner = its name)
      // can no longer land on this lead.
      expect(await enrollmentsOf(campaignId, "expired-lease")).toEqual([
        expect.objectContaining({ nodeId: "inmail-2", leaseOwner: null, stepSeq: 4 }),
      ]);
    });
  });

  describe("access", () => {
    it("another workspace's campaign answers 404 on every editor route, and nothing changes", async () => {
      const created = await createCampaign({ name: "Ada's secret", templateId: "vip-inmail" });
      const campaignId = created.body.id;
      const loaded = await draftOf(ada.cookie, campaignId);
      const results = await Promise.all([
        draftOf(bob.cookie, campaignId),
        saveDraft(bob.cookie, campaignId, {
          baseHash: loaded.body.draftHash,
          graph: copyStarterGraph("connect-then-inmail"),
        }),
        preview(bob.cookie, campaignId),
        publish(bob.cookie, campaignId, { draftHash: loaded.body.draftHash }),
      ]);
      for (const result of results) {
        expect(result.status).toBe(404);
        expect(result.body.error.code).toBe("not_found");
      }
      expect((await draftOf(ada.cookie, campaignId)).body.draftHash).toBe(loaded.body.draftHash);
      expect(await versionsOf(campaignId)).toHaveLength(1);
    });

    it("a member may open the editor read-only but not save or publish (403)", async () => {
      const created = await createCampaign({ name: "Look only", templateId: "blank", draft: true });
      const campaignId = created.body.id;
      const loaded = await draftOf(dave.cookie, campaignId);
      expect(loaded.status).toBe(200);
      expect(loaded.body.canEdit).toBe(false);
      const saved = await saveDraft(dave.cookie, campaignId, {
        baseHash: loaded.body.draftHash,
        graph: copyStarterGraph("vip-inmail"),
      });
      const published = await publish(dave.cookie, campaignId, {
        draftHash: loaded.body.draftHash,
      });
      for (const result of [saved, published]) {
        expect(result.status).toBe(403);
        expect(result.body.error.code).toBe("forbidden");
      }
    });

    it("answers 401 to unauthenticated calls", async () => {
      const params = { campaignId: "x" };
      const results = await Promise.all([
        call(draftRoute.GET, "/api/campaigns/x/draft", { params }),
        call(draftRoute.PUT, "/api/campaigns/x/draft", { method: "PUT", body: {}, params }),
        call(publishRoute.GET, "/api/campaigns/x/publish", { params }),
        call(publishRoute.POST, "/api/campaigns/x/publish", { method: "POST", body: {}, params }),
      ]);
      for (const result of results) expect(result.status).toBe(401);
    });
  });
});
