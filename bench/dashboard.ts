/**
 * The dashboard part of `npm run bench`: a campaign with 100,000 enrollments (and, asked for,
 * 1,000,000) and five actions each, with the history (about 8.6 rows a lead), acceptances,
 * replies and ledger entries that go with them, seeded in bulk on a throwaway PostgreSQL
 * database. Then the dashboard API — the real route handler: session, workspace guard,
 * counters, JSON — is called against a trivial endpoint behind the same guard (it answers
 * `{ok: true}`), alternating one request of each, so both see the same machine at the same
 * moment. Last, the resident memory of the process with one dashboard open and with 50
 * (50 campaigns, each read repeatedly).
 *
 *   npx tsx bench/dashboard.ts [enrollments] [requests]    (needs BENCH_DATABASE_URL or
 *                                                          TEST_DATABASE_URL)
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "@/db/client";
import { createCampaign, createCreditPool, createSenderAccount } from "@/db/queries/launch";
import { member, user } from "@/db/schema/index";
import { withWorkspace } from "@/server/http/guard";
import { apiRequest, routeParams, signUp } from "@/test/auth-helpers";
import { createTestDatabase, installProcessDatabase } from "@/test/databases";
import { buildGraph } from "@/workflows/graph/builder";

/** The campaign the bench seeds: visit, follow, invite (A/B note), then message or InMail. */
export const DASHBOARD_BENCH_GRAPH = buildGraph()
  .node("start", "start")
  .node("visit", "visit")
  .node("follow", "follow")
  .node("connect", "connect", {
    noteVariants: [
      { id: "a", weight: 1, text: "Hi {{firstName|there}}, glad to connect?" },
      { id: "b", weight: 1, text: "Hello {{firstName|there}}, I follow {{company|your team}}." },
    ],
  })
  .node("accepted", "if_accepted", { withinDays: 7 })
  .node("thanks", "message", {
    variants: [
      { id: "a", weight: 1, text: "Thanks for connecting, {{firstName|there}}!" },
      { id: "b", weight: 1, text: "Thanks {{firstName|there}}: open to a short call?" },
    ],
  })
  .node("pause", "wait", { amount: 3, unit: "days", workingDaysOnly: false })
  .node("replied", "if_replied", { withinDays: 5 })
  .node("nudge", "message")
  .node("inmail", "inmail", {
    variants: [
      { id: "a", weight: 1, subject: "A question", body: "Hi {{firstName|there}}, a question?" },
      { id: "b", weight: 1, subject: "Quick idea", body: "Hi {{firstName|there}}, an idea." },
    ],
  })
  .node("replied-inmail", "if_replied", { withinDays: 10 })
  .node("revisit", "visit")
  .node("end-replied", "end", { outcome: "replied" })
  .node("end-no-answer", "end", { outcome: "no answer" })
  .node("end-not-sent", "end", { outcome: "InMail not sent" })
  .chain("start", "visit", "follow", "connect", "accepted")
  .edge("accepted", "yes", "thanks")
  .edge("accepted", "no", "inmail")
  .chain("thanks", "pause", "replied")
  .edge("replied", "yes", "end-replied")
  .edge("replied", "no", "nudge")
  .chain("nudge", "end-no-answer")
  .edge("inmail", "sent", "replied-inmail")
  .edge("inmail", "not_sent", "end-not-sent")
  .edge("replied-inmail", "yes", "end-replied")
  .edge("replied-inmail", "no", "revisit")
  .chain("revisit", "end-no-answer")
  .build();

const BENCH_START = "2026-03-02T08:00:00Z";

export interface SeededDashboard {
  workspaceId: string;
  campaignId: string;
  enrollments: number;
  actions: number;
  steps: number;
  events: number;
}

/**
 * One running campaign in `workspaceId` with `enrollments` leads, five actions each and the
 * steps, events and ledger entries of their paths. Lead i takes the accepted path when
 * i % 100 < 45, replies when i % 7 = 0; 15 % are still active, 3 % failed, 2 % removed.
 */
