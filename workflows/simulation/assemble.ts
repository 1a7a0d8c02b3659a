/**
 * A simulated run's trace from the rows it left behind, whichever store kept them (the
 * database in db/engine/trace.ts, memory in memory-run.ts): both give the same rows, so both
 * give the same trace. Nothing here depends on ids or insertion order.
 */

import type { PlanId } from "../credits/index";
import type { RefundPolicy } from "../credits/refunds";
import { RefundPolicySchema } from "../credits/refunds";
import { capsInForce } from "../engine/pacing/caps";
import { addLocalDays, localDate } from "../engine/pacing/local-time";
import {
  type ActionKind,
  type PacingSettingsInput,
  PacingSettingsSchema,
} from "../engine/pacing/settings";
import { readSeatMoveNote } from "../engine/rotation";
import { isActionKind } from "../nodes/catalog";
import type { SandboxReceived, SandboxWorldSettingsInput } from "../providers/sandbox/index";
import {
  type SimulationTrace,
  TRACE_VERSION,
  type TraceAction,
  type TraceActionOutcome,
  type TraceEvent,
  type TraceLedgerEntry,
  type TraceMove,
  type TracePool,
} from "./trace";

/** The name the trace gives the simulation's single pool. */
export const SIMULATION_POOL_ID = "pool";

export interface SimulationAccount {
  id: string;
  pacing: PacingSettingsInput;
  /**
   * What the seat already used on the local day the run starts, per action kind and "total"
   * (a forecast of a running campaign starts from today's counters).
   */
  usedToday?: Record<string, number>;
}

/** A credit pool every account of the simulation draws its InMail credits from. */
export interface SimulationPool {
  plan: PlanId;
  balance: number;
  /** Day of the month credits renew; 1 when absent. */
  renewalDay?: number;
  /** The plan's default when absent. */
  refundPolicy?: RefundPolicy;
  /** A team or custom plan's own numbers. */
  allowance?: number;
  cap?: number;
}

export interface SimulationLead {
  publicIdentifier: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  title?: string;
  custom?: Record<string, string>;
}

export interface SimulationSpec {
  graph: unknown;
  accounts: SimulationAccount[];
  /** Without a pool, InMails charge no pool and count no credits (the sandbox seat's own
   * balance still applies). */
  pool?: SimulationPool | null;
  leads: SimulationLead[];
  seed: string;
  start: Date;
  days: number;
  sandbox?: SandboxWorldSettingsInput;
  stopOnReply?: boolean;
  /** The campaign's InMail credit budgets (`CampaignBudgets`), if any. */
  budgets?: unknown;
}

/** The caps in force for each account on each local day of the run. */
export function capsByDay(spec: SimulationSpec) {
  const rows: Array<{ account: string; date: string; kind: string; limit: number }> = [];
  for (const account of spec.accounts) {
    const pacing = PacingSettingsSchema.parse(account.pacing);
    const first = localDate(spec.start, pacing.timeZone);
    for (let day = 0; day <= spec.days; day++) {
      const date = addLocalDays(first, day);
      for (const [kind, limit] of Object.entries(capsInForce(pacing, date))) {
        rows.push({ account: account.id, date, kind, limit });
      }
    }
  }
  return rows;
}

/** The rows a finished run left, as any store keeps them. */
export interface TraceRows {
  spec: SimulationSpec;
  end: Date;
  template: string | null;
  /** Account names as the spec gave them → the store's ids. */
  accountIds: Map<string, string>;
  leads: Array<{ id: string; publicIdentifier: string }>;
  /** The graph the campaign ran (as published). */
  graph: unknown;
  enrollments: Array<{
    id: string;
    leadId: string;
    accountId: string;
    state: string;
    outcome: string | null;
    reason: string | null;
    nodeId: string;
    branch: string;
    updatedAt: Date;
    nextRunAt: Date;
  }>;
  actions: Array<{
    idempotencyKey: string;
    enrollmentId: string;
    createdAt: Date;
    accountId: string;
    leadId: string;
    nodeId: string;
    kind: string;
    branch: string;
    variant: string | null;
    status: string;
    reason: string | null;
    credits: number;
    /** An invitation's withdrawal (intent, withdrawn, refused) and when it was asked for. */
    withdrawal?: string | null;
    withdrawalAt?: Date | null;
  }>;
  /** History lines of the campaign's enrollments. */
  steps: Array<{
    enrollmentId: string;
    at: Date;
    nodeId: string;
    branch: string;
    note: string | null;
  }>;
  /** Acceptances and replies. */
  events: Array<{
    occurredAt: Date;
    accountId: string | null;
    leadId: string | null;
    type: string;
  }>;
  received: SandboxReceived[];
  pool: {
    plan: string;
    allowance: number;
    cap: number;
    renewalDay: number;
    balance: number;
    refundPolicy: unknown;
    openingBalance: number;
    /** By time, then by the order they were written. */
    ledger: Array<{
      at: Date;
      type: string;
      amount: number;
      campaignId: string | null;
      nodeId: string | null;
      branch: string | null;
      leadId: string | null;
    }>;
  } | null;
}

