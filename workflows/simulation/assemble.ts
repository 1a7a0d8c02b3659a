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
import { type PacingSettingsInput, PacingSettingsSchema } from "../engine/pacing/settings";
import { DEFAULT_WEIGHT, queuedPlace, sendsAhead } from "../engine/priority";
import { readSeatMoveNote } from "../engine/rotation";
import { waitingReason, waitingStepOf } from "../engine/waiting-reason";
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
  type TraceWaiting,
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

/** One of several campaigns a simulation runs on the same seats (a file's `campaigns`). */
export interface SimulationCampaign {
  /** Names it in the trace. */
  id: string;
  template: string | null;
  graph: unknown;
  leads: SimulationLead[];
  /** When it is launched (its leads enrolled). */
  start: Date;
  weight: number;
  /** The accounts (as the spec names them) it sends from; null: every account. */
  seats: string[] | null;
  stopOnReply: boolean;
  budgets?: unknown;
}

/** A seat's or a campaign's status set at a virtual time (a file's `script`). */
export type SimulationChange =
  | { at: Date; account: string; status: "paused" | "restricted" | "active" }
  | { at: Date; campaign: string; status: "paused" | "running" };

/** The name the trace gives the campaign of a one-campaign run. */
export const SINGLE_CAMPAIGN_ID = "campaign";

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
  /**
   * Several campaigns sharing the accounts and the pool; absent: one campaign of `graph` and
   * `leads`, launched at `start`.
   */
  campaigns?: SimulationCampaign[];
  /** Seat and campaign statuses set at given times, in order. */
  script?: SimulationChange[];
}

/** The campaigns a spec runs: its `campaigns`, or the one its graph and leads make. */
export function campaignsOf(spec: SimulationSpec): SimulationCampaign[] {
  if (spec.campaigns) return spec.campaigns;
  return [
    {
      id: SINGLE_CAMPAIGN_ID,
      template: null,
      graph: spec.graph,
      leads: spec.leads,
      start: spec.start,
      weight: DEFAULT_WEIGHT,
      seats: null,
      stopOnReply: spec.stopOnReply ?? true,
      ...(spec.budgets === undefined ? {} : { budgets: spec.budgets }),
    },
  ];
}

/** What happens during a run at a given time: a campaign launched or a status scripted. */
export type Happening =
  | { at: Date; launch: SimulationCampaign }
  | { at: Date; change: SimulationChange };

/**
 * The spec's launches and scripted changes by time (a launch before a change at the same
 * instant, then in the file's order): what a runner applies as its clock reaches each.
 */
export function happeningsOf(spec: SimulationSpec): Happening[] {
  const launches: Happening[] = campaignsOf(spec).map((launch) => ({ at: launch.start, launch }));
  const changes: Happening[] = (spec.script ?? []).map((change) => ({ at: change.at, change }));
  return [...launches, ...changes]
    .map((happening, order) => ({ happening, order }))
    .sort((a, b) => a.happening.at.getTime() - b.happening.at.getTime() || a.order - b.order)
    .map(({ happening }) => happening);
}