export async function seedDashboardCampaign(
  db: Database,
  workspaceId: string,
  options: { enrollments: number; accounts?: number; vacuum?: boolean },
): Promise<SeededDashboard> {
  const total = options.enrollments;
  // Several campaigns may be seeded in one workspace: names and seats of each are its own.
  const tag = randomUUID().slice(0, 8);
  const poolId = await createCreditPool(db, workspaceId, {
    name: "Bench pool",
    plan: "sales_navigator_core",
    renewalDay: 1,
    balance: 0,
    at: new Date(BENCH_START),
  });
  const accountIds: string[] = [];
  for (let i = 0; i < (options.accounts ?? 5); i++) {
    accountIds.push(
      await createSenderAccount(db, workspaceId, {
        name: `Bench seat ${i + 1}`,
        provider: "sandbox",
        providerAccountId: `dash-${tag}-${i}`,
        pacing: { timeZone: "UTC" },
        creditPoolId: poolId,
      }),
    );
  }
  const { campaignId, versionId } = await createCampaign(db, workspaceId, {
    name: "Dashboard bench",
    graph: DASHBOARD_BENCH_GRAPH,
    accountIds,
    seed: "dashboard-bench",
  });
  const accounts = sql`array[${sql.join(
    accountIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  const prefix = `${campaignId.slice(0, 8)}`;

  // Who each lead is and how far it went: the facts every table below is derived from. A
  // plain (unlogged) table: the pool may run each statement on another connection.
  await db.execute(sql`create unlogged table bench_path as
    select i,
           ${prefix} || '-enr-' || i as enrollment_id,
           ${prefix} || '-lead-' || i as lead_id,
           (${accounts})[1 + (i % ${accountIds.length}::int)] as account_id,
           (i % 100) < 45 as accepted,
           i % 7 = 0 as replied,
           case when i % 100 between 80 and 94 then 'active'
                when i % 100 between 95 and 97 then 'failed'
                when i % 100 >= 98 then 'removed' else 'done' end as state,
           ${BENCH_START}::timestamptz + (i % 30) * interval '1 day'
             + (i % 480) * interval '1 minute' as t0
      from generate_series(1, ${total}::int) as i`);
  try {
    await db.execute(sql`insert into lead (id, workspace_id, public_identifier, first_name,
                           last_name, company, title, created_at)
      select lead_id, ${workspaceId}, ${`dash-${tag}-`} || lpad(i::text, 7, '0'), 'Lead' || i, 'Bench',
             'Company ' || (i % 97), 'VP Sales', t0
        from bench_path`);
    await db.execute(sql`insert into enrollment (id, workspace_id, campaign_id, lead_id,
                           version_id, account_id, node_id, step_seq, state, next_run_at,
                           queue_key, branch, outcome, reason, created_at, updated_at)
      select enrollment_id, ${workspaceId}, ${campaignId}, lead_id, ${versionId}, account_id,
             case state
               when 'active' then case when accepted then 'pause' else 'replied-inmail' end
               when 'failed' then case when accepted then 'nudge' else 'inmail' end
               when 'removed' then 'accepted'
               else case when replied then 'end-replied' else 'end-no-answer' end end,
             8, state,
             t0 + interval '20 days', 'dash-' || lpad(i::text, 7, '0'),
             case when accepted then 'accepted:yes' else 'accepted:no' end,
             case state when 'active' then null when 'removed' then 'removed'
               when 'failed' then 'stopped' else case when replied then 'replied' else 'no answer' end end,
             case state when 'failed' then 'not reachable' when 'removed' then 'removed by a user' end,
             t0, t0 + interval '12 days'
        from bench_path`);
    // Five actions per lead: visit, follow, invitation, then message + nudge or InMail + visit.
    await db.execute(sql`insert into action (id, workspace_id, idempotency_key, enrollment_id,
                           campaign_id, lead_id, account_id, node_id, kind, has_text, branch,
                           variant, status, reason, credits, local_date, created_at, sent_at)
      select p.enrollment_id || ':' || s.n, ${workspaceId}, p.enrollment_id || ':' || s.n,
             p.enrollment_id, ${campaignId}, p.lead_id, p.account_id, s.node_id, s.kind,
             s.kind in ('connect', 'message', 'inmail'), s.branch, s.variant, s.status, s.reason,
             case when s.kind = 'inmail' and s.status = 'sent' then 1 else 0 end,
             (p.t0 + s.n * interval '2 days')::date, p.t0 + s.n * interval '2 days',
             case when s.status = 'sent' then p.t0 + s.n * interval '2 days' + interval '1 minute' end
        from bench_path p
        cross join lateral (
          select n, node_id, kind, branch, variant,
                 case when n = 3 and p.i % 50 = 1 then 'not_sent'
                      when n = 4 and not p.accepted and p.i % 97 = 5 then 'not_sent'
                      when n = 5 and p.i % 200 = 3 then 'failed'
                      when n = 5 and p.i % 1000 = 7 then 'intent'
                      else 'sent' end as status,
                 case when n = 3 and p.i % 50 = 1 then 'already_invited'
                      when n = 4 and not p.accepted and p.i % 97 = 5 then 'no_credit'
                      when n = 5 and p.i % 200 = 3 then 'limited' end as reason
            from (values
              (1, 'visit', 'visit', '', null),
              (2, 'follow', 'follow', '', null),
              (3, 'connect', 'connect', '', case when p.i % 2 = 0 then 'a' else 'b' end),
              (4, case when p.accepted then 'thanks' else 'inmail' end,
                  case when p.accepted then 'message' else 'inmail' end,
                  case when p.accepted then 'accepted:yes' else 'accepted:no' end,
                  case when (p.i / 2) % 2 = 0 then 'a' else 'b' end),
              (5, case when p.accepted then 'nudge' else 'revisit' end,
                  case when p.accepted then 'message' else 'visit' end,
                  case when p.accepted then 'accepted:yes>replied:no' else 'accepted:no>replied-inmail:no' end,
                  case when p.accepted then 'a' end)
            ) as v(n, node_id, kind, branch, variant)
        ) s`);
    // The history: every exit taken along the path, then where the run ended.
    await db.execute(sql`insert into enrollment_step (workspace_id, enrollment_id, at, node_id,
                           exit, to_node_id, branch)
      select ${workspaceId}, p.enrollment_id, p.t0 + h.n * interval '1 day', h.node_id, h.exit,
             h.to_node_id, ''
        from bench_path p
        cross join lateral (values
          (1, 'start', 'next', 'visit'),
          (2, 'visit', 'next', 'follow'),
          (3, 'follow', 'next', 'connect'),
          (4, 'connect', 'next', 'accepted'),
          (5, 'accepted', case when p.accepted then 'yes' else 'no' end,
              case when p.accepted then 'thanks' else 'inmail' end),
          (6, case when p.accepted then 'thanks' else 'inmail' end,
              case when p.accepted then 'next' else 'sent' end,
              case when p.accepted then 'pause' else 'replied-inmail' end),
          (7, case when p.accepted then 'pause' else 'replied-inmail' end,
              case when p.accepted then 'next' when p.replied then 'yes' else 'no' end,
              case when p.accepted then 'replied' when p.replied then 'end-replied' else 'revisit' end),
          (8, case when p.accepted then 'replied' else 'revisit' end,
              case when not p.accepted then 'next' when p.replied then 'yes' else 'no' end,
              case when not p.accepted then 'end-no-answer' when p.replied then 'end-replied' else 'nudge' end),
          (9, case when p.accepted and not p.replied then 'nudge' end, 'next', 'end-no-answer'),
          (10, case when p.state = 'done' then case when p.replied then 'end-replied' else 'end-no-answer' end end,
               null, null)
        ) as h(n, node_id, exit, to_node_id)
       where h.node_id is not null and (p.state = 'done' or h.n <= 5)`);
    await db.execute(sql`insert into inbound_event (workspace_id, provider, external_id, type,
                           provider_account_id, account_id, lead_id, occurred_at, received_at,
                           processed_at)
      select ${workspaceId}, 'sandbox', p.enrollment_id || ':' || e.type, e.type, 'bench',
             p.account_id, p.lead_id, p.t0 + e.days * interval '1 day',
             p.t0 + e.days * interval '1 day', p.t0 + e.days * interval '1 day'
        from bench_path p
        cross join lateral (values ('accepted', 7), ('replied', 10)) as e(type, days)
       where (e.type = 'accepted' and p.accepted) or (e.type = 'replied' and p.replied)`);
    await db.execute(sql`insert into credit_ledger (workspace_id, pool_id, at, type, amount,
                           campaign_id, node_id, branch, enrollment_id, lead_id, variant, action_id)
      select ${workspaceId}, ${poolId}, a.created_at, 'spend', 1, a.campaign_id, a.node_id,
             a.branch, a.enrollment_id, a.lead_id, a.variant, a.id
        from action a
       where a.campaign_id = ${campaignId} and a.kind = 'inmail' and a.credits > 0`);
  } finally {
    await db.execute(sql`drop table if exists bench_path`);
  }
  if (options.vacuum !== false) await db.execute(sql`vacuum analyze`);
  const [counts] = await queryRows<{ actions: number; steps: number; events: number }>(
    db,
    sql`select (select count(*)::int from action where campaign_id = ${campaignId}) as actions,
               (select count(*)::int from enrollment_step s join enrollment e on e.id = s.enrollment_id
                 where e.campaign_id = ${campaignId}) as steps,
               (select count(*)::int from inbound_event where workspace_id = ${workspaceId}) as events`,
  );
  return {
    workspaceId,
    campaignId,
    enrollments: total,
    actions: counts?.actions ?? 0,
    steps: counts?.steps ?? 0,
    events: counts?.events ?? 0,
  };
}

/** The index the dashboard's start-step count reads (asked for in db/schema). */
export const DASHBOARD_INDEX =
  "create index if not exists enrollment_campaign_node_idx on enrollment (workspace_id, campaign_id, node_id, state)";

export interface LatencySummary {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface DashboardBenchSize {
  enrollments: number;
  actions: number;
  steps: number;
  events: number;
  seedSeconds: number;
  /** The first request of the process. */
  firstMs: number;
  dashboard: LatencySummary;
  baseline: LatencySummary;
  responseBytes: number;
}

export interface DashboardBenchResult {
  skipped: string | null;
  sizes: DashboardBenchSize[];
  /** Resident memory (MB) after reading one campaign's dashboard, and after 50 campaigns'. */
  rss: { one: number; fifty: number; campaigns: number } | null;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const collect = () => (globalThis as { gc?: () => void }).gc?.();
const rssMb = () => {
  collect();
  return round(process.memoryUsage().rss / (1024 * 1024));
};

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

/** Seeds a campaign per size (`enrollments` leads, five actions each) and measures. */
export async function runDashboardBench(
  options: {
    sizes?: number[];
    /** Requests of each endpoint per size. */
    requests?: number;
    postgresUrl?: string | null;
    log?: (line: string) => void;
  } = {},
): Promise<DashboardBenchResult> {
  const sizes = options.sizes ?? [100_000];
  const requests = options.requests ?? 300;
  const log = options.log ?? ((line: string) => console.log(line));
  const postgresUrl =
    options.postgresUrl === undefined
      ? process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null
      : options.postgresUrl;
  if (!postgresUrl) {
    return {
      skipped:
        "Dashboard skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL (a server the bench may create and drop throwaway databases on).",
      sizes: [],
      rss: null,
    };
  }
  process.env.BETTER_AUTH_SECRET ??= "outflow-bench-secret-0123456789abcdef";
  process.env.BETTER_AUTH_URL ??= "http://localhost:3000";
  const previousUrl = process.env.TEST_DATABASE_URL;
  process.env.TEST_DATABASE_URL = postgresUrl;
  const database = await createTestDatabase("postgres");
  if (previousUrl === undefined) delete process.env.TEST_DATABASE_URL;
  else process.env.TEST_DATABASE_URL = previousUrl;
  try {
    installProcessDatabase(database);
    const { db } = database;
    const email = `bench-${Date.now()}@example.com`;
    const { cookie } = await signUp("Bench Reader", email);
    const [membership] = await db
      .select({ workspaceId: member.organizationId })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(eq(user.email, email));
    const workspaceId = membership!.workspaceId;

    const { GET: dashboard } = await import("@/app/api/campaigns/[campaignId]/dashboard/route");
    const trivial = withWorkspace(async () => Response.json({ ok: true }));
    let responseBytes = 0;
    const timeDashboard = async (campaignId: string) => {
      const start = performance.now();
      const response = await dashboard(
        apiRequest(`/api/campaigns/${campaignId}/dashboard`, { cookie }),
        routeParams({ campaignId }),
      );
      const text = await response.text();
      const ms = performance.now() - start;
      if (response.status !== 200)
        throw new Error(`dashboard answered ${response.status}: ${text}`);
      responseBytes = text.length;
      return ms;
    };
    const timeBaseline = async () => {
      const start = performance.now();
      const response = await trivial(apiRequest("/api/ping", { cookie }), routeParams({}));
      await response.text();
      return performance.now() - start;
    };
    // One request before timing anything: the session and the modules are warm.
    await timeBaseline();

    const results: DashboardBenchSize[] = [];
    let firstCampaign: string | null = null;
    for (const enrollments of sizes) {
      log(`Dashboard: seeding ${enrollments.toLocaleString("en-US")} enrollments…`);
      const seedStart = performance.now();
      const seeded = await seedDashboardCampaign(db, workspaceId, { enrollments });
      const seedSeconds = (performance.now() - seedStart) / 1000;
      firstCampaign ??= seeded.campaignId;
      log(
        `Dashboard: seeded ${seeded.actions.toLocaleString("en-US")} actions, ${seeded.steps.toLocaleString("en-US")} history rows, ${seeded.events.toLocaleString("en-US")} events in ${seedSeconds.toFixed(0)} s`,
      );
      const firstMs = await timeDashboard(seeded.campaignId);
      const dashboardMs: number[] = [];
      const baselineMs: number[] = [];
      for (let i = 0; i < requests; i++) {
        baselineMs.push(await timeBaseline());
        dashboardMs.push(await timeDashboard(seeded.campaignId));
      }
      results.push({
        enrollments,
        actions: seeded.actions,
        steps: seeded.steps,
        events: seeded.events,
        seedSeconds: round(seedSeconds),
        firstMs: round(firstMs),
        dashboard: summarise(dashboardMs),
        baseline: summarise(baselineMs),
        responseBytes,
      });
    }

    // Memory: one dashboard open (read again and again), then 50 campaigns' dashboards.
    const campaigns = [firstCampaign!];
    log("Dashboard: seeding 49 more campaigns of 1,000 enrollments for the memory check…");
    for (let i = 1; i < 50; i++) {
      campaigns.push(
        (await seedDashboardCampaign(db, workspaceId, { enrollments: 1_000, vacuum: false }))
          .campaignId,
      );
    }
    for (let i = 0; i < 100; i++) await timeDashboard(campaigns[0]!);
    const one = rssMb();
    for (let round = 0; round < 2; round++) {
      for (const campaignId of campaigns) await timeDashboard(campaignId);
    }
    const fifty = rssMb();
    return { skipped: null, sizes: results, rss: { one, fifty, campaigns: campaigns.length } };
  } finally {
    await database.destroy();
  }
}

/** The result as lines for the bench's printout. */
export function formatDashboardBench(result: DashboardBenchResult): string[] {
  if (result.skipped) return [result.skipped];
  const cell = (value: string | number, width: number) => String(value).padStart(width);
  const row = (name: string, s: LatencySummary) =>
    `  ${name.padEnd(30)} ${cell(s.requests, 5)}  ${cell(s.p50Ms.toFixed(1), 7)}  ${cell(s.p95Ms.toFixed(1), 7)}  ${cell(s.maxMs.toFixed(1), 7)}`;
  const n = (value: number) => value.toLocaleString("en-US");
  return [
    ...result.sizes.flatMap((size) => [
      `Dashboard API on PostgreSQL: ${n(size.enrollments)} enrollments, ${n(size.actions)} actions, ${n(size.steps)} history rows, ${n(size.events)} events (seeded in ${size.seedSeconds.toFixed(0)} s)`,
      `  first request ${size.firstMs.toFixed(0)} ms; response ${Math.round(size.responseBytes / 1024)} KB; p95 ÷ trivial ${(size.dashboard.p95Ms / size.baseline.p95Ms).toFixed(2)}`,
      `  ${"".padEnd(30)} ${cell("reqs", 5)}  ${cell("p50 ms", 7)}  ${cell("p95 ms", 7)}  ${cell("max ms", 7)}`,
      row("dashboard", size.dashboard),
      row("trivial endpoint", size.baseline),
    ]),
    ...(result.rss
      ? [
          `  resident memory: ${result.rss.one} MB with one dashboard read 100 times, ${result.rss.fifty} MB after ${result.rss.campaigns} campaigns' dashboards`,
        ]
      : []),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [enrollments, requests] = process.argv.slice(2).map(Number);
  const result = await runDashboardBench({
    sizes: enrollments ? [enrollments] : undefined,
    requests: requests || undefined,
  });
  for (const line of formatDashboardBench(result)) console.log(line);
  process.exit(0);
}
