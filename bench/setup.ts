/**
 * What the engine benchmark runs on: a 6-node graph, sender accounts with caps lifted and
 * (near) zero gaps, 20,000 or 100,000 enrolled leads seeded in bulk, the reset that puts every
 * row back at the start between runs, a provider that answers "sent" at once, and the bare SQL
 * loop the engine is compared with.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Database, inList, queryRows } from "@/db/client";
import { claimDueStatement } from "@/db/engine/store";
import { createCampaign, createSenderAccount } from "@/db/queries/launch";
import { organization } from "@/db/schema/index";
import type { Clock } from "@/workflows/engine/clock";
import type { PacingSettingsInput } from "@/workflows/engine/pacing/settings";
import { buildGraph } from "@/workflows/graph/builder";
import type { Provider, ProviderOutcome } from "@/workflows/providers/types";

/** The virtual instant every lead is enrolled at; the benchmark clock starts a minute later. */
export const BENCH_START = new Date("2026-03-02T00:00:00Z");

/** start → visit → follow → connect (no note) → wait 1 h → end */
export const BENCH_GRAPH = buildGraph()
  .node("start", "start")
  .node("visit", "visit")
  .node("follow", "follow")
  .node("connect", "connect", { noteVariants: [], skipIfConnected: true })
  .node("wait", "wait", { amount: 1, unit: "hours", workingDaysOnly: false })
  .node("end", "end", { outcome: "finished" })
  .chain("start", "visit", "follow", "connect", "wait", "end")
  .build();

export const BENCH_NODES = BENCH_GRAPH.nodes.map((n) => n.id);
export const GRAPH_LABEL = "start → visit → follow → connect → wait 1 h → end";

const LIFTED = 10_000_000;

/**
 * Caps lifted, a 1 ms gap (the schema wants it positive), working all day every day, and the
 * safety pause off: the instant provider never accepts an invitation, which would otherwise
 * pause every account within the first virtual hours and leave the engine nothing to claim.
 */
export const BENCH_PACING: PacingSettingsInput = {
  timeZone: "UTC",
  workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" },
  gap: { minSeconds: 0.001, maxSeconds: 0.001 },
  dailyStartOffsetMaxMinutes: 0,
  caps: {
    perDay: { connect: LIFTED, visit: LIFTED, follow: LIFTED, message: LIFTED, inmail: LIFTED },
    totalPerDay: LIFTED,
    connectPer7Days: LIFTED,
  },
  warmup: { startDate: null },
  safety: { pauseBelow: 0 },
};

export interface Seeded {
  workspaceId: string;
  campaignId: string;
  versionId: string;
  accountIds: string[];
  leads: number;
}

/** One workspace, `accounts` sandbox accounts, a running campaign and `leads` enrollments. */
export async function seedBench(
  db: Database,
  options: { leads: number; accounts: number },
): Promise<Seeded> {
  const workspaceId = randomUUID();
  await db
    .insert(organization)
    .values({ id: workspaceId, name: "Benchmark", slug: `bench-${workspaceId}` });
  const accountIds: string[] = [];
  for (let i = 0; i < options.accounts; i++) {
    accountIds.push(
      await createSenderAccount(db, workspaceId, {
        name: `bench-${i}`,
        provider: "sandbox",
        providerAccountId: `bench-${workspaceId.slice(0, 8)}-${i}`,
        pacing: BENCH_PACING,
      }),
    );
  }
  const { campaignId, versionId } = await createCampaign(db, workspaceId, {
    name: "Benchmark",
    graph: BENCH_GRAPH,
    accountIds,
    seed: "bench",
    stopOnReply: true,
  });
  const seeded = { workspaceId, campaignId, versionId, accountIds, leads: 0 };
  await addLeads(db, seeded, options.leads);
  return seeded;
}