const iso = (at: Date) => at.toISOString();

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders by the listed fields; the trace must not depend on store ids or insertion order. */
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
  return isActionKind(kind) ? kind : "message";
}

/** The step number and attempt of an idempotency key (`<enrollment>:<step>:<attempt>`). */
function keyOrder(key: string): string {
  return key
    .split(":")
    .slice(1)
    .map((part) => part.padStart(6, "0"))
    .join(":");
}

function tracePolicy(value: unknown): TracePool["refundPolicy"] {
  const parsed = RefundPolicySchema.safeParse(value);
  if (!parsed.success || parsed.data.type === "none") {
    return { type: "none", windowDays: null, delayDays: null };
  }
  return { type: "on_reply", windowDays: parsed.data.windowDays, delayDays: parsed.data.delayDays };
}

/** Builds the trace of a finished run (see `SimulationTrace` for the format). */
export function assembleTrace(rows: TraceRows): SimulationTrace {
  const { spec } = rows;
  const accountName = new Map([...rows.accountIds].map(([name, id]) => [id, name]));
  const name = (accountId: string | null) => (accountId && accountName.get(accountId)) || "";
  const identifier = new Map(rows.leads.map((l) => [l.id, l.publicIdentifier]));
  const who = (leadId: string | null) => (leadId && identifier.get(leadId)) || "";
  const graph = rows.graph ?? spec.graph;
  const nodeKind = new Map(
    ((graph as { nodes?: Array<{ id: string; kind: string }> }).nodes ?? []).map((n) => [
      n.id,
      n.kind,
    ]),
  );

  const enrollments = rows.enrollments
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

  const rowsWithOrder: Array<{ order: string; entry: TraceAction }> = rows.actions.map((a) => ({
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
  // A withdrawn invitation is an action of its own, at the time the seat withdrew it.
  for (const a of rows.actions) {
    if (a.withdrawal !== "withdrawn" || !a.withdrawalAt) continue;
    rowsWithOrder.push({
      order: `${keyOrder(a.idempotencyKey)}:withdraw`,
      entry: {
        at: iso(a.withdrawalAt),
        account: name(a.accountId),
        lead: who(a.leadId),
        node: a.nodeId,
        kind: "withdraw",
        branch: a.branch,
        variant: null,
        outcome: "sent",
        reason: null,
        credits: 0,
      },
    });
  }
  // The engine writes no action row when the pool refuses an InMail (nothing was attempted on
  // LinkedIn); the lead's history records it as "not sent: …". Those count as not-sent actions.
  const enrollmentById = new Map(rows.enrollments.map((e) => [e.id, e]));
  const attempted = new Set(
    rows.actions.map((a) => `${a.enrollmentId}|${a.nodeId}|${a.createdAt.getTime()}`),
  );
  for (const step of rows.steps) {
    if (!step.note?.startsWith("not sent: ") || nodeKind.get(step.nodeId) !== "inmail") continue;
    if (attempted.has(`${step.enrollmentId}|${step.nodeId}|${step.at.getTime()}`)) continue;
    const owner = enrollmentById.get(step.enrollmentId);
    if (!owner) continue;
    rowsWithOrder.push({
      order: "",
      entry: {
        at: iso(step.at),
        account: name(owner.accountId),
        lead: who(owner.leadId),
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

  const events: TraceEvent[] = rows.events
    .filter((e) => e.type === "accepted" || e.type === "replied")
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

  const nodeOfKey = new Map(rows.actions.map((a) => [a.idempotencyKey, a.nodeId]));
  const accounts = new Set(rows.accountIds.keys());
  const received = rows.received
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

  // Seat rotation's moves, read back from the leads' history (seats are named as in the file).
  const seatNames = [...rows.accountIds.keys()];
  const moves: TraceMove[] = [];
  for (const step of rows.steps) {
    const move = readSeatMoveNote(step.note, seatNames);
    const owner = enrollmentById.get(step.enrollmentId);
    if (move && owner) moves.push({ at: iso(step.at), lead: who(owner.leadId), ...move });
  }
  moves.sort(
    byFields(
      (m) => m.at,
      (m) => m.lead,
    ),
  );

  const pools: TracePool[] = [];
  const ledger: TraceLedgerEntry[] = [];
  if (rows.pool) {
    const pool = rows.pool;
    pools.push({
      id: SIMULATION_POOL_ID,
      plan: pool.plan,
      allowance: pool.allowance,
      cap: pool.cap,
      renewalDay: pool.renewalDay,
      openingBalance: pool.openingBalance,
      balance: pool.balance,
      refundPolicy: tracePolicy(pool.refundPolicy),
      accounts: spec.accounts.map((a) => a.id),
    });
    for (const entry of pool.ledger) {
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
      end: iso(rows.end),
      days: spec.days,
      leads: spec.leads.length,
      template: rows.template,
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
        pool: rows.pool ? SIMULATION_POOL_ID : null,
      };
    }),
    pools,
    ledger,
    enrollments,
    actions,
    events,
    received,
    caps: capsByDay(spec),
    moves,
  };
}
