/**
 * The trace of a simulated run, read back from the database and the sandbox world once the run
 * is over: what `outflow simulate --json` prints and what tests check. The format and the human
 * summary are pure and live in workflows/simulation/trace.ts.
 */

import { and, asc, eq, inArray } from "drizzle-orm";
import { RefundPolicySchema } from "@/workflows/credits/refunds";
import {
  ACTION_KINDS,
  type ActionKind,
  PacingSettingsSchema,
} from "@/workflows/engine/pacing/settings";
import {
  type SimulationTrace,
  TRACE_VERSION,
  type TraceAction,
  type TraceActionOutcome,
  type TraceEvent,
  type TraceLedgerEntry,
  type TracePool,
} from "@/workflows/simulation/trace";
import { type DatabaseHandle, openDatabase } from "../client";
import {
  action,
  creditLedger,
  creditPool,
  enrollment,
  enrollmentStep,
  inboundEvent,
  lead,
  workflowVersion,
} from "../schema";
import {
  capsByDay,
  prepareSimulation,
  runSimulation,
  type SimulationRun,
  type SimulationSpec,
} from "./simulation";

export {
  type SimulationTrace,
  summarizeTrace,
  TRACE_ACTION_KINDS,
  TRACE_ACTION_OUTCOMES,
  TRACE_CAP_KINDS,
  TRACE_EVENT_TYPES,
} from "@/workflows/simulation/trace";

/** The name the trace gives the simulation's single pool. */
export const SIMULATION_POOL_ID = "pool";

const iso = (at: Date) => at.toISOString();

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders by the listed fields; the trace must not depend on database ids or insertion order. */
function byFields<T>(...fields: Array<(item: T) => string | number>) {
  return (a: T, b: T) => {
    for (const field of fields) {
      const x = field(a);
      const y = field(b);
      const order =
        typeof x === "number" && typeof y === "number" ? x - y : compare(String(x), String(y));
      if (order !== 0) return order;
    }
    return 0;
  };
}

function outcomeOf(status: string): TraceActionOutcome {
  if (status === "sent" || status === "failed" || status === "skipped" || status === "not_sent") {
    return status;
  }
  // An `intent` left unresolved at the end of the run: nothing is known to have been sent.
  return "failed";
}

function asKind(kind: string): ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(kind) ? (kind as ActionKind) : "message";
}

/** The step number and attempt of an idempotency key (`<enrollment>:<step>:<attempt>`). */
function keyOrder(key: string): string {
  return key
    .split(":")
    .slice(1)
    .map((part) => part.padStart(6, "0"))
    .join(":");
}

export interface TraceOptions {
  /** The starter template the campaign file named, if any. */
  template?: string | null;
}