/** Enrolls more leads (numbered on from those already there), all due at BENCH_START. */
export async function addLeads(db: Database, seeded: Seeded, total: number) {
  const { workspaceId, campaignId, versionId, accountIds } = seeded;
  const from = seeded.leads + 1;
  const at = BENCH_START.toISOString();
  const accountArray = sql`array[${sql.join(
    accountIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  await db.execute(
    sql`insert into lead (id, workspace_id, public_identifier, first_name, last_name, company,
                          title, custom, created_at)
        select ${workspaceId} || '-lead-' || i, ${workspaceId}, 'bench-' || lpad(i::text, 7, '0'),
               'Lead' || i, 'Bench', 'Company ' || (i % 97), 'VP Sales', '{}'::jsonb, ${at}
          from generate_series(${from}::int, ${total}::int) as i`,
  );
  await db.execute(
    sql`insert into enrollment (id, workspace_id, campaign_id, lead_id, version_id, account_id,
                                node_id, next_run_at, queue_key, created_at, updated_at)
        select ${workspaceId} || '-enr-' || i, ${workspaceId}, ${campaignId},
               ${workspaceId} || '-lead-' || i, ${versionId},
               (${accountArray})[1 + (i % ${accountIds.length}::int)], 'start', ${at},
               'bench-' || lpad(i::text, 7, '0'), ${at}, ${at}
          from generate_series(${from}::int, ${total}::int) as i`,
  );
  await db.execute(sql`analyze`);
  seeded.leads = Math.max(seeded.leads, total);
}
/** Puts every enrollment back at the start, forgets what was sent, and vacuums. */
export async function resetBench(db: Database, seeded: Pick<Seeded, "workspaceId" | "campaignId">) {
  const at = BENCH_START.toISOString();
  await db.execute(sql`truncate enrollment_step, action, usage_counter`);
  await db.execute(
    sql`update sender_account
           set next_free_at = null, status = 'active', cooling_until = null
         where workspace_id = ${seeded.workspaceId}`,
  );
  await db.execute(
    sql`update enrollment
           set node_id = 'start', step_seq = 0, state = 'active', next_run_at = ${at},
               lease_owner = null, lease_expires_at = null, branch = '', step_state = null,
               outcome = null, reason = null, attempts = 0, updated_at = ${at}
         where campaign_id = ${seeded.campaignId}`,
  );
  await db.execute(sql`vacuum analyze enrollment, lead, sender_account`);
}

/**
 * Virtual time shared by every worker of a run: the benchmark start plus the real time since
 * `realStart`, `scale` times faster, so a 1-hour wait is over in 1 s at ×3600.
 */
export function benchClock(realStart: number, scale: number): Clock {
  const origin = BENCH_START.getTime() + 60_000;
  return { now: () => new Date(origin + (Date.now() - realStart) * scale) };
}

/** LinkedIn answering "sent" at once: the benchmark measures the engine, not a provider. */
export function instantProvider(onSend: () => void): Provider {
  const sent = async (): Promise<ProviderOutcome> => {
    onSend();
    return { status: "sent" };
  };
  return {
    name: "sandbox",
    perform: sent,
    reconcile: async () => ({ status: "not_sent" }),
    inmailBalance: async () => null,
  };
}

/** What both bare loops are given. */
interface BareOptions {
  clock: Clock;
  owner: string;
  leaseMs: number;
  batchSize: number;
  /** Told how long each statement took: "claim" or "update". */
  record?: (name: "claim" | "update", ms: number) => void;
  /** Told of each row stepped, and of each move. */
  onRow?: () => void;
  onMove?: () => void;
}

/** The bare loops' claim: the engine's own statement, timed. */
async function claimBare(
  db: Database,
  options: BareOptions,
  record: (name: "claim" | "update", ms: number) => void,
) {
  const started = performance.now();
  const claimed = await queryRows<{ id: string; node_id: string }>(
    db,
    claimDueStatement({
      now: options.clock.now(),
      owner: options.owner,
      leaseMs: options.leaseMs,
      limit: options.batchSize,
    }),
  );
  record("claim", performance.now() - started);
  return claimed;
}

/** The wait node's delay, as the bare loop applies it (BENCH_GRAPH waits 1 hour). */
const WAIT_MS = 3_600_000;

/**
 * One batch of the bare SQL loop: claim like the engine, then walk each claimed row through the
 * same nodes the engine walks it — one plain UPDATE per node, no history, no sends, no caps, no
 * domain logic — until it sleeps on the wait (next run an hour later, lease released) or ends
 * (done, lease released). So a claimed row makes the same moves as an engine step: 4 the first
 * time (start → visit → follow → connect → wait), 2 the second (wait → end → done). Returns the
 * rows stepped.
 */
export async function bareBatch(
  db: Database,
  options: BareOptions & {
    /** No new row is started after this instant (epoch ms). */
    until?: number;
  },
): Promise<number> {
  const record = options.record ?? (() => {});
  const claimed = await claimBare(db, options, record);
  let started = performance.now();
  let stepped = 0;
  for (const row of claimed) {
    if (options.until !== undefined && Date.now() >= options.until) break;
    let index = BENCH_NODES.indexOf(row.node_id);
    for (;;) {
      const at = options.clock.now();
      const current = BENCH_NODES[index];
      const next = BENCH_NODES[index + 1] ?? null;
      // Entering the wait sleeps an hour; leaving the end finishes; both let go of the lease.
      const sleeps = next === "wait";
      const ends = current === "end";
      started = performance.now();
      const updated = await queryRows<{ id: string }>(
        db,
        sql`update enrollment
               set node_id = ${next ?? current}, step_seq = step_seq + 1,
                   state = ${ends ? "done" : "active"},
                   next_run_at = ${new Date(at.getTime() + (sleeps ? WAIT_MS : 0)).toISOString()},
                   lease_owner = ${sleeps || ends ? null : options.owner},
                   lease_expires_at = case when ${sleeps || ends}::boolean then null
                                           else lease_expires_at end,
                   updated_at = ${at.toISOString()}
             where id = ${row.id} and lease_owner = ${options.owner}
             returning id`,
      );
      record("update", performance.now() - started);
      if (updated.length === 0) break;
      options.onMove?.();
      if (sleeps || ends) {
        options.onRow?.();
        stepped++;
        break;
      }
      index++;
    }
  }
  return stepped;
}

/** Where each step of BENCH_GRAPH leads, as the set-based loop's one statement reads it. */
const NEXT_NODE = Object.fromEntries(
  BENCH_NODES.map((node, index) => [node, BENCH_NODES[index + 1] ?? node]),
);

/**
 * One batch of the set-based bare loop: the floor, the fastest the database can make the same
 * moves. The same claim, then one UPDATE per move for every claimed row still walking (start →
 * visit for all of them at once, then visit → follow, …), so a batch of 25 rows walking
 * start → wait costs 1 claim + 4 statements instead of 1 + 100. Rows leave the walk as in
 * `bareBatch`: entering the wait sleeps an hour, leaving the end finishes.
 */
export async function bareSetBatch(db: Database, options: BareOptions): Promise<number> {
  const record = options.record ?? (() => {});
  const claimed = await claimBare(db, options, record);
  let started = performance.now();
  let walking = claimed.map((row) => row.id);
  let stepped = 0;
  while (walking.length > 0) {
    const at = options.clock.now();
    started = performance.now();
    const moved = await queryRows<{ id: string; node_id: string; state: string }>(
      db,
      sql`update enrollment e
             set node_id = (${JSON.stringify(NEXT_NODE)}::jsonb ->> e.node_id),
                 step_seq = e.step_seq + 1,
                 state = case when e.node_id = 'end' then 'done' else 'active' end,
                 next_run_at = case when e.node_id = 'connect'
                                    then ${new Date(at.getTime() + WAIT_MS).toISOString()}::timestamptz
                                    else ${at.toISOString()}::timestamptz end,
                 lease_owner = case when e.node_id in ('connect', 'end') then null
                                    else e.lease_owner end,
                 lease_expires_at = case when e.node_id in ('connect', 'end') then null
                                         else e.lease_expires_at end,
                 updated_at = ${at.toISOString()}
           where e.id in ${inList(walking)} and e.lease_owner = ${options.owner}
           returning e.id, e.node_id, e.state`,
    );
    record("update", performance.now() - started);
    walking = [];
    for (const row of moved) {
      options.onMove?.();
      if (row.node_id === "wait" || row.state === "done") {
        options.onRow?.();
        stepped++;
      } else {
        walking.push(row.id);
      }
    }
  }
  return stepped;
}
