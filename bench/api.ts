/**
 * The API and webhooks part of `npm run bench` (PostgreSQL):
 *
 * - API latency, in process and over HTTP through the production server: a workspace with
 *   100,000 leads in a running campaign (the dashboard bench's seed, a third of its leads in progress moved to an invitation step and a third to a message
 *   step, so their reasons read the seats' pending invitations, caps and queues); the lead list
 *   (`GET /api/v1/leads`, 50 a page: the first 20 pages, from the default first page on, about
 *   half of them with leads in progress), a filtered page (the campaign's leads in progress,
 *   every one with its reason) and the campaign figures (`GET /api/v1/campaigns`) through the
 *   real catch-all route — key check, rate-limit count, workspace guard, schemas — alternated
 *   with `GET /api/v1/key` (the key check alone), first by calling the route's handler in this
 *   process, then through `npm start` on the same database over one kept-alive connection.
 * - Webhook latency: events committed one at a time, delivered by one worker loop polling as the
 *   engine's does (every 250 ms when idle), to a healthy local receiver: commit → received, p50 / p95.
 * - Webhook backlog: N events already in the outbox, one worker draining them: deliveries/s.
 *
 *   npx tsx bench/api.ts [leads] [backlog]    (needs BENCH_DATABASE_URL or TEST_DATABASE_URL)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, Agent as HttpAgent, get as httpGet } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { eq, sql } from "drizzle-orm";
import { member, user, webhookEndpoint } from "@/db/schema/index";
import { WEBHOOK_EVENT_TYPES } from "@/db/webhooks/events";
import { recordOutboxEvents } from "@/db/webhooks/outbox";
import { createApiKey } from "@/server/api-keys/create-api-key";
import type { Caller } from "@/server/http/guard";
import { deliverDueWebhooks } from "@/server/webhooks/deliver";
import { signUp } from "@/test/auth-helpers";
import { createTestDatabase, installProcessDatabase } from "@/test/databases";
import { DASHBOARD_INDEX, type LatencySummary, seedDashboardCampaign } from "./dashboard";

export interface ApiLatencies {
  leadList: LatencySummary;
  leadListInProgress: LatencySummary;
  campaignFigures: LatencySummary;
  /** `GET /api/v1/key`: the key check alone. */
  trivial: LatencySummary;
}

export interface ApiBenchResult {
  skipped: string | null;
  leads: number;
  /** The catch-all route's handler called in this process: the server's own work. */
  api: ApiLatencies;
  /** The same requests through the production server over HTTP, as a client sees them. */
  http: ApiLatencies | null;
  httpSkipped: string | null;
  webhookLatency: LatencySummary & { pollMs: number };
  backlog: { events: number; seconds: number; perSecond: number };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function summarise(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return {
    requests: sorted.length,
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

export const EMPTY_LATENCY: LatencySummary = { requests: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 };

/** One GET of an /api/v1 path with the bench's key: its time and its body. */
type Get = (path: string) => Promise<{ ms: number; body: string }>;

/**
 * The lead list's first 20 pages (each from the cursor the page before gave, then again), the
 * campaign's leads in progress and the campaign figures, alternated with the key check alone.
 */
async function measureApi(get: Get, campaignId: string, requests: number): Promise<ApiLatencies> {
  const inProgress = `/leads?limit=50&campaignId=${campaignId}&status=active`;
  for (let i = 0; i < 10; i++) {
    for (const path of ["/key", "/leads?limit=50", inProgress, "/campaigns"]) await get(path);
  }
  const leadList: number[] = [];
  const leadListInProgress: number[] = [];
  const figures: number[] = [];
  const trivial: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < requests; i++) {
    trivial.push((await get("/key")).ms);
    const page = await get(`/leads?limit=50${cursor ? `&cursor=${cursor}` : ""}`);
    leadList.push(page.ms);
    cursor =
      i % 20 === 19 ? null : (JSON.parse(page.body) as { nextCursor: string | null }).nextCursor;
    leadListInProgress.push((await get(inProgress)).ms);
    figures.push((await get("/campaigns")).ms);
  }
  return {
    leadList: summarise(leadList),
    leadListInProgress: summarise(leadListInProgress),
    campaignFigures: summarise(figures),
    trivial: summarise(trivial),
  };
}

/** GETs over one kept-alive connection, as an API client would make them. */
function overHttp(baseUrl: string, key: string): Get {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  return (path) =>
    new Promise((resolve, reject) => {
      const start = performance.now();
      const request = httpGet(
        `${baseUrl}/api/v1${path}`,
        { agent, headers: { authorization: `Bearer ${key}` } },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () => {
            if (response.statusCode !== 200) {
              reject(new Error(`${path}: ${response.statusCode} ${body}`));
            } else resolve({ ms: performance.now() - start, body });
          });
        },
      );
      request.on("error", reject);
    });
}