/** Builds the trace of a finished run (see `SimulationTrace` for the format). */
export async function buildTrace(
  handle: DatabaseHandle,
  spec: SimulationSpec,
  run: SimulationRun,
  options: TraceOptions = {},
): Promise<SimulationTrace> {
  const { db } = handle;
  const accountName = new Map([...run.accountIds].map(([name, id]) => [id, name]));
  const name = (accountId: string | null) => (accountId && accountName.get(accountId)) || "";

  const leads = await db
    .select({ id: lead.id, publicIdentifier: lead.publicIdentifier })
    .from(lead)
    .where(eq(lead.workspaceId, run.workspaceId));
  const identifier = new Map(leads.map((l) => [l.id, l.publicIdentifier]));
  const who = (leadId: string | null) => (leadId && identifier.get(leadId)) || "";

  const [version] = await db
    .select({ graph: workflowVersion.graph })
    .from(workflowVersion)
    .where(eq(workflowVersion.campaignId, run.campaignId));
  const graph = version?.graph ?? spec.graph;
  const nodeKind = new Map(
    ((graph as { nodes?: Array<{ id: string; kind: string }> }).nodes ?? []).map((n) => [
      n.id,
      n.kind,
    ]),
  );

  // ── Enrollments ──
  const enrollments = (
    await db.select().from(enrollment).where(eq(enrollment.campaignId, run.campaignId))
  )
    .map((e) => ({
      lead: who(e.leadId),
      account: name(e.accountId),
      state: e.state,
      outcome: e.outcome,
      reason: e.reason,
      node: e.nodeId,
      branch: e.branch,
      finishedAt: e.state === "active" ? null : iso(e.updatedAt),
      nextRunAt: e.state === "active" ? iso(e.nextRunAt) : null,
    }))
    .sort(byFields((e) => e.lead));

  // ── Actions ──
  const actionRows = await db.select().from(action).where(eq(action.campaignId, run.campaignId));
  const rowsWithOrder = actionRows.map((a) => ({
    order: keyOrder(a.idempotencyKey),
    entry: {
      at: iso(a.createdAt),
      account: name(a.accountId),
      lead: who(a.leadId),
      node: a.nodeId,
      kind: asKind(a.kind),
      branch: a.branch,
      variant: a.variant,
      outcome: outcomeOf(a.status),
      reason: a.reason,
      credits: a.credits,
    } satisfies TraceAction,
  }));
  // The engine writes no action row when the pool refuses an InMail (nothing was attempted on
  // LinkedIn); the lead's history records it as "not sent: …". Those count as not-sent actions.
  const enrollmentIds = new Map(
    (
      await db
        .select({ id: enrollment.id, leadId: enrollment.leadId, accountId: enrollment.accountId })
        .from(enrollment)
        .where(eq(enrollment.campaignId, run.campaignId))
    ).map((e) => [e.id, e]),
  );
  const attempted = new Set(
    actionRows.map((a) => `${a.enrollmentId}|${a.nodeId}|${a.createdAt.getTime()}`),
  );
  const steps =
    enrollmentIds.size === 0
      ? []
      : await db
          .select()
          .from(enrollmentStep)
          .where(
            and(
              eq(enrollmentStep.workspaceId, run.workspaceId),
              inArray(enrollmentStep.enrollmentId, [...enrollmentIds.keys()]),
            ),
          );
  for (const step of steps) {
    if (!step.note?.startsWith("not sent: ") || nodeKind.get(step.nodeId) !== "inmail") continue;
    if (attempted.has(`${step.enrollmentId}|${step.nodeId}|${step.at.getTime()}`)) continue;
    const owner = enrollmentIds.get(step.enrollmentId);
    rowsWithOrder.push({
      order: "",
      entry: {
        at: iso(step.at),
        account: name(owner?.accountId ?? null),
        lead: who(owner?.leadId ?? null),
        node: step.nodeId,
        kind: "inmail",
        branch: step.branch,
        variant: null,
        outcome: "not_sent",
        reason: step.note.slice("not sent: ".length),
        credits: 0,
      },
    });
  }
  const actions = rowsWithOrder
    .sort(
      byFields(
        (r) => r.entry.at,
        (r) => r.entry.account,
        (r) => r.entry.lead,
        (r) => r.order,
        (r) => r.entry.node,
      ),
    )
    .map((r) => r.entry);

  // ── Inbound events ──
  const events: TraceEvent[] = (
    await db
      .select()
      .from(inboundEvent)
      .where(
        and(
          eq(inboundEvent.workspaceId, run.workspaceId),
          inArray(inboundEvent.type, ["accepted", "replied"]),
        ),
      )
  )
    .map((e) => ({
      at: iso(e.occurredAt),
      account: name(e.accountId),
      lead: who(e.leadId),
      type: e.type as TraceEvent["type"],
    }))
    .sort(
      byFields(
        (e) => e.at,
        (e) => e.account,
        (e) => e.lead,
        (e) => e.type,
      ),
    );

  // ── What the sandbox received ──
  const nodeOfKey = new Map(actionRows.map((a) => [a.idempotencyKey, a.nodeId]));
  const accounts = new Set(run.accountIds.keys());
  const received = (await run.world.received())
    .filter((r) => accounts.has(r.providerAccountId))
    .map((r) => ({
      at: iso(r.at),
      account: r.providerAccountId,
      lead: r.leadPublicIdentifier,
      kind: r.kind,
      node: nodeOfKey.get(r.idempotencyKey) ?? null,
      order: keyOrder(r.idempotencyKey),
    }))
    .sort(
      byFields(
        (r) => r.at,
        (r) => r.account,
        (r) => r.lead,
        (r) => r.order,
      ),
    )
    .map(({ order: _order, ...r }) => r);

  // ── Pools ──
  const pools: TracePool[] = [];
  const ledger: TraceLedgerEntry[] = [];
  if (run.poolId) {
    const [pool] = await db.select().from(creditPool).where(eq(creditPool.id, run.poolId));
    const opening = await db
      .select({ amount: creditLedger.amount })
      .from(creditLedger)
      .where(and(eq(creditLedger.poolId, run.poolId), eq(creditLedger.note, "opening balance")));
    if (pool) {
      pools.push({
        id: SIMULATION_POOL_ID,
        plan: pool.plan,
        allowance: pool.allowance,
        cap: pool.cap,
        renewalDay: pool.renewalDay,
        openingBalance: opening.reduce((sum, entry) => sum + entry.amount, 0),
        balance: pool.balance,
        refundPolicy: tracePolicy(pool.refundPolicy),
        accounts: spec.accounts.map((a) => a.id),
      });
    }
    const entries = await db
      .select()
      .from(creditLedger)
      .where(eq(creditLedger.poolId, run.poolId))
      .orderBy(asc(creditLedger.at), asc(creditLedger.id));
    for (const entry of entries) {
      ledger.push({
        at: iso(entry.at),
        pool: SIMULATION_POOL_ID,
        type: entry.type as TraceLedgerEntry["type"],
        amount: entry.amount,
        campaign: entry.campaignId ? "campaign" : null,
        node: entry.nodeId,
        branch: entry.branch,
        lead: entry.leadId ? who(entry.leadId) : null,
      });
    }
  }

  return {
    version: TRACE_VERSION,
    run: {
      seed: spec.seed,
      start: iso(spec.start),
      end: iso(run.end),
      days: spec.days,
      leads: spec.leads.length,
      template: options.template ?? null,
      stopOnReply: spec.stopOnReply ?? true,
    },
    graph,
    accounts: spec.accounts.map((account) => {
      const pacing = PacingSettingsSchema.parse(account.pacing);
      return {
        id: account.id,
        timeZone: pacing.timeZone,
        workingHours: {
          days: [...pacing.workingHours.days],
          start: pacing.workingHours.start,
          end: pacing.workingHours.end,
        },
        warmupStart: pacing.warmup.startDate,
        pool: run.poolId ? SIMULATION_POOL_ID : null,
      };
    }),
    pools,
    ledger,
    enrollments,
    actions,
    events,
    received,
    caps: capsByDay(spec),
  };
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

function tracePolicy(value: unknown): TracePool["refundPolicy"] {
  const parsed = RefundPolicySchema.safeParse(value);
  if (!parsed.success || parsed.data.type === "none") {
    return { type: "none", windowDays: null, delayDays: null };
  }
  return { type: "on_reply", windowDays: parsed.data.windowDays, delayDays: parsed.data.delayDays };
}
