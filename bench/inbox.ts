/**
 * The inbox part of `npm run bench` (PostgreSQL):
 *
 * - Inbox latency: a workspace with 50,000 conversations and 500,000 messages on 5 seats; the
 *   conversation list (`GET /api/inbox`, first page, then filtered and paged) and a thread
 *   (`GET /api/inbox/{id}`, 10 messages, the lead's card) through the real route handlers and
 *   session guard, alternated with a trivial endpoint behind the same guard.
 * - Reply to stop: 1,000 replies delivered through the event intake (`ingestEvent`, as a
 *   webhook's processing calls it) to leads with an active enrollment; from arrival to the
 *   commit of the stored reply, after which every reservation for that lead reads it inside its
 *   own transaction and refuses: p50 / p95; then again with engine workers stepping a campaign
 *   on the same database, the replies going to that campaign's leads (bench/inbox-load.ts).
 *
 *   npx tsx bench/inbox.ts [conversations]    (needs BENCH_DATABASE_URL or TEST_DATABASE_URL)
 */
import { pathToFileURL } from "node:url";
import { eq, sql } from "drizzle-orm";
import { ingestEvent } from "@/db/engine/events";
import { createCampaign, createSenderAccount, enrollLeads } from "@/db/queries/launch";
import { member, user } from "@/db/schema/index";
import { withWorkspace } from "@/server/http/guard";
import { apiRequest, signUp } from "@/test/auth-helpers";
import { createTestDatabase, installProcessDatabase } from "@/test/databases";
import { starterTemplates } from "@/workflows/templates/index";
import { EMPTY_LATENCY as EMPTY, summarise } from "./api";
import type { LatencySummary } from "./dashboard";
import { type LoadedReplyResult, measureReplyToStopUnderLoad } from "./inbox-load";

export interface InboxBenchResult {
  skipped: string | null;
  conversations: number;
  messages: number;
  list: LatencySummary;
  filtered: LatencySummary;
  thread: LatencySummary;
  trivial: LatencySummary;
  replyToStop: LatencySummary;
  /** The same, with engine workers stepping a campaign on the database at once. */
  replyToStopLoaded: LoadedReplyResult | null;
}