/** `npm start` on the bench's database (it builds first when the sources changed), on a free port. */
async function startServer(databaseUrl: string, log: (line: string) => void) {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const baseUrl = `http://localhost:${port}`;
  const server: ChildProcess = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      BETTER_AUTH_URL: baseUrl,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + String(chunk)).slice(-4000);
  };
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (server.exitCode !== null || Date.now() > deadline) {
      server.kill("SIGTERM");
      throw new Error(`The production server did not start:\n${output}`);
    }
    await sleep(500);
  }
  log(`API over HTTP: server on ${baseUrl}`);
  return {
    baseUrl,
    stop: async () => {
      server.kill("SIGTERM");
      await exited;
    },
  };
}

export async function runApiBench(
  options: {
    leads?: number;
    requests?: number;
    backlog?: number;
    latencyEvents?: number;
    pollMs?: number;
    /** false: leave out the run over HTTP (it needs a production build). */
    http?: boolean;
    log?: (line: string) => void;
  } = {},
): Promise<ApiBenchResult> {
  const leads = options.leads ?? 100_000;
  // Enough requests that a p95 is not a handful of samples (the 25th largest of 500).
  const requests = options.requests ?? 500;
  const backlog = options.backlog ?? 100_000;
  const latencyEvents = options.latencyEvents ?? 200;
  const pollMs = options.pollMs ?? 250;
  const log = options.log ?? ((line: string) => console.log(line));
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null;
  if (!postgresUrl) {
    return {
      skipped: "API bench skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL.",
      leads,
      api: {
        leadList: EMPTY_LATENCY,
        leadListInProgress: EMPTY_LATENCY,
        campaignFigures: EMPTY_LATENCY,
        trivial: EMPTY_LATENCY,
      },
      http: null,
      httpSkipped: null,
      webhookLatency: { ...EMPTY_LATENCY, pollMs },
      backlog: { events: 0, seconds: 0, perSecond: 0 },
    };
  }
  process.env.BETTER_AUTH_SECRET ??= "outflow-bench-secret-0123456789abcdef";
  process.env.BETTER_AUTH_URL ??= "http://localhost:3000";
  process.env.OUTFLOW_API_RATE_LIMIT = "1000000000";
  process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS = "1";
  const previousUrl = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = postgresUrl;
  const database = await createTestDatabase("postgres");
  if (previousUrl === undefined) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = previousUrl;
  const received = new Map<string, number>();
  const receiver = createServer((request, response) => {
    // The body is read to the end, as a receiver would, then dropped.
    request.resume();
    request.on("end", () => {
      received.set(String(request.headers["webhook-id"]), performance.now());
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  try {
    installProcessDatabase(database);
    const { db } = database;
    await db.execute(sql.raw(DASHBOARD_INDEX));
    const email = `bench-${Date.now()}@example.com`;
    await signUp("Bench Reader", email);
    const [membership] = await db
      .select({ workspaceId: member.organizationId, userId: user.id, memberId: member.id })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(eq(user.email, email));
    if (!membership) throw new Error("no workspace");
    const workspaceId = membership.workspaceId;
    log(`API: seeding ${leads.toLocaleString("en-US")} leads in a running campaign…`);
    const { campaignId } = await seedDashboardCampaign(db, workspaceId, { enrollments: leads });
    // The seed's leads in progress wait at timed steps; a campaign also has leads queued at
    // sending steps, whose reasons read the seat's pending invitations, today's cap and queue.
    await db.execute(sql`update enrollment
         set node_id = case (substr(queue_key, 6)::int / 100) % 3
                         when 0 then 'connect' else 'nudge' end
       where workspace_id = ${workspaceId} and state = 'active'
         and (substr(queue_key, 6)::int / 100) % 3 <> 2`);
    // As the seed leaves its tables: vacuumed, as autovacuum keeps them.
    await db.execute(sql`vacuum analyze enrollment`);
    await db.execute(sql`analyze`);
    const owner = {
      db,
      headers: new Headers(),
      sessionId: "",
      user: { id: membership.userId, name: "Bench", email },
      workspace: {
        workspaceId,
        workspaceName: "Bench",
        workspaceSlug: "bench",
        memberId: membership.memberId,
        role: "owner",
      },
      memberships: [],
    } satisfies Caller;
    const { key } = await createApiKey(owner, { name: "bench", scope: "read" });

    const { GET } = await import("@/app/api/v1/[...path]/route");
    const inProcess: Get = async (path) => {
      const target = new URL(`http://localhost:3000/api/v1${path}`);
      const segments = target.pathname
        .replace(/^\/api\/v1\/?/, "")
        .split("/")
        .filter(Boolean);
      const start = performance.now();
      const response = await GET(
        new Request(target, { headers: { authorization: `Bearer ${key}` } }),
        { params: Promise.resolve({ path: segments }) },
      );
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body}`);
      return { ms: performance.now() - start, body };
    };
    const api = await measureApi(inProcess, campaignId, requests);
    log(
      `API in process: p95 lead list ${api.leadList.p95Ms} ms, in progress ${api.leadListInProgress.p95Ms} ms, campaign figures ${api.campaignFigures.p95Ms} ms, trivial ${api.trivial.p95Ms} ms`,
    );
    let http: ApiLatencies | null = null;
    let httpSkipped: string | null = null;
    if (options.http === false) httpSkipped = "left out (--no-api-http)";
    else {
      log(
        "API over HTTP: starting the production server on the bench's database (npm start; it builds first when the sources changed)…",
      );
      const server = await startServer(database.url ?? "", log);
      try {
        http = await measureApi(overHttp(server.baseUrl, key), campaignId, requests);
        log(
          `API over HTTP: p95 lead list ${http.leadList.p95Ms} ms, in progress ${http.leadListInProgress.p95Ms} ms, campaign figures ${http.campaignFigures.p95Ms} ms, trivial ${http.trivial.p95Ms} ms`,
        );
      } finally {
        await server.stop();
      }
    }

    // Webhooks: one endpoint wanting everything, a worker loop like the engine's.
    await db.insert(webhookEndpoint).values({
      id: "bench-endpoint",
      workspaceId,
      url,
      eventTypes: [...WEBHOOK_EVENT_TYPES],
      secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    });
    let stopped = false;
    const worker = async () => {
      while (!stopped) {
        const run = await deliverDueWebhooks(db, { owner: "bench-worker", limit: 50 });
        if (run.claimed === 0) await sleep(pollMs);
      }
    };
    const committed = new Map<string, number>();
    const running = worker();
    for (let i = 0; i < latencyEvents; i++) {
      await recordOutboxEvents(db, [
        { workspaceId, type: "lead.replied", payload: { i }, occurredAt: new Date() },
      ]);
      const [row] = await db
        .execute(
          sql`select id from outbox_event where workspace_id = ${workspaceId} order by seq desc limit 1`,
        )
        .then((r) => (r as unknown as { rows: Array<{ id: string }> }).rows);
      committed.set(row?.id ?? "", performance.now());
      await sleep(Math.random() * 100);
    }
    const deadline = Date.now() + 30_000;
    while ([...committed.keys()].some((id) => !received.has(id)) && Date.now() < deadline) {
      await sleep(50);
    }
    const latencies = [...committed].map(([id, at]) => (received.get(id) ?? Number.NaN) - at);
    const webhookLatency = { ...summarise(latencies.filter(Number.isFinite)), pollMs };
    log(
      `Webhooks: commit → receiver p50 ${webhookLatency.p50Ms} ms, p95 ${webhookLatency.p95Ms} ms (worker polls every ${pollMs} ms when idle)`,
    );
    stopped = true;
    await running;

    // The backlog: written in bulk, then one worker drains it.
    log(`Webhooks: writing a backlog of ${backlog.toLocaleString("en-US")} events…`);
    for (let done = 0; done < backlog; done += 1000) {
      const n = Math.min(1000, backlog - done);
      await recordOutboxEvents(
        db,
        Array.from({ length: n }, (_, i) => ({
          workspaceId,
          type: "action.sent" as const,
          payload: { i: done + i },
          occurredAt: new Date(),
        })),
      );
    }
    received.clear();
    const start = performance.now();
    for (;;) {
      const run = await deliverDueWebhooks(db, { owner: "bench-worker", limit: 50 });
      if (run.claimed === 0) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const perSecond = Math.round(received.size / seconds);
    log(
      `Webhooks: ${received.size.toLocaleString("en-US")} delivered in ${seconds.toFixed(1)} s by one worker: ${perSecond}/s`,
    );
    return {
      skipped: null,
      leads,
      api,
      http,
      httpSkipped,
      webhookLatency,
      backlog: { events: received.size, seconds: round(seconds), perSecond },
    };
  } finally {
    receiver.close();
    await database.destroy();
  }
}

export function formatApiBench(result: ApiBenchResult): string[] {
  if (result.skipped) return [result.skipped];
  const row = (name: string, s: LatencySummary, base: LatencySummary) =>
    `  ${name.padEnd(26)} p50 ${String(s.p50Ms).padStart(7)} ms   p95 ${String(s.p95Ms).padStart(7)} ms   p95 ÷ trivial ${(s.p95Ms / base.p95Ms).toFixed(2)}×`;
  const rows = (title: string, api: ApiLatencies) => [
    `  ${title}`,
    row("GET /leads (50 a page)", api.leadList, api.trivial),
    row("GET /leads (in progress)", api.leadListInProgress, api.trivial),
    row("GET /campaigns (figures)", api.campaignFigures, api.trivial),
    row("GET /key (trivial)", api.trivial, api.trivial),
  ];
  return [
    ...rows("in process (the route's handler called directly):", result.api),
    ...(result.http
      ? rows("over HTTP (the production server, one kept-alive connection):", result.http)
      : [`  over HTTP: ${result.httpSkipped ?? "not measured"}`]),
    `  webhook commit → receiver  p50 ${result.webhookLatency.p50Ms} ms   p95 ${result.webhookLatency.p95Ms} ms   (idle poll ${result.webhookLatency.pollMs} ms)`,
    `  webhook backlog, 1 worker  ${result.backlog.events.toLocaleString("en-US")} in ${result.backlog.seconds} s = ${result.backlog.perSecond}/s`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [leads, backlog] = process.argv.slice(2).map(Number);
  const result = await runApiBench({
    leads: Number.isFinite(leads) && leads ? leads : undefined,
    backlog: Number.isFinite(backlog) && backlog ? backlog : undefined,
  });
  for (const line of formatApiBench(result)) console.log(line);
  process.exit(0);
}
