/**
 * The trace of a simulated run, read back from the database and the sandbox world once the run
 * is over: what `outflow simulate --json` prints and what tests check. The format and the human
 * summary are pure and live in workflows/simulation/trace.ts.
 */

import "server-only";

import { and, asc, eq, inArray } from "drizzle-orm";
import { localDate, PacingSettingsSchema } from "@/workflows/engine/pacing/index";
import { assembleTrace } from "@/workflows/simulation/assemble";
import type { SimulationTrace } from "@/workflows/simulation/trace";
import { type DatabaseHandle, openDatabase } from "../client";
import {
  action,
  campaign,
  creditLedger,
  creditPool,
  enrollment,
  enrollmentStep,
  inboundEvent,
  lead,
  senderAccount,
  usageCounter,
  workflowVersion,
} from "../schema/index";
import {
  prepareSimulation,
  runSimulation,
  type SimulationRun,
  type SimulationSpec,
} from "./simulation";

export { SIMULATION_POOL_ID } from "@/workflows/simulation/assemble";
export {
  type SimulationTrace,
  summarizeTrace,
  TRACE_ACTION_KINDS,
  TRACE_ACTION_OUTCOMES,
  TRACE_CAP_KINDS,
  TRACE_EVENT_TYPES,
} from "@/workflows/simulation/trace";

export interface TraceOptions {
  /** The starter template the campaign file named, if any. */
  template?: string | null;
}

/** Builds the trace of a finished run from the database's rows (see assembleTrace). */
export async function buildTrace(
  handle: DatabaseHandle,
  spec: SimulationSpec,
  run: SimulationRun,
  options: TraceOptions = {},
): Promise<SimulationTrace> {
  const { db } = handle;
  const leads = await db
    .select({ id: lead.id, publicIdentifier: lead.publicIdentifier })
    .from(lead)
    .where(eq(lead.workspaceId, run.workspaceId));
  // The workspace holds this run only: every campaign's enrollments and every action recorded.
  const campaignRows = await db
    .select({ storeId: campaign.id, status: campaign.status, graph: workflowVersion.graph })
    .from(campaign)
    .innerJoin(workflowVersion, eq(workflowVersion.id, campaign.liveVersionId))
    .where(eq(campaign.workspaceId, run.workspaceId));
  const nameOf = new Map([...run.campaignIds].map(([name, id]) => [id, name]));
  const campaigns = campaignRows.map((row) => ({ ...row, id: nameOf.get(row.storeId) ?? "" }));
  const enrollments = await db
    .select()
    .from(enrollment)
    .where(eq(enrollment.workspaceId, run.workspaceId));
  const actions = await db.select().from(action).where(eq(action.workspaceId, run.workspaceId));
  const seats = await db
    .select({
      accountId: senderAccount.id,
      status: senderAccount.status,
      coolingUntil: senderAccount.coolingUntil,
      nextFreeAt: senderAccount.nextFreeAt,
      pacing: senderAccount.pacing,
    })
    .from(senderAccount)
    .where(eq(senderAccount.workspaceId, run.workspaceId));
  const usedAtEnd = [];
  for (const seat of seats) {
    const date = localDate(run.end, PacingSettingsSchema.parse(seat.pacing).timeZone);
    const rows = await db
      .select({ kind: usageCounter.kind, used: usageCounter.used })
      .from(usageCounter)
      .where(and(eq(usageCounter.accountId, seat.accountId), eq(usageCounter.localDate, date)));
    usedAtEnd.push(...rows.map((row) => ({ accountId: seat.accountId, ...row })));
  }
  const steps =
    enrollments.length === 0
      ? []
      : await db
          .select()
          .from(enrollmentStep)
          .where(
            and(
              eq(enrollmentStep.workspaceId, run.workspaceId),
              inArray(
                enrollmentStep.enrollmentId,
                enrollments.map((e) => e.id),
              ),
            ),
          );
  const events = await db
    .select()
    .from(inboundEvent)
    .where(
      and(
        eq(inboundEvent.workspaceId, run.workspaceId),
        inArray(inboundEvent.type, ["accepted", "replied"]),
      ),
    );
  let pool: Parameters<typeof assembleTrace>[0]["pool"] = null;
  if (run.poolId) {
    const [row] = await db.select().from(creditPool).where(eq(creditPool.id, run.poolId));
    const ledger = await db
      .select()
      .from(creditLedger)
      .where(eq(creditLedger.poolId, run.poolId))
      .orderBy(asc(creditLedger.at), asc(creditLedger.id));
    if (row) {
      pool = {
        plan: row.plan,
        allowance: row.allowance,
        cap: row.cap,
        renewalDay: row.renewalDay,
        balance: row.balance,
        nextRenewalAt: row.nextRenewalAt,
        refundPolicy: row.refundPolicy,
        openingBalance: ledger
          .filter((entry) => entry.note === "opening balance")
          .reduce((sum, entry) => sum + entry.amount, 0),
        ledger,
      };
    }
  }
  return assembleTrace({
    spec,
    end: run.end,
    template: options.template ?? null,
    accountIds: run.accountIds,
    leads,
    graph: campaigns.find((c) => c.storeId === run.campaignId)?.graph ?? spec.graph,
    campaigns,
    seats,
    usedAtEnd,
    enrollments,
    actions,
    steps,
    events,
    received: await run.world.received(),
    pool,
  });
}

export interface TraceSimulationOptions extends TraceOptions {
  /** Called with the virtual time as the run moves on. */
  onProgress?: (now: Date) => void;
  /** Called once the database is open and the campaign is set up, before the run. */
  onPrepared?: () => void;
}

/**
 * Runs a simulation start to end in a throwaway in-memory database and returns its trace:
 * the real engine, on the virtual clock, against the sandbox world.
 */
export async function traceSimulation(
  spec: SimulationSpec,
  options: TraceSimulationOptions = {},
): Promise<SimulationTrace> {
  const handle = await openDatabase({ kind: "pglite-memory" });
  try {
    const run = await prepareSimulation(handle, spec);
    options.onPrepared?.();
    await runSimulation(handle, run, "simulation", { onProgress: options.onProgress });
    return await buildTrace(handle, spec, run, options);
  } finally {
    await handle.close();
  }
}