export async function runInboxBench(
  options: {
    conversations?: number;
    messagesPer?: number;
    requests?: number;
    replies?: number;
    /** Engine worker processes for the loaded reply-to-stop run; 0 leaves it out. */
    loadWorkers?: number;
    log?: (line: string) => void;
  } = {},
): Promise<InboxBenchResult> {
  const conversations = options.conversations ?? 50_000;
  const messagesPer = options.messagesPer ?? 10;
  const requests = options.requests ?? 200;
  const replies = options.replies ?? 1000;
  const log = options.log ?? ((line: string) => console.log(line));
  const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null;
  const empty = {
    conversations,
    messages: conversations * messagesPer,
    list: EMPTY,
    filtered: EMPTY,
    thread: EMPTY,
    trivial: EMPTY,
    replyToStop: EMPTY,
    replyToStopLoaded: null,
  };
  if (!postgresUrl) {
    return {
      skipped: "Inbox bench skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL.",
      ...empty,
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
    const email = `inbox-bench-${Date.now()}@example.com`;
    const { cookie } = await signUp("Bench Reader", email);
    const [membership] = await db
      .select({ workspaceId: member.organizationId })
      .from(member)
      .innerJoin(user, eq(user.id, member.userId))
      .where(eq(user.email, email));
    if (!membership) throw new Error("no workspace");
    const workspaceId = membership.workspaceId;
    const seats: string[] = [];
    for (let i = 0; i < 5; i++) {
      seats.push(
        await createSenderAccount(db, workspaceId, {
          name: `Inbox seat ${i + 1}`,
          provider: "sandbox",
          providerAccountId: `inbox-${workspaceId.slice(0, 8)}-${i}`,
          pacing: { timeZone: "UTC" },
        }),
      );
    }
    log(
      `Inbox: seeding ${conversations.toLocaleString("en-US")} conversations and ${(conversations * messagesPer).toLocaleString("en-US")} messages…`,
    );
    const seatList = sql.raw(`array[${seats.map((s) => `'${s}'`).join(",")}]`);
    await db.execute(
      sql`insert into lead (id, workspace_id, public_identifier, first_name, last_name, company)
          select 'bl-' || g, ${workspaceId}, 'bench-lead-' || g, 'Lead', 'Number ' || g, 'Company ' || (g % 500)
            from generate_series(1, ${conversations}) g`,
    );
    const categories = sql.raw(
      "(array['interested','not_interested','out_of_office','referral','unsubscribe','other'])[1 + g % 6]",
    );
    await db.execute(
      sql`insert into conversation (id, workspace_id, account_id, lead_id, last_message_at, preview,
                                    unread, has_reply, category)
          select 'bc-' || g, ${workspaceId}, (${seatList})[1 + g % 5], 'bl-' || g,
                 now() - (g || ' minutes')::interval, 'Thanks, tell me more about it', g % 3 = 0,
                 true, ${categories}
            from generate_series(1, ${conversations}) g`,
    );
    await db.execute(
      sql`insert into message (id, workspace_id, conversation_id, direction, origin, kind, text, at,
                               status, provider_message_id, category)
          select 'bm-' || c || '-' || k, ${workspaceId}, 'bc-' || c,
                 case when k % 2 = 0 then 'in' else 'out' end,
                 case when k % 2 = 0 then 'lead' else 'automated' end, 'message',
                 'Message ' || k || ' of a conversation, long enough to look like one.',
                 now() - (c || ' minutes')::interval - ((${messagesPer} - k) || ' hours')::interval,
                 case when k % 2 = 0 then 'received' else 'sent' end,
                 'bp-' || c || '-' || k,
                 case when k % 2 = 0 then 'interested' end
            from generate_series(1, ${conversations}) c, generate_series(1, ${messagesPer}) k`,
    );
    await db.execute(sql`analyze`);

    const listRoute = await import("@/app/api/inbox/route");
    const threadRoute = await import("@/app/api/inbox/[conversationId]/route");
    const trivial = withWorkspace(async () => Response.json({ ok: true }));
    const time = async (run: () => Promise<Response>) => {
      const start = performance.now();
      const response = await run();
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${response.status} ${text.slice(0, 200)}`);
      return { ms: performance.now() - start, text };
    };
    const list = (query: string) =>
      time(() =>
        listRoute.GET(apiRequest(`/api/inbox${query}`, { cookie }), {
          params: Promise.resolve({}),
        }),
      );
    const thread = (id: string) =>
      time(() =>
        threadRoute.GET(apiRequest(`/api/inbox/${id}`, { cookie }), {
          params: Promise.resolve({ conversationId: id }),
        }),
      );
    const ping = () =>
      time(() => trivial(apiRequest("/api/ping", { cookie }), { params: Promise.resolve({}) }));
    for (let i = 0; i < 5; i++) {
      await ping();
      await list("");
      await thread(`bc-${1 + i}`);
    }
    const samples = {
      list: [] as number[],
      filtered: [] as number[],
      thread: [] as number[],
      trivial: [] as number[],
    };
    let cursor: string | null = null;
    for (let i = 0; i < requests; i++) {
      samples.trivial.push((await ping()).ms);
      const first = await list(cursor ? `?cursor=${cursor}` : "");
      samples.list.push(first.ms);
      cursor = (JSON.parse(first.text) as { nextCursor: string | null }).nextCursor;
      if (i % 20 === 19) cursor = null;
      const filters = [
        `?accountId=${seats[i % 5]}`,
        "?category=interested",
        "?unread=true",
        `?accountId=${seats[i % 5]}&category=referral&unread=true`,
      ];
      samples.filtered.push((await list(filters[i % filters.length] ?? "")).ms);
      samples.thread.push((await thread(`bc-${1 + ((i * 7919) % conversations)}`)).ms);
    }
    const result = {
      list: summarise(samples.list),
      filtered: summarise(samples.filtered),
      thread: summarise(samples.thread),
      trivial: summarise(samples.trivial),
    };
    log(
      `Inbox: p95 list ${result.list.p95Ms} ms, filtered ${result.filtered.p95Ms} ms, thread ${result.thread.p95Ms} ms, trivial ${result.trivial.p95Ms} ms`,
    );

    // Reply to stop: leads in a running campaign on the first seat, each replying once.
    const graph = structuredClone(starterTemplates[0]?.graph);
    if (!graph) throw new Error("no starter template");
    const { campaignId } = await createCampaign(db, workspaceId, {
      name: "Reply to stop",
      graph,
      accountIds: [seats[0] as string],
      seed: "inbox-bench",
    });
    const leadIds = Array.from({ length: replies }, (_, i) => `bl-${i * 5 + 5}`);
    await enrollLeads(db, workspaceId, campaignId, leadIds, {
      now: new Date(),
      allowInOtherCampaigns: true,
    });
    const providerAccountId = `inbox-${workspaceId.slice(0, 8)}-0`;
    const stops: number[] = [];
    for (let i = 0; i < replies; i++) {
      const at = new Date();
      const start = performance.now();
      const outcome = await ingestEvent(
        db,
        "sandbox",
        {
          externalId: `bench-reply-${i}`,
          type: "replied",
          providerAccountId,
          leadPublicIdentifier: `bench-lead-${i * 5 + 5}`,
          occurredAt: at,
          text: i % 2 ? "Sounds good, what does it cost?" : "Not interested, thanks.",
        },
        at,
      );
      stops.push(performance.now() - start);
      if (outcome !== "stored") throw new Error(`reply ${i}: ${outcome}`);
    }
    const replyToStop = summarise(stops);
    log(`Inbox: reply to stop p50 ${replyToStop.p50Ms} ms, p95 ${replyToStop.p95Ms} ms`);
    const loadWorkers = options.loadWorkers ?? 2;
    let replyToStopLoaded: LoadedReplyResult | null = null;
    if (loadWorkers > 0 && database.url) {
      log(`Inbox: reply to stop again, with ${loadWorkers} engine worker(s) stepping a campaign…`);
      replyToStopLoaded = await measureReplyToStopUnderLoad(db, database.url, {
        replies,
        workers: loadWorkers,
        log,
      });
      log(
        `Inbox: reply to stop under engine load p50 ${replyToStopLoaded.replyToStop.p50Ms} ms, p95 ${replyToStopLoaded.replyToStop.p95Ms} ms (engine ${replyToStopLoaded.engineSendsPerSecond} sends/s)`,
      );
    }
    return {
      skipped: null,
      conversations,
      messages: conversations * messagesPer,
      ...result,
      replyToStop,
      replyToStopLoaded,
    };
  } finally {
    await database.destroy();
  }
}

export function formatInboxBench(result: InboxBenchResult): string[] {
  if (result.skipped) return [`  ${result.skipped}`];
  const row = (name: string, s: LatencySummary) =>
    `  ${name.padEnd(22)} p50 ${String(s.p50Ms).padStart(6)} ms   p95 ${String(s.p95Ms).padStart(6)} ms   (${s.requests} requests)`;
  const ratio = (s: LatencySummary) =>
    result.trivial.p95Ms > 0 ? (s.p95Ms / result.trivial.p95Ms).toFixed(2) : "—";
  return [
    row("list, first pages", result.list),
    row("list, filtered", result.filtered),
    row("thread", result.thread),
    row("trivial endpoint", result.trivial),
    `  p95 ÷ trivial: list ×${ratio(result.list)}, filtered ×${ratio(result.filtered)}, thread ×${ratio(result.thread)}`,
    row("reply to stop", result.replyToStop),
    ...(result.replyToStopLoaded
      ? [
          row(`… under engine load`, result.replyToStopLoaded.replyToStop),
          `  (${result.replyToStopLoaded.workers} engine workers, ${result.replyToStopLoaded.engineSendsPerSecond} sends/s meanwhile)`,
        ]
      : []),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const conversations = Number(process.argv[2] ?? 50_000);
  const result = await runInboxBench({ conversations });
  for (const line of formatInboxBench(result)) console.log(line);
  process.exit(0);
}
