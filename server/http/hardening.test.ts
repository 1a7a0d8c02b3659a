import { count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { campaign, inboundEvent, lead, organization, workflowVersion } from "@/db/schema/index";
import { callRoute as call, routeParams, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { copyStarterGraph } from "@/workflows/templates/index";
import { webhookSecretFor } from "../unipile/webhooks";

process.env.OUTFLOW_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");

const campaignsRoute = await import("@/app/api/campaigns/route");
const draftRoute = await import("@/app/api/campaigns/[campaignId]/draft/route");
const publishRoute = await import("@/app/api/campaigns/[campaignId]/publish/route");
const accountsRoute = await import("@/app/api/accounts/route");
const importRoute = await import("@/app/api/leads/import/route");
const webhookRoute = await import("@/app/api/webhooks/unipile/route");

/** A graph of `steps` visits in a row after the start: what froze the server at 50,000. */
function chainGraph(steps: number) {
  const nodes: unknown[] = [
    { id: "start", kind: "start", position: { x: 0, y: 0 }, config: { leads: "all_enrolled" } },
  ];
  const edges: unknown[] = [];
  let previous = "start";
  for (let i = 0; i < steps; i++) {
    const id = `v${i}`;
    nodes.push({ id, kind: "visit", position: { x: 0, y: (i + 1) * 100 }, config: {} });
    edges.push({ id: `e${i}`, source: previous, sourceHandle: "next", target: id });
    previous = id;
  }
  nodes.push({ id: "end", kind: "end", position: { x: 0, y: 0 }, config: { outcome: "done" } });
  edges.push({ id: "e-end", source: previous, sourceHandle: "next", target: "end" });
  return { schemaVersion: 2, nodes, edges };
}

/**
 * A request whose body streams in chunks with no Content-Length, as a chunked upload does;
 * `onSent` runs once the whole body was handed over.
 */
function chunkedRequest(
  path: string,
  cookie: string,
  chunks: () => Generator<string>,
  options: { signal?: AbortSignal; onSent?: () => void } = {},
) {
  const encoder = new TextEncoder();
  const source = chunks();
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = source.next();
      if (next.done) {
        controller.close();
        options.onSent?.();
      } else {
        pulled += 1;
        controller.enqueue(encoder.encode(next.value));
      }
    },
  });
  const request = new Request(`http://localhost:3000${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: "http://localhost:3000" },
    body,
    duplex: "half",
    signal: options.signal,
  } as RequestInit);
  expect(request.headers.get("content-length")).toBeNull();
  return { request, pulled: () => pulled };
}

describe.each(BACKENDS)("hardening against oversized and malformed input on %s", (backend) => {
  let database: TestDatabase;
  let ada: { cookie: string; accountId: string };

  const campaignCount = async () =>
    (await database.db.select({ n: count() }).from(campaign))[0]?.n ?? 0;
  const leadCount = async () => (await database.db.select({ n: count() }).from(lead))[0]?.n ?? 0;
  const createCampaign = (body: Record<string, unknown>) =>
    call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie: ada.cookie,
      body: { accountIds: [ada.accountId], ...body },
    });

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const session = await signUp("Ada Lovelace", "ada@example.com");
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: session.cookie,
      body: {
        name: "Ada's seat",
        timeZone: "Europe/Paris",
        workingHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" },
      },
    });
    expect(account.status).toBe(201);
    ada = { cookie: session.cookie, accountId: account.body.id };
  });

  afterAll(async () => {
    await database?.destroy();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  describe("graph limits", () => {
    it("refuses a 50,000-step graph on create, as a running campaign or a draft, and stores nothing", async () => {
      const before = await campaignCount();
      const huge = chainGraph(50_000);
      for (const draft of [false, true]) {
        const created = await createCampaign({ name: "Huge", graph: huge, draft });
        expect(created.status).toBe(413);
      }
      // Under the request limit but over the step limit: refused by the graph's own limits.
      const over = await createCampaign({ name: "Over", graph: chainGraph(600), draft: true });
      expect(over.status).toBe(413);
      expect(over.body.error.code).toBe("graph_too_large");
      expect(over.body.error.message).toContain("at most 500 steps");
      expect(await campaignCount()).toBe(before);
    });

    it("refuses a 50,000-step draft save and a text past the limit, and keeps the draft", async () => {
      const created = await createCampaign({ name: "Small", templateId: "blank", draft: true });
      expect(created.status).toBe(201);
      const campaignId: string = created.body.id;
      const loaded = await call(draftRoute.GET, `/api/campaigns/${campaignId}/draft`, {
        cookie: ada.cookie,
        params: { campaignId },
      });
      const save = (graph: unknown) =>
        call(draftRoute.PUT, `/api/campaigns/${campaignId}/draft`, {
          method: "PUT",
          cookie: ada.cookie,
          body: { baseHash: loaded.body.draftHash, graph },
          params: { campaignId },
        });
      expect((await save(chainGraph(50_000))).status).toBe(413);
      expect((await save(chainGraph(501))).status).toBe(413);
      const longText = copyStarterGraph("connect-then-inmail") as {
        nodes: Array<{
          kind: string;
          config: { noteVariants: Array<{ id: string; weight: number; text: string }> };
        }>;
      };
      const connect = longText.nodes.find((node) => node.kind === "connect");
      connect!.config.noteVariants = [{ id: "a", weight: 1, text: "x".repeat(20_000) }];
      const refused = await save(longText);
      expect(refused.status).toBe(413);
      expect(refused.body.error.message).toContain("20,000 characters");
      const [row] = await database.db
        .select({ hash: campaign.draftHash })
        .from(campaign)
        .where(eq(campaign.id, campaignId));
      expect(row?.hash).toBe(loaded.body.draftHash);
      // The limit is not the editor's: a graph at it still saves.
      expect((await save(chainGraph(498))).status).toBe(200);
    });

    it("refuses to publish (or preview) a 50,000-step draft stored before the limits, and publishes nothing", async () => {
      const created = await createCampaign({ name: "Legacy", templateId: "blank", draft: true });
      const campaignId: string = created.body.id;
      const huge = chainGraph(50_000);
      await database.db
        .update(campaign)
        .set({ draftGraph: huge, draftHash: "legacy-hash" })
        .where(eq(campaign.id, campaignId));
      const preview = await call(publishRoute.GET, `/api/campaigns/${campaignId}/publish`, {
        cookie: ada.cookie,
        params: { campaignId },
      });
      expect(preview.status).toBe(413);
      const published = await call(publishRoute.POST, `/api/campaigns/${campaignId}/publish`, {
        method: "POST",
        cookie: ada.cookie,
        body: { draftHash: "legacy-hash" },
        params: { campaignId },
      });
      expect(published.status).toBe(413);
      expect(published.body.error.code).toBe("graph_too_large");
      const versions = await database.db
        .select({ n: count() })
        .from(workflowVersion)
        .where(eq(workflowVersion.campaignId, campaignId));
      expect(versions[0]?.n).toBe(0);
    });

    it("refuses a body past the request limit while it streams in, Content-Length or not", async () => {
      const before = await campaignCount();
      const { request, pulled } = chunkedRequest("/api/campaigns", ada.cookie, function* () {
        yield `{"name":"Streamed","accountIds":["${ada.accountId}"],"draft":true,"graph":{"schemaVersion":2,"edges":[],"nodes":[`;
        for (let i = 0; i < 1_000_000; i++) {
          yield `${i ? "," : ""}{"id":"n${i}","kind":"visit","position":{"x":0,"y":0},"config":{}}`;
        }
        yield "]}}";
      });
      const response = await campaignsRoute.POST(request, routeParams({}));
      expect(response.status).toBe(413);
      // Reading stopped soon after the limit (2 MB): the rest of the upload was never taken.
      expect(pulled()).toBeLessThan(60_000);
      expect(await campaignCount()).toBe(before);
    });
  });

  describe("NUL characters", () => {
    it("are refused with 400 in a campaign name and in a graph's text, and nothing is stored", async () => {
      const before = await campaignCount();
      const named = await createCampaign({
        name: "Bad\u0000name",
        templateId: "blank",
        draft: true,
      });
      expect(named.status).toBe(400);
      expect(named.body.error.fieldErrors).toHaveProperty("name");
      const graph = copyStarterGraph("connect-then-inmail") as {
        nodes: Array<{
          kind: string;
          config: { noteVariants: Array<{ id: string; weight: number; text: string }> };
        }>;
      };
      graph.nodes.find((node) => node.kind === "connect")!.config.noteVariants = [
        { id: "a", weight: 1, text: "Hi\u0000" },
      ];
      const inGraph = await createCampaign({ name: "Graph with NUL", graph });
      expect(inGraph.status).toBe(400);
      expect(inGraph.body.error.message).toContain("NUL");
      expect(await campaignCount()).toBe(before);
    });

    it("are refused with 400 in an imported lead, nothing is imported, and no lead data is logged", async () => {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      const before = await leadCount();
      const leads = Array.from({ length: 600 }, (_, i) => ({
        publicIdentifier: `nul-lead-${i}`,
        firstName: `Secretname${i}`,
      }));
      leads[555] = { publicIdentifier: "nul-lead-555", firstName: "Grace\u0000Hopper" };
      const imported = await call(importRoute.POST, "/api/leads/import", {
        method: "POST",
        cookie: ada.cookie,
        body: { leads },
      });
      expect(imported.status).toBe(400);
      expect(imported.body.error.fieldErrors).toHaveProperty(["leads.555.firstName"]);
      expect(await leadCount()).toBe(before);
      const output = logged.mock.calls.flat().map(String).join("\n");
      expect(output).not.toContain("Secretname");
      expect(output).not.toContain("Grace");
    });
  });

  describe("lead import size", () => {
    it("refuses (413) a chunked upload without Content-Length past the limit, reading no further", async () => {
      const before = await leadCount();
      const row = `{"publicIdentifier":"chunked-lead","firstName":"${"A".repeat(900)}"}`;
      const { request, pulled } = chunkedRequest("/api/leads/import", ada.cookie, function* () {
        yield '{"leads":[';
        // 100 MB if read whole; the limit is 32 MB.
        for (let i = 0; i < 100_000; i++) yield `${i ? "," : ""}${row}`;
        yield "]}";
      });
      const response = await importRoute.POST(request, routeParams({}));
      expect(response.status).toBe(413);
      expect((await response.json()).error.code).toBe("too_large");
      expect(pulled()).toBeLessThan(40_000);
      expect(await leadCount()).toBe(before);
    });

    it("keeps nothing of a large import whose client went away while it was being read", async () => {
      const before = await leadCount();
      const client = new AbortController();
      const { request } = chunkedRequest(
        "/api/leads/import",
        ada.cookie,
        function* () {
          yield '{"leads":[';
          for (let i = 0; i < 20_000; i++) {
            yield `${i ? "," : ""}{"publicIdentifier":"gone-${i}","firstName":"Gone","lastName":"Away"}`;
          }
          yield "]}";
        },
        // The whole body arrived; the client cancels while the server reads and checks it.
        { signal: client.signal, onSent: () => setImmediate(() => client.abort()) },
      );
      const response = await importRoute.POST(request, routeParams({}));
      expect(response.status).toBe(499);
      expect((await response.json()).error.code).toBe("cancelled");
      expect(await leadCount()).toBe(before);
    });

    it("imports a large chunked upload under the limit, checking every row", async () => {
      const before = await leadCount();
      const { request } = chunkedRequest("/api/leads/import", ada.cookie, function* () {
        yield '{"leads":[';
        for (let i = 0; i < 3000; i++) {
          yield `${i ? "," : ""}{"publicIdentifier":"bulk-${i}","firstName":"Bulk","custom":{"note":"${"n".repeat(100)}"}}`;
        }
        yield '],"allowInOtherCampaigns":false}';
      });
      const response = await importRoute.POST(request, routeParams({}));
      expect(response.status).toBe(200);
      expect((await response.json()).created).toBe(3000);
      expect(await leadCount()).toBe(before + 3000);
    });
  });
  describe("webhook size", () => {
    it("refuses a chunked delivery past the request limit, even with the right secret, and stores nothing", async () => {
      const [workspace] = await database.db.select({ id: organization.id }).from(organization);
      const workspaceId = workspace!.id;
      const events = async () =>
        (await database.db.select({ n: count() }).from(inboundEvent))[0]?.n ?? 0;
      const before = await events();
      const { request, pulled } = chunkedRequest(
        `/api/webhooks/unipile?workspace=${workspaceId}`,
        "",
        function* () {
          yield '{"event":"message_received","account_id":"seat","message":"';
          for (let i = 0; i < 100_000; i++) yield "x".repeat(1000);
          yield '"}';
        },
      );
      request.headers.set("Unipile-Auth", webhookSecretFor(workspaceId));
      const response = await webhookRoute.POST(request);
      expect(response.status).toBe(400);
      // Reading stopped at the limit (2 MB) of a 100 MB delivery.
      expect(pulled()).toBeLessThan(3_000);
      expect(await events()).toBe(before);
    });
  });
});
