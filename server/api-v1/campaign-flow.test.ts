import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApi } from "@/test/api-v1";
import { callRoute as call, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { starterTemplates } from "@/workflows/templates/index";

const keysRoute = await import("@/app/api/workspace/api-keys/route");
const accountsRoute = await import("@/app/api/accounts/route");
const campaignRoute = await import("@/app/api/campaigns/[campaignId]/route");
const campaignLeadsRoute = await import("@/app/api/campaigns/[campaignId]/leads/route");

describe.each(BACKENDS)("a campaign run entirely through the API on %s", (backend) => {
  let database: TestDatabase;
  let cookie: string;
  let key: string;
  let accountId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    cookie = (await signUp("Ada Lovelace", "ada@example.com")).cookie;
    key = (
      await call(keysRoute.POST, "/api/workspace/api-keys", {
        method: "POST",
        cookie,
        body: { name: "script", scope: "write" },
      })
    ).body.key;
    accountId = (
      await call(accountsRoute.POST, "/api/accounts", {
        method: "POST",
        cookie,
        body: { name: "Ada's seat", timeZone: "Europe/Paris" },
      })
    ).body.id;
  });

  afterAll(async () => {
    await database?.destroy();
  });

  it("is created from a graph, published, launched with leads and paused, then seen in the app", async () => {
    const graph = starterTemplates.find((t) => t.id === "connect-then-inmail")?.graph;
    const seats = await callApi(key, "GET", "/seats");
    expect(seats.body.seats.map((s: { id: string }) => s.id)).toEqual([accountId]);

    const checked = await callApi(key, "POST", "/campaigns/validate", { graph });
    expect(checked.body.ok).toBe(true);
    const created = await callApi(key, "POST", "/campaigns", {
      name: "Founders, by API",
      graph,
      accountIds: [accountId],
      draft: true,
    });
    expect(created).toMatchObject({ status: 201, body: { status: "draft" } });
    const campaignId: string = created.body.id;

    const early = await callApi(key, "POST", `/campaigns/${campaignId}/launch`);
    expect(early.status).toBe(409);

    const published = await callApi(key, "POST", `/campaigns/${campaignId}/publish`, {});
    expect(published).toMatchObject({ status: 201, body: { version: 1 } });
    const launched = await callApi(key, "POST", `/campaigns/${campaignId}/launch`);
    expect(launched.body).toEqual({ id: campaignId, status: "running" });

    const added = await callApi(key, "POST", `/campaigns/${campaignId}/leads`, {
      leads: [
        { publicIdentifier: "grace-hopper", firstName: "Grace" },
        { publicIdentifier: "alan-turing", firstName: "Alan" },
      ],
    });
    expect(added.body).toMatchObject({ received: 2, enrolled: 2 });
    const paused = await callApi(key, "POST", `/campaigns/${campaignId}/pause`);
    expect(paused.body).toEqual({ id: campaignId, status: "paused" });

    // What the campaign page reads, as the signed-in user.
    const seen = await call(campaignRoute.GET, `/api/campaigns/${campaignId}`, {
      cookie,
      params: { campaignId },
    });
    expect(seen.body).toMatchObject({ name: "Founders, by API", status: "paused" });
    expect(seen.body.liveVersion.version).toBe(1);
    const leads = await call(campaignLeadsRoute.GET, `/api/campaigns/${campaignId}/leads`, {
      cookie,
      params: { campaignId },
    });
    expect(
      leads.body.leads.map((l: { publicIdentifier: string }) => l.publicIdentifier).sort(),
    ).toEqual(["alan-turing", "grace-hopper"]);
  });
});
