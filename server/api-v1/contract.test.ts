import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { upsertConversation } from "@/db/inbox/messages";
import { enrollment, lead } from "@/db/schema/index";
import { WEBHOOK_EVENT_TYPES } from "@/db/webhooks/events";
import { callApi } from "@/test/api-v1";
import { callRoute as call, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { WAITING_REASON_CODES } from "@/workflows/engine/waiting-reason";
import { starterTemplates } from "@/workflows/templates/index";
import { apiV1Document } from "./openapi";
import { apiOperations } from "./operations";

const keysRoute = await import("@/app/api/workspace/api-keys/route");
const accountsRoute = await import("@/app/api/accounts/route");
const poolsRoute = await import("@/app/api/credits/pools/route");
const openapiRoute = await import("@/app/api/v1/openapi.json/route");
const referencePage = await import("@/app/developers/api/route");
const redocBundle = await import("@/app/developers/api/redoc.standalone.js/route");

type Method = "GET" | "POST" | "DELETE";
interface Call {
  method: Method;
  path: string;
  body?: unknown;
}

const TOO_LONG_ID = "x".repeat(101);
const graph = () => structuredClone(starterTemplates[0]?.graph);

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document, served at /api/v1/openapi.json", async () => {
    const response = openapiRoute.GET();
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents exactly the operations the catch-all route serves, and nothing else is served", () => {
    const document = apiV1Document();
    const documented = Object.entries(document.paths ?? {}).flatMap(([route, item]) =>
      Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${route}`),
    );
    const served = apiOperations.map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect(new Set(documented)).toEqual(new Set(served));
    expect(documented).toHaveLength(served.length);
    // No route file under app/api/v1 besides the dispatcher and the document itself.
    const root = path.join(process.cwd(), "app/api/v1");
    const routeFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? routeFiles(path.join(dir, entry.name))
          : [path.relative(root, path.join(dir, entry.name))],
      );
    expect(routeFiles(root).sort()).toEqual(["[...path]/route.ts", "openapi.json/route.ts"]);
  });
});

describe("the OpenAPI document's webhooks", () => {
  it("documents every event type an endpoint can subscribe to, with its body", () => {
    const document = apiV1Document();
    expect(Object.keys(document.webhooks ?? {}).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      const post = document.webhooks?.[type]?.post;
      const headers = (post?.parameters ?? []).map((p) => ("name" in p ? p.name : ""));
      expect(headers).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
      const body = post?.requestBody;
      expect(JSON.stringify(body)).toContain(`"const":"${type}"`);
    }
  });
});

describe("the API reference page", () => {
  it("renders the document with Redoc served by the app itself, nothing from another host", async () => {
    const page = await referencePage
      .GET(new Request("http://localhost/developers/api", { headers: { "x-nonce": "bm9uY2U=" } }))
      .text();
    expect(page).toContain('<redoc spec-url="/api/v1/openapi.json"');
    const scripts = [...page.matchAll(/<script([^>]*)>/g)].map((match) => match[1]);
    // The one script, from this app, with the request's nonce (the pages' CSP asks for one).
    expect(scripts).toEqual([' nonce="bm9uY2U=" src="/developers/api/redoc.standalone.js"']);
    const bundle = await redocBundle.GET();
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });
});

describe.each(BACKENDS)("every documented route, once valid and once invalid, on %s", (backend) => {
  let database: TestDatabase;
  let key: string;
  let cookie: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS = "1";
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    cookie = (await signUp("Ada Lovelace", "ada@example.com")).cookie;
    key = (
      await call(keysRoute.POST, "/api/workspace/api-keys", {
        method: "POST",
        cookie,
        body: { name: "contract", scope: "write" },
      })
    ).body.key;
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie,
      body: { name: "Ada's seat", timeZone: "Europe/Paris" },
    });
    ids.accountId = account.body.id;
    const pool = await call(poolsRoute.POST, "/api/credits/pools", {
      method: "POST",
      cookie,
      body: { name: "Sales", plan: "sales_navigator_core", renewalDay: 12, openingBalance: 10 },
    });
    expect(pool.status).toBe(201);
    ids.poolId = pool.body.id;
  });

  afterAll(async () => {
    delete process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS;
    await database?.destroy();
  });

  // In an order where each valid call finds what it needs; `invalid` is null only for
  // operations that take no input at all.
  const cases: Array<{ id: string; valid: () => Call; invalid: (() => Call) | null }> = [
    {
      id: "validateCampaignGraph",
      valid: () => ({ method: "POST", path: "/campaigns/validate", body: { graph: graph() } }),
      invalid: () => ({ method: "POST", path: "/campaigns/validate", body: [graph()] }),
    },
    {
      id: "createCampaign",
      valid: () => ({
        method: "POST",
        path: "/campaigns",
        body: { name: "API campaign", graph: graph(), accountIds: [ids.accountId], draft: true },
      }),
      invalid: () => ({
        method: "POST",
        path: "/campaigns",
        body: { name: "x", graph: graph(), accountIds: [] },
      }),
    },
    {
      id: "listCampaigns",
      valid: () => ({ method: "GET", path: "/campaigns" }),
      invalid: null,
    },
    {
      id: "getCampaign",
      valid: () => ({ method: "GET", path: `/campaigns/${ids.campaignId}` }),
      invalid: () => ({ method: "GET", path: `/campaigns/${TOO_LONG_ID}` }),
    },
    {
      id: "publishCampaign",
      valid: () => ({ method: "POST", path: `/campaigns/${ids.campaignId}/publish`, body: {} }),
      invalid: () => ({
        method: "POST",
        path: `/campaigns/${ids.campaignId}/publish`,
        body: { draftHash: 42 },
      }),
    },
    {
      id: "launchCampaign",
      valid: () => ({ method: "POST", path: `/campaigns/${ids.campaignId}/launch` }),
      invalid: () => ({ method: "POST", path: `/campaigns/${TOO_LONG_ID}/launch` }),
    },
    {
      id: "addCampaignLeads",
      valid: () => ({
        method: "POST",
        path: `/campaigns/${ids.campaignId}/leads`,
        body: { leads: [{ publicIdentifier: "grace-hopper", firstName: "Grace" }] },
      }),
      invalid: () => ({
        method: "POST",
        path: `/campaigns/${ids.campaignId}/leads`,
        body: { leads: [{ publicIdentifier: "https://www.linkedin.com/company/acme-robotics/" }] },
      }),
    },
    {
      id: "upsertLeads",
      valid: () => ({
        method: "POST",
        path: "/leads",
        body: {
          leads: [{ publicIdentifier: "https://www.linkedin.com/in/alan-turing/", company: "NPL" }],
        },
      }),
      invalid: () => ({ method: "POST", path: "/leads", body: { leads: [] } }),
    },
    {
      id: "listLeads",
      valid: () => ({ method: "GET", path: "/leads?limit=1" }),
      invalid: () => ({ method: "GET", path: "/leads?limit=0" }),
    },
    {
      id: "getLead",
      valid: () => ({ method: "GET", path: `/leads/${ids.leadId}` }),
      invalid: () => ({ method: "GET", path: `/leads/${TOO_LONG_ID}` }),
    },
    {
      id: "getCampaignDashboard",
      valid: () => ({ method: "GET", path: `/campaigns/${ids.campaignId}/dashboard` }),
      invalid: () => ({ method: "GET", path: `/campaigns/${TOO_LONG_ID}/dashboard` }),
    },
    {
      id: "pauseCampaign",
      valid: () => ({ method: "POST", path: `/campaigns/${ids.campaignId}/pause` }),
      invalid: () => ({ method: "POST", path: `/campaigns/${TOO_LONG_ID}/pause` }),
    },
    {
      id: "resumeCampaign",
      valid: () => ({ method: "POST", path: `/campaigns/${ids.campaignId}/resume` }),
      invalid: () => ({ method: "POST", path: `/campaigns/${TOO_LONG_ID}/resume` }),
    },
    {
      id: "removeCampaignLead",
      valid: () => ({ method: "DELETE", path: `/campaigns/${ids.campaignId}/leads/${ids.leadId}` }),
      invalid: () => ({
        method: "DELETE",
        path: `/campaigns/${ids.campaignId}/leads/${TOO_LONG_ID}`,
      }),
    },
    {
      id: "listConversations",
      valid: () => ({ method: "GET", path: "/conversations?unread=true&limit=10" }),
      invalid: () => ({ method: "GET", path: "/conversations?category=thrilled" }),
    },
    {
      id: "getConversation",
      valid: () => ({ method: "GET", path: `/conversations/${ids.conversationId}` }),
      invalid: () => ({ method: "GET", path: `/conversations/${TOO_LONG_ID}` }),
    },
    {
      id: "answerConversation",
      valid: () => ({
        method: "POST",
        path: `/conversations/${ids.conversationId}/answer`,
        body: { text: "Thanks, talk soon!", idempotencyKey: "contract-answer-1" },
      }),
      invalid: () => ({
        method: "POST",
        path: `/conversations/${ids.conversationId}/answer`,
        body: { text: "", idempotencyKey: "contract-answer-2" },
      }),
    },
    { id: "getKey", valid: () => ({ method: "GET", path: "/key" }), invalid: null },
    { id: "listSeats", valid: () => ({ method: "GET", path: "/seats" }), invalid: null },
    {
      id: "listCreditPools",
      valid: () => ({ method: "GET", path: "/credit-pools" }),
      invalid: null,
    },
    {
      id: "listCreditLedger",
      valid: () => ({ method: "GET", path: `/credit-pools/${ids.poolId}/ledger?limit=5` }),
      invalid: () => ({ method: "GET", path: `/credit-pools/${ids.poolId}/ledger?limit=5000` }),
    },
    {
      id: "createWebhookEndpoint",
      valid: () => ({
        method: "POST",
        path: "/webhooks",
        body: { url: "http://127.0.0.1:9/hooks", eventTypes: ["lead.replied"] },
      }),
      invalid: () => ({
        method: "POST",
        path: "/webhooks",
        body: { url: "http://127.0.0.1:9/hooks", eventTypes: ["lead.sneezed"] },
      }),
    },
    {
      id: "listWebhookEndpoints",
      valid: () => ({ method: "GET", path: "/webhooks" }),
      invalid: null,
    },
    {
      id: "replayWebhookDeliveries",
      valid: () => ({
        method: "POST",
        path: `/webhooks/${ids.endpointId}/replay`,
        body: { from: "2026-01-01T00:00:00Z" },
      }),
      invalid: () => ({
        method: "POST",
        path: `/webhooks/${ids.endpointId}/replay`,
        body: { from: "yesterday" },
      }),
    },
    {
      id: "deleteWebhookEndpoint",
      valid: () => ({ method: "DELETE", path: `/webhooks/${ids.endpointId}` }),
      invalid: () => ({ method: "DELETE", path: `/webhooks/${TOO_LONG_ID}` }),
    },
  ];

  it("covers every operation", () => {
    expect(cases.map((c) => c.id).sort()).toEqual(apiOperations.map((op) => op.id).sort());
    for (const op of apiOperations) {
      const hasInput = Boolean(op.params || op.query || op.body);
      expect(cases.find((c) => c.id === op.id)?.invalid !== null, op.id).toBe(hasInput);
    }
  });

  it("answers each valid call with its documented status and schema, each invalid one with a 400 problem", async () => {
    for (const testCase of cases) {
      const op = apiOperations.find((candidate) => candidate.id === testCase.id);
      if (!op) throw new Error(`no operation ${testCase.id}`);
      if (testCase.invalid) {
        const bad = testCase.invalid();
        const refused = await callApi(key, bad.method, bad.path, bad.body);
        expect(refused.status, `${op.id} invalid`).toBe(400);
        expect(refused.headers.get("content-type"), op.id).toBe("application/problem+json");
        expect(refused.body).toMatchObject({ status: 400, code: expect.any(String) });
        expect(refused.body.detail, op.id).toEqual(expect.any(String));
      }
      const good = testCase.valid();
      const answer = await callApi(key, good.method, good.path, good.body);
      expect(answer.status, `${op.id}: ${JSON.stringify(answer.body)}`).toBe(op.status ?? 200);
      const parsed = (op.output as z.ZodType).safeParse(answer.body);
      expect(parsed.success ? null : parsed.error.issues, op.id).toBeNull();
      if (op.id === "createCampaign") ids.campaignId = answer.body.id;
      if (op.id === "addCampaignLeads") {
        const leads = await callApi(key, "GET", `/leads?campaignId=${ids.campaignId}`);
        ids.leadId = leads.body.leads[0].id;
        // A reply from that lead, so the conversation routes have a thread to read.
        const [row] = await database.db
          .select()
          .from(lead)
          .where(eq(lead.id, ids.leadId ?? ""));
        ids.conversationId = await upsertConversation(database.db, {
          workspaceId: row?.workspaceId ?? "",
          accountId: ids.accountId ?? "",
          leadId: ids.leadId ?? "",
          chatId: null,
          at: new Date(),
          text: "Tell me more",
          reply: { category: "interested" },
        });
      }
      if (op.id === "createWebhookEndpoint") ids.endpointId = answer.body.id;
    }
  });

  it("answers an undocumented route 404 and a wrong method 405, as problems", async () => {
    const missing = await callApi(key, "GET", "/nothing-here");
    expect(missing).toMatchObject({ status: 404, body: { code: "no_such_route" } });
    const wrong = await callApi(key, "DELETE", "/seats");
    expect(wrong).toMatchObject({ status: 405, body: { code: "method_not_allowed" } });
  });

  it("filters the lead list as the app's list does: step, imported column, reply category, why they wait", async () => {
    const created = await callApi(key, "POST", "/campaigns", {
      name: "Filters",
      templateId: "connect-then-follow-up",
      accountIds: [ids.accountId],
    });
    expect(created.status).toBe(201);
    const campaignId: string = created.body.id;
    const added = await callApi(key, "POST", "/leads", {
      campaignId,
      allowInOtherCampaigns: true,
      leads: [
        { publicIdentifier: "filter-fin", custom: { industry: "Fintech" } },
        { publicIdentifier: "filter-health", custom: { industry: "Health" } },
      ],
    });
    expect(added.status).toBeLessThan(300);
    const identifiers = async (query: string) => {
      const answer = await callApi(key, "GET", `/leads?limit=200&${query}`);
      expect(answer.status, query).toBe(200);
      return (answer.body.leads as Array<{ publicIdentifier: string }>)
        .map((l) => l.publicIdentifier)
        .filter((id) => id.startsWith("filter-"))
        .sort();
    };
    expect(await identifiers("field=industry&value=FIN")).toEqual(["filter-fin"]);
    expect(await identifiers("field=industry")).toEqual(["filter-fin", "filter-health"]);
    const [enrolled] = await database.db
      .select({ nodeId: enrollment.nodeId })
      .from(enrollment)
      .where(eq(enrollment.campaignId, campaignId));
    expect(await identifiers(`campaignId=${campaignId}&stepId=${enrolled?.nodeId}`)).toEqual([
      "filter-fin",
      "filter-health",
    ]);
    expect(await identifiers(`campaignId=${campaignId}&stepId=no-such-step`)).toEqual([]);
    const [fin] = await database.db
      .select()
      .from(lead)
      .where(eq(lead.publicIdentifier, "filter-fin"));
    await upsertConversation(database.db, {
      workspaceId: fin?.workspaceId ?? "",
      accountId: ids.accountId ?? "",
      leadId: fin?.id ?? "",
      chatId: null,
      at: new Date(),
      text: "Happy to talk",
      reply: { category: "interested" },
    });
    expect(await identifiers("replyCategory=interested")).toEqual(["filter-fin"]);
    // Every lead in progress waits for exactly one reason: the reasons split the campaign's leads.
    const byReason = await Promise.all(
      WAITING_REASON_CODES.map((code) => identifiers(`campaignId=${campaignId}&waiting=${code}`)),
    );
    expect(byReason.flat().sort()).toEqual(["filter-fin", "filter-health"]);
    const page = await callApi(key, "GET", `/leads?campaignId=${campaignId}&waiting=due`);
    expect(page.body.waitingCapped).toBe(false);
    // A step or a reason without its campaign, a value without its column: refused, not ignored.
    for (const query of ["stepId=start", "waiting=due", "value=fin"]) {
      const refused = await callApi(key, "GET", `/leads?${query}`);
      expect(refused.status, query).toBe(400);
    }
  });

  it("pages the lead list with an opaque cursor", async () => {
    // Two leads of its own; other tests may have added more to the workspace.
    const added = await callApi(key, "POST", "/leads", {
      leads: [{ publicIdentifier: "paged-one" }, { publicIdentifier: "paged-two" }],
    });
    expect(added.status).toBeLessThan(300);
    const first = await callApi(key, "GET", "/leads?limit=1");
    const total: number = first.body.total;
    expect(total).toBeGreaterThanOrEqual(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const pages = [first.body];
    while (pages.at(-1).nextCursor && pages.length <= total) {
      const next = await callApi(key, "GET", `/leads?limit=1&cursor=${pages.at(-1).nextCursor}`);
      expect(next.status).toBe(200);
      pages.push(next.body);
    }
    // One lead a page, each once, and the last page says there is no more.
    expect(pages).toHaveLength(total);
    expect(pages.at(-1).nextCursor).toBeNull();
    const listed = pages.flatMap((page) => page.leads);
    expect(new Set(listed.map((l: { id: string }) => l.id)).size).toBe(total);
    expect(listed.map((l: { publicIdentifier: string }) => l.publicIdentifier)).toEqual(
      expect.arrayContaining(["paged-one", "paged-two"]),
    );
    const forged = await callApi(key, "GET", "/leads?cursor=nonsense");
    expect(forged).toMatchObject({ status: 400, body: { code: "invalid_cursor" } });
  });
});
