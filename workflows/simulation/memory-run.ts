/**
 * A simulated run in memory: the real engine loop (engine/worker.ts) on a virtual clock,
 * against the sandbox world, with the in-memory store (engine/memory-store.ts) in place of a
 * database. It gives the same trace as the database run (db/engine/trace.ts) for the same seed,
 * in a fraction of the time: what `outflow simulate` and the forecast run.
 */
import { VirtualClock } from "../engine/clock";
import { MemoryEngineDatabase } from "../engine/memory-store";
import { localDate } from "../engine/pacing/local-time";
import { ACTION_KINDS } from "../engine/pacing/settings";
import type { EngineDeps } from "../engine/step";
import { pumpEvents, runDueBatch } from "../engine/worker";
import { SandboxWorld } from "../providers/sandbox/index";
import {
  assembleTrace,
  type Happening,
  happeningsOf,
  type SimulationSpec,
  seatsOf,
} from "./assemble";
import { IndexedSandboxStore } from "./indexed-sandbox-store";
import type { SimulationTrace } from "./trace";

const DAY_MS = 24 * 60 * 60 * 1000;
const WORKSPACE = "simulation";
const PROVIDER = "sandbox";

export interface MemoryRunOptions {
  template?: string | null;
  /** Called with the virtual time each time the clock moves (progress reports). */
  onProgress?: (now: Date) => void;
  /**
   * Checked between batches: return true to stop early (a cancelled or timed-out forecast);
   * the run then ends where it stands.
   */
  shouldStop?: () => boolean;
}

export interface MemoryRun {
  spec: SimulationSpec;
  db: MemoryEngineDatabase;
  world: SandboxWorld;
  sandbox: IndexedSandboxStore;
  clock: VirtualClock;
  /** The first campaign's id (the only one of a one-campaign run). */
  campaignId: string;
  /** Campaign names as the spec gave them → the store's ids, once launched. */
  campaignIds: Map<string, string>;
  /** Launches and scripted changes still to come, by time. */
  pending: Happening[];
  accountIds: Map<string, string>;
  poolId: string | null;
  end: Date;
}

/** Sets up the workspace in memory: pool, sandbox seats, the running campaign, its leads. */
export async function prepareMemoryRun(spec: SimulationSpec): Promise<MemoryRun> {
  const db = new MemoryEngineDatabase();
  const poolId = spec.pool
    ? db.createPool(WORKSPACE, {
        plan: spec.pool.plan,
        renewalDay: spec.pool.renewalDay ?? 1,
        balance: spec.pool.balance,
        at: spec.start,
        ...(spec.pool.refundPolicy ? { refundPolicy: spec.pool.refundPolicy } : {}),
        ...(spec.pool.allowance !== undefined ? { allowance: spec.pool.allowance } : {}),
        ...(spec.pool.cap !== undefined ? { cap: spec.pool.cap } : {}),
      })
    : null;
  const accountIds = new Map<string, string>();
  for (const account of spec.accounts) {
    const id = db.createAccount(WORKSPACE, {
      name: account.id,
      provider: PROVIDER,
      providerAccountId: account.id,
      pacing: account.pacing,
      creditPoolId: poolId,
    });
    accountIds.set(account.id, id);
    const today = localDate(spec.start, db.accounts.get(id)!.pacing.timeZone);
    for (const [kind, used] of Object.entries(account.usedToday ?? {})) {
      if (used > 0) db.setUsage(id, today, kind, used);
    }
  }
  const sandbox = new IndexedSandboxStore();
  const world = new SandboxWorld({ seed: spec.seed, settings: spec.sandbox, store: sandbox });
  const run: MemoryRun = {
    spec,
    db,
    world,
    sandbox,
    clock: new VirtualClock(spec.start),
    campaignId: "",
    campaignIds: new Map(),
    pending: happeningsOf(spec),
    accountIds,
    poolId,
    end: new Date(spec.start.getTime() + spec.days * DAY_MS),
  };
  await applyHappenings(run, spec.start);
  return run;
}

/** Launches the campaigns and applies the scripted changes due by `now`. */
async function applyHappenings(run: MemoryRun, now: Date) {
  const { db, spec } = run;
  while (run.pending.length > 0 && run.pending[0]!.at.getTime() <= now.getTime()) {
    const happening = run.pending.shift()!;
    if ("launch" in happening) {
      const { launch } = happening;
      const campaignId = await db.createCampaign(WORKSPACE, {
        graph: launch.graph,
        accountIds: seatsOf(spec, launch).map((seat) => run.accountIds.get(seat)!),
        seed: spec.seed,
        stopOnReply: launch.stopOnReply,
        budgets: launch.budgets ?? null,
        weight: launch.weight,
      });
      run.campaignIds.set(launch.id, campaignId);
      if (run.campaignId === "") run.campaignId = campaignId;
      const leadIds = launch.leads.map((lead) => db.addLead(WORKSPACE, lead));
      db.enroll(campaignId, [...new Set(leadIds)], now);
      continue;
    }
    const { change } = happening;
    if ("campaign" in change) {
      const campaign = db.campaigns.get(run.campaignIds.get(change.campaign) ?? "");
      if (campaign) campaign.status = change.status;
      continue;
    }
    const account = db.accounts.get(run.accountIds.get(change.account) ?? "");
    if (!account) continue;
    // As the engine leaves a seat LinkedIn restricted, or a person paused or resumed.
    account.status = change.status;
    account.statusReason = change.status === "active" ? null : `scripted: ${change.status}`;
    account.coolingUntil = null;
  }
}