/** The accounts (as the spec names them) a campaign sends from. */
export function seatsOf(spec: SimulationSpec, campaign: SimulationCampaign): string[] {
  return campaign.seats ?? spec.accounts.map((account) => account.id);
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
  /** The store's campaign ids → the names the spec gave them, with the graph each ran. */
  campaigns: Array<{ storeId: string; id: string; graph: unknown; status: string }>;
  /** Each account's state at the end of the run (by store id). */
  seats: Array<{
    accountId: string;
    status: string;
    coolingUntil: Date | null;
    nextFreeAt: Date | null;
  }>;
  /** What each account used on its local day at the end of the run, per kind. */
  usedAtEnd: Array<{ accountId: string; kind: string; used: number }>;
  enrollments: Array<{
    id: string;
    campaignId: string;
    leadId: string;
    accountId: string;
    stepSeq: number;
    stepState: unknown;
    queueKey: string;
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
    campaignId: string | null;
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
    nextRenewalAt: Date | null;
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

function asKind(kind: string): TraceAction["kind"] {
  if (kind === "withdraw" || isActionKind(kind)) return kind;
  return "message";
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

  const campaignName = new Map(rows.campaigns.map((c) => [c.storeId, c.id]));
  const campaignOf = (campaignId: string | null) =>
    (campaignId && campaignName.get(campaignId)) || null;
  const waiting = waitingAtEnd(rows);
  const enrollments = rows.enrollments
    .map((e) => ({
      campaign: campaignOf(e.campaignId) ?? "",
      lead: who(e.leadId),
      account: name(e.accountId),
      state: e.state,
      outcome: e.outcome,
      reason: e.reason,
      node: e.nodeId,
      branch: e.branch,
      finishedAt: e.state === "active" ? null : iso(e.updatedAt),
      nextRunAt: e.state === "active" ? iso(e.nextRunAt) : null,
      waiting: waiting.get(e.id) ?? null,
    }))
    .sort(
      byFields(
        (e) => e.lead,
        (e) => e.campaign,
      ),
    );

  const rowsWithOrder: Array<{ order: string; entry: TraceAction }> = rows.actions.map((a) => ({
    order: keyOrder(a.idempotencyKey),
    entry: {
      at: iso(a.createdAt),
      campaign: campaignOf(a.campaignId),
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
        campaign: campaignOf(a.campaignId),
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
        campaign: campaignOf(owner.campaignId),
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
        (r) => r.entry.campaign ?? "",
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
        campaign: campaignOf(entry.campaignId),
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
    campaigns: campaignsOf(spec).map((campaign) => {
      const stored = rows.campaigns.find((c) => c.id === campaign.id);
      return {
        id: campaign.id,
        template: campaign.template ?? (spec.campaigns ? null : rows.template),
        graph: stored?.graph ?? campaign.graph,
        leads: campaign.leads.length,
        start: iso(campaign.start),
        weight: campaign.weight,
        seats: seatsOf(spec, campaign),
        status: stored?.status ?? "not launched",
      };
    }),
    script: (spec.script ?? []).map((change) =>
      "account" in change
        ? { at: iso(change.at), account: change.account, status: change.status }
        : { at: iso(change.at), campaign: change.campaign, status: change.status },
    ),
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

/**
 * Why each lead still active at the end of the run waits (workflows/engine/waiting-reason.ts),
 * from the same facts the lead's page reads: its step, its seat's state and today's usage, the
 * pool, and the sends ahead of it on the seat.
 */
function waitingAtEnd(rows: TraceRows): Map<string, TraceWaiting> {
  const now = rows.end;
  const reasons = new Map<string, TraceWaiting>();
  const pacingOf = new Map(
    rows.spec.accounts.map((a) => [
      rows.accountIds.get(a.id) ?? a.id,
      { name: a.id, pacing: PacingSettingsSchema.parse(a.pacing) },
    ]),
  );
  const seatOf = new Map(rows.seats.map((seat) => [seat.accountId, seat]));
  const used = new Map(rows.usedAtEnd.map((u) => [`${u.accountId}|${u.kind}`, u.used]));
  const running = new Set(
    rows.campaigns.filter((c) => c.status === "running").map((c) => c.storeId),
  );
  const paused = new Set(rows.campaigns.filter((c) => c.status === "paused").map((c) => c.storeId));
  const graphOf = new Map(rows.campaigns.map((c) => [c.storeId, c.graph]));
  const active = rows.enrollments.filter((e) => e.state === "active");
  const placeOf = (e: (typeof active)[number]) =>
    queuedPlace(e.stepState as Parameters<typeof queuedPlace>[0], e.stepSeq);
  const queued = active.flatMap((e) => {
    const place = placeOf(e);
    return place && running.has(e.campaignId)
      ? [{ id: e.id, accountId: e.accountId, queueKey: e.queueKey, ...place }]
      : [];
  });
  const dueUnqueued = active.filter(
    (e) => e.nextRunAt.getTime() <= now.getTime() && placeOf(e) === null,
  );
  for (const e of active) {
    const seat = pacingOf.get(e.accountId);
    const state = seatOf.get(e.accountId);
    if (!seat || !state) continue;
    const nodes = (graphOf.get(e.campaignId) as { nodes?: Array<{ id: string; kind: string }> })
      ?.nodes;
    const kind = nodes?.find((n) => n.id === e.nodeId)?.kind ?? "";
    const caps = capsInForce(seat.pacing, localDate(now, seat.pacing.timeZone));
    const queuedAhead = placeOf(e)
      ? (sendsAhead(
          queued.filter((q) => q.accountId === e.accountId),
          e.id,
        ) ?? 0)
      : e.nextRunAt.getTime() <= now.getTime()
        ? dueUnqueued.filter(
            (o) =>
              o.accountId === e.accountId &&
              o.id !== e.id &&
              (o.nextRunAt.getTime() - e.nextRunAt.getTime() || compare(o.queueKey, e.queueKey)) <
                0,
          ).length
        : 0;
    const reason = waitingReason({
      now,
      step: waitingStepOf(kind),
      nextRunAt: e.nextRunAt,
      seat: {
        name: seat.name,
        status: state.status,
        coolingUntil: state.coolingUntil,
        nextFreeAt: state.nextFreeAt,
        hours: seat.pacing,
        cap: isActionKind(kind)
          ? { used: used.get(`${e.accountId}|${kind}`) ?? 0, limit: caps[kind] }
          : null,
        queuedAhead,
        pendingInvitations: null,
      },
      pool: rows.pool
        ? { balance: rows.pool.balance, nextRenewalAt: rows.pool.nextRenewalAt }
        : null,
      budgetReached: false,
      campaignPaused: paused.has(e.campaignId),
    });
    reasons.set(e.id, {
      code: reason.code,
      text: reason.text,
      until: reason.until ? iso(reason.until) : null,
    });
  }
  return reasons;
}
