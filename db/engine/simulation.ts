import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { VirtualClock } from "@/workflows/engine/clock";
import { DEFAULT_WEIGHT } from "@/workflows/engine/priority";
import type { EngineDeps } from "@/workflows/engine/step";
import { WITHDRAWAL_CHECK_MS } from "@/workflows/engine/withdrawals";
import { pumpEvents, runDueBatch } from "@/workflows/engine/worker";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import type { Provider } from "@/workflows/providers/types";
import {
  type Happening,
  happeningsOf,
  type SimulationSpec,
  seatsOf,
} from "@/workflows/simulation/assemble";
import { type DatabaseHandle, queryRows } from "../client";
import {
  createCampaign,
  createCreditPool,
  createSenderAccount,
  enrollLeads,
  upsertLeads,
} from "../queries/launch";
import { createDatabaseSandboxStore } from "../sandbox-store";
import { action, campaign, organization, senderAccount } from "../schema/index";
import { ingestEvent } from "./events";
import { earlierWithWithdrawals } from "./invitations";
import { queuedRow, queueHeadsSql } from "./queue";
import { createEngineStore } from "./store";

export type {
  SimulationAccount,
  SimulationPool,
  SimulationSpec,
} from "@/workflows/simulation/assemble";
export { capsByDay } from "@/workflows/simulation/assemble";

export interface SimulationRun {
  spec: SimulationSpec;
  workspaceId: string;
  /** The first campaign's id (the only one of a one-campaign run). */
  campaignId: string;
  /** Campaign names as the spec gave them → the database ids, once launched. */
  campaignIds: Map<string, string>;
  /** Launches and scripted changes still to come, by time. */
  pending: Happening[];
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
  const world = new SandboxWorld({
    seed: spec.seed,
    settings: spec.sandbox,
    store: createDatabaseSandboxStore(db),
  });
  const run: SimulationRun = {
    spec,
    workspaceId,
    campaignId: "",
    campaignIds: new Map(),
    pending: happeningsOf(spec),
    world,
    clock: new VirtualClock(spec.start),
    accountIds,
    poolId,
    end: new Date(spec.start.getTime() + spec.days * 24 * 60 * 60 * 1000),
  };
  await applyHappenings(handle, run, spec.start);
  return run;
}

/** Launches the campaigns and applies the scripted changes due by `now` (as memory-run.ts). */
async function applyHappenings(handle: DatabaseHandle, run: SimulationRun, now: Date) {
  const { db } = handle;
  const { spec, workspaceId } = run;
  while (run.pending.length > 0 && run.pending[0]!.at.getTime() <= now.getTime()) {
    const happening = run.pending.shift()!;
    if ("launch" in happening) {
      const { launch } = happening;
      const { campaignId } = await createCampaign(db, workspaceId, {
        name: spec.campaigns ? launch.id : "Simulation",
        graph: launch.graph,
        accountIds: seatsOf(spec, launch).map((seat) => run.accountIds.get(seat)!),
        seed: spec.seed,
        stopOnReply: launch.stopOnReply,
      });
      if (launch.budgets || launch.weight !== DEFAULT_WEIGHT) {
        await db
          .update(campaign)
          .set({ ...(launch.budgets ? { budgets: launch.budgets } : {}), weight: launch.weight })
          .where(eq(campaign.id, campaignId));
      }
      run.campaignIds.set(launch.id, campaignId);
      if (run.campaignId === "") run.campaignId = campaignId;
      const leadIds = await upsertLeads(db, workspaceId, launch.leads);
      await enrollLeads(db, workspaceId, campaignId, leadIds, {
        now,
        allowInOtherCampaigns: true,
      });
      continue;
    }
    const { change } = happening;
    if ("campaign" in change) {
      const campaignId = run.campaignIds.get(change.campaign);
      if (campaignId) {
        await db
          .update(campaign)
          .set({ status: change.status })
          .where(and(eq(campaign.workspaceId, workspaceId), eq(campaign.id, campaignId)));
      }
      continue;
    }
    const accountId = run.accountIds.get(change.account);
    if (!accountId) continue;
    // As the engine leaves a seat LinkedIn restricted, or a person paused or resumed.
    await db
      .update(senderAccount)
      .set({
        status: change.status,
        statusReason: change.status === "active" ? null : `scripted: ${change.status}`,
        coolingUntil: null,
      })
      .where(and(eq(senderAccount.workspaceId, workspaceId), eq(senderAccount.id, accountId)));
  }
}

/**
 * The next instant anything can happen: a due enrollment, a sandbox event, a renewal, a refund,
 * or an invitation to withdraw (after `now`, the instant the engine last ran at).
 */
export async function nextWakeUp(handle: DatabaseHandle, now: Date): Promise<Date | null> {
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
  const at = row?.at ? new Date(row.at) : null;
  // Once every lead is done, nothing else wakes the engine for its seats' withdrawals. A
  // withdrawal's wake-up is never before the next check, so it is not looked for when other
  // work comes first (as it does while leads are sending).
  if (at !== null && at.getTime() <= now.getTime() + WITHDRAWAL_CHECK_MS) return at;
  return earlierWithWithdrawals(handle.db, now, at);
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
    await applyHappenings(handle, run, now);
    await pumpEvents(run.world, now, (event) => ingestEvent(handle.db, "sandbox", event, now));
    const stepped = await runDueBatch(deps, { batchSize: 100 });
    stepsTaken += stepped;
    if (stepped > 0) continue;
    const wake = await nextWakeUp(handle, now);
    const candidates = [wake, run.pending[0]?.at ?? null].filter((at): at is Date => at !== null);
    const next = candidates.length > 0 ? Math.min(...candidates.map((at) => at.getTime())) : null;
    if (next === null || next > run.end.getTime()) break;
    run.clock.advanceTo(Math.max(next, now.getTime() + 1));
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
