import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { VirtualClock } from "@/workflows/engine/clock";
import type { EngineDeps } from "@/workflows/engine/step";
import { pumpEvents, runDueBatch } from "@/workflows/engine/worker";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import type { Provider } from "@/workflows/providers/types";
import type { SimulationSpec } from "@/workflows/simulation/assemble";
import { type DatabaseHandle, queryRows } from "../client";
import {
  createCampaign,
  createCreditPool,
  createSenderAccount,
  enrollLeads,
  upsertLeads,
} from "../queries/launch";
import { createDatabaseSandboxStore } from "../sandbox-store";
import { action, campaign, organization } from "../schema";
import { ingestEvent } from "./events";
import { queuedRow, queueHeadsSql } from "./queue";
import { createEngineStore } from "./store";

export type {
  SimulationAccount,
  SimulationPool,
  SimulationSpec,
} from "@/workflows/simulation/assemble";
export { capsByDay } from "@/workflows/simulation/assemble";

export interface SimulationRun {
  workspaceId: string;
  campaignId: string;
  world: SandboxWorld;
  clock: VirtualClock;
  /** Account ids as the spec named them → the database ids. */
  accountIds: Map<string, string>;
  /** The pool's database id, when the spec has a pool. */
  poolId: string | null;
  end: Date;
}

export interface RunSimulationOptions {
  /** Called with the virtual time each time the clock moves (progress reports). */
  onProgress?: (now: Date) => void;
  /** Wraps the sandbox world as the engine's provider (the app records sent texts so). */
  provider?: (world: SandboxWorld) => Provider;
}

/** Sets up a workspace, sandbox accounts, a running campaign and enrolled leads. */
export async function prepareSimulation(
  handle: DatabaseHandle,
  spec: SimulationSpec,
): Promise<SimulationRun> {
  const { db } = handle;
  const workspaceId = randomUUID();
  await db
    .insert(organization)
    .values({ id: workspaceId, name: "Simulation", slug: `sim-${workspaceId}` });
  const poolId = spec.pool
    ? await createCreditPool(db, workspaceId, {
        name: "Simulation pool",
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
    accountIds.set(
      account.id,
      await createSenderAccount(db, workspaceId, {
        name: account.id,
        provider: "sandbox",
        providerAccountId: account.id,
        pacing: account.pacing,
        creditPoolId: poolId,
      }),
    );
  }
  const { campaignId } = await createCampaign(db, workspaceId, {
    name: "Simulation",
    graph: spec.graph,
    accountIds: [...accountIds.values()],
    seed: spec.seed,
    stopOnReply: spec.stopOnReply ?? true,
  });
  if (spec.budgets) {
    await db.update(campaign).set({ budgets: spec.budgets }).where(eq(campaign.id, campaignId));
  }
  const leadIds = await upsertLeads(db, workspaceId, spec.leads);
  await enrollLeads(db, workspaceId, campaignId, leadIds, { now: spec.start });
  const world = new SandboxWorld({
    seed: spec.seed,
    settings: spec.sandbox,
    store: createDatabaseSandboxStore(db),
  });
  return {
    workspaceId,
    campaignId,
    world,
    clock: new VirtualClock(spec.start),
    accountIds,
    poolId,
    end: new Date(spec.start.getTime() + spec.days * 24 * 60 * 60 * 1000),
  };
}

/** The next instant anything can happen: a due enrollment or a sandbox event. */
export async function nextWakeUp(handle: DatabaseHandle): Promise<Date | null> {
  const [row] = await queryRows<{ at: string | Date | null }>(
    handle.db,
    sql`select least(
          (select min(greatest(e.next_run_at,
                               coalesce(a.cooling_until, e.next_run_at),
                               coalesce(e.lease_expires_at, e.next_run_at),
                               case when ${queuedRow(sql`e`)}
                                    then coalesce(a.next_free_at, e.next_run_at)
                                    else e.next_run_at end))
             from enrollment e
             join sender_account a on a.id = e.account_id
             join campaign c on c.id = e.campaign_id
            where e.state = 'active' and c.status = 'running'
              and a.status in ('active', 'cooling_down')
              -- A queued lead wakes only at the head of its seat's queue.
              and (not ${queuedRow(sql`e`)} or e.id in (select h.id from (${queueHeadsSql}) h))),
          (select min(occurred_at) from sandbox_event where delivered_at is null),
          (select min(next_renewal_at) from credit_pool),
          (select min(due_at) from credit_refund where posted_at is null)
        ) as at`,
  );
  return row?.at ? new Date(row.at) : null;
}

/**
 * Runs the real engine on the virtual clock until the end of the run: steps everything due,
 * delivers the sandbox's events through the webhook path, then jumps to the next due time.
 */
export async function runSimulation(
  handle: DatabaseHandle,
  run: SimulationRun,
  owner = "simulation",
  options: RunSimulationOptions = {},
) {
  const deps: EngineDeps = {
    store: createEngineStore(handle.db),
    provider: options.provider?.(run.world) ?? run.world,
    clock: run.clock,
    owner,
  };
  let iterations = 0;
  let stepsTaken = 0;
  for (;;) {
    iterations++;
    const now = run.clock.now();
    await pumpEvents(run.world, now, (event) => ingestEvent(handle.db, "sandbox", event, now));
    const stepped = await runDueBatch(deps, { batchSize: 100 });
    stepsTaken += stepped;
    if (stepped > 0) continue;
    const next = await nextWakeUp(handle);
    if (!next || next.getTime() > run.end.getTime()) break;
    run.clock.advanceTo(Math.max(next.getTime(), now.getTime() + 1));
    options.onProgress?.(run.clock.now());
  }
  run.clock.advanceTo(Math.max(run.end.getTime(), run.clock.now().getTime()));
  return { iterations, steps: stepsTaken };
}

export async function actionsOfCampaign(handle: DatabaseHandle, campaignId: string) {
  return handle.db
    .select()
    .from(action)
    .where(and(eq(action.campaignId, campaignId)));
}