/**
 * Runs the engine until the end of the run, exactly as db/engine/simulation.ts runSimulation
 * does: steps everything due, delivers the sandbox's events through the webhook path, then
 * jumps to the next due time.
 */
export async function runMemory(run: MemoryRun, options: MemoryRunOptions = {}) {
  const deps: EngineDeps = {
    store: run.db.store(),
    provider: run.world,
    clock: run.clock,
    owner: "simulation",
  };
  let iterations = 0;
  let steps = 0;
  let stopped = false;
  for (;;) {
    iterations++;
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
    const now = run.clock.now();
    await applyHappenings(run, now);
    await pumpEvents(run.world, now, async (event) => run.db.ingestEvent(PROVIDER, event, now));
    const stepped = await runDueBatch(deps, { batchSize: 100 });
    steps += stepped;
    if (stepped > 0) continue;
    const candidates = [
      run.db.nextWakeUp(now),
      run.sandbox.nextEventAt(),
      run.pending[0]?.at ?? null,
    ].filter((at): at is Date => at !== null);
    const next = candidates.length > 0 ? Math.min(...candidates.map((at) => at.getTime())) : null;
    if (next === null || next > run.end.getTime()) break;
    run.clock.advanceTo(Math.max(next, now.getTime() + 1));
    options.onProgress?.(run.clock.now());
  }
  if (!stopped) run.clock.advanceTo(Math.max(run.end.getTime(), run.clock.now().getTime()));
  return { iterations, steps, stopped };
}

/** The trace of a finished in-memory run (the same format and order as the database's). */
export async function memoryTrace(
  spec: SimulationSpec,
  run: MemoryRun,
  template: string | null = null,
): Promise<SimulationTrace> {
  const { db } = run;
  const pool = run.poolId ? db.pools.get(run.poolId) : undefined;
  const ledger = run.poolId
    ? db.ledger
        .filter((l) => l.poolId === run.poolId)
        .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id)
    : [];
  // The store holds this run only: every campaign's enrollments and every action it recorded.
  const enrollments = [...db.enrollments.values()];
  const ids = new Set(enrollments.map((e) => e.id));
  return assembleTrace({
    spec,
    end: run.end,
    template,
    accountIds: run.accountIds,
    leads: [...db.leads.values()],
    graph: db.campaigns.get(run.campaignId)?.graph ?? spec.graph,
    campaigns: [...run.campaignIds].map(([id, storeId]) => ({
      id,
      storeId,
      graph: db.campaigns.get(storeId)!.graph,
      status: db.campaigns.get(storeId)!.status,
    })),
    seats: [...db.accounts.values()].map((a) => ({
      accountId: a.id,
      status: a.status,
      coolingUntil: a.coolingUntil,
      nextFreeAt: a.nextFreeAt,
    })),
    usedAtEnd: [...db.accounts.values()].flatMap((a) => {
      const date = localDate(run.end, a.pacing.timeZone);
      return ACTION_KINDS.map((kind) => ({
        accountId: a.id,
        kind,
        used: db.counter(a.id, date, kind).used,
      }));
    }),
    enrollments,
    actions: [...db.actions.values()],
    steps: db.history.filter((h) => ids.has(h.enrollmentId)),
    events: db.inbound,
    received: await run.world.received(),
    pool: pool
      ? {
          plan: pool.plan,
          allowance: pool.allowance,
          cap: pool.cap,
          renewalDay: pool.renewalDay,
          balance: pool.balance,
          nextRenewalAt: pool.nextRenewalAt,
          refundPolicy: pool.refundPolicy,
          openingBalance: ledger
            .filter((l) => l.note === "opening balance")
            .reduce((sum, l) => sum + l.amount, 0),
          ledger,
        }
      : null,
  });
}

/** Runs a simulation start to end in memory and returns its trace. */
export async function simulateInMemory(
  spec: SimulationSpec,
  options: MemoryRunOptions = {},
): Promise<SimulationTrace> {
  const run = await prepareMemoryRun(spec);
  await runMemory(run, options);
  return memoryTrace(spec, run, options.template ?? null);
}
