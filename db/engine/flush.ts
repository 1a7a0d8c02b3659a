/**
 * A flush: every write and reservation a claimed batch made since the last one, in one
 * transaction and a fixed number of statements whatever the batch size (set-based, with the
 * rows passed as one JSON parameter each). The order inside is fixed: the accounts involved are
 * locked first (in id order, so two workers never wait on each other in a circle), then account
 * changes, completions, enrollment moves, and the reservations, decided one after another in
 * memory against what the locked rows say and what the reservations before them took.
 */

import "server-only";

import { randomUUID } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { rollingWindowDates } from "@/workflows/engine/pacing/caps";
import {
  eventsKey,
  type FlushRequest,
  type FlushResult,
  type ReserveRequest,
  type ReserveResult,
  type StepState,
  type StoredEvent,
  type StoreOp,
  type StoreOpResult,
} from "@/workflows/engine/ports";
import { type QueueTags, tagsOfQueue, takeQueueTag } from "@/workflows/engine/priority";
import {
  type BudgetUse,
  decideReservation,
  type ReservationAccount,
  type ReservationState,
} from "@/workflows/engine/reserve";
import { type Database, inList, json, queryRows, type Transaction } from "../client";
import { creditsUsedSql } from "../queries/credits";
import { lockFinishingCampaigns, recordFinishedCampaigns } from "../webhooks/campaign-finished";
import { outboxCtes } from "../webhooks/outbox";
import { holdCampaignStep } from "./alerts";
import { pendingInvitationCounts } from "./invitations";
import { queuedRow } from "./queue";

/** A flush that lost a deadlock or a serialization race is tried again this many times. */
const RETRIES = 3;

export async function flushOps(db: Database, request: FlushRequest): Promise<FlushResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction((tx) => applyOps(tx, request));
    } catch (error) {
      // Rolled back whole: deciding again from scratch is safe.
      if (attempt < RETRIES && isRetryable(error)) continue;
      throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; ) {
    if (e.code === "40P01" || e.code === "40001") return true;
    e = e.cause as typeof e;
  }
  return false;
}

interface AccountState extends ReservationAccount {
  id: string;
}

interface Counter {
  used: number;
  booked: number;
  /** The row exists (a delta on a missing row never goes below zero). */
  exists: boolean;
}

async function applyOps(tx: Transaction, request: FlushRequest): Promise<FlushResult> {
  const { ops, owner } = request;
  const results: StoreOpResult[] = ops.map(() => ({ type: "done" }));

  await applyAccountChanges(tx, ops);
  const completed = await applyCompletions(tx, ops);
  const unbooked = await applyEnrollmentWrites(tx, owner, ops, results);

  const reservations = ops.flatMap((op, index) =>
    op.type === "reserve" ? [{ index, request: op.request }] : [],
  );
  const pairs = new Map<string, { accountId: string; leadId: string }>();
  for (const pair of request.events) pairs.set(eventsKey(pair.accountId, pair.leadId), pair);
  for (const { request: r } of reservations) {
    const pair = { accountId: r.context.account.id, leadId: r.context.lead.id };
    pairs.set(eventsKey(pair.accountId, pair.leadId), pair);
  }
  const counterMoves = [
    ...completed.released.map((r) => ({ ...r, used: -r.n, booked: 0 })),
    ...unbooked.map((u) => ({ ...u, used: 0, booked: -u.n })),
  ];
  const read = await readState(tx, {
    owner,
    reservations: reservations.map((r) => r.request),
    counterMoves,
    givenBack: completed.givenBack,
    pairs: [...pairs.values()],
  });
  const events = new Map<string, StoredEvent[]>();
  for (const key of pairs.keys()) events.set(key, []);
  for (const event of read.events) {
    events.get(eventsKey(event.account_id, event.lead_id))?.push({
      type: event.type,
      occurredAt: new Date(event.occurred_at),
      chatId: event.chat_id,
    });
  }

  const work = new CounterWork(tx, read);
  for (const move of counterMoves) {
    work.add(move.account_id, move.local_date, move.kind, move.used, move.booked);
  }
  work.giveBack(completed.givenBack);
  for (const { index, request: r } of reservations) {
    const seen = events.get(eventsKey(r.context.account.id, r.context.lead.id))?.length ?? 0;
    results[index] = await work.decide(r, seen);
  }
  await work.write();
  return { results, events };
}

/**
 * Profiles, cool-downs and pauses, in the order the steps asked for them. The accounts are
 * locked first, in id order, like every flush that touches them.
 */
async function applyAccountChanges(tx: Transaction, ops: StoreOp[]) {
  const accountIds = new Set<string>();
  for (const op of ops) {
    if (op.type === "cool_down" || op.type === "pause") accountIds.add(op.accountId);
  }
  if (accountIds.size > 0) {
    await tx.execute(
      sql`select id from sender_account where id in ${inList(accountIds)} order by id for update`,
    );
  }
  for (const op of ops) {
    if (op.type === "lead_profile") {
      await tx.execute(
        sql`update lead set profile = ${json(op.profile)}, provider_id = ${op.profile.providerId}
             where id = ${op.leadId}`,
      );
    } else if (op.type === "cool_down") {
      await tx.execute(
        sql`update sender_account
               set status = 'cooling_down', cooling_until = ${op.until.toISOString()},
                   status_reason = ${op.reason}
             where id = ${op.accountId} and status in ('active', 'cooling_down')`,
      );
    } else if (op.type === "hold_step") {
      await holdCampaignStep(tx, op.hold);
    } else if (op.type === "pause") {
      // A falling safety score only pauses a running account; a restriction or a lost
      // connection stops it whatever it was doing.
      const onlyRunning = op.status === "paused";
      const type = op.status === "needs_reconnect" ? "account.needs_reconnect" : "account.paused";
      await tx.execute(
        sql`with changed as (
              update sender_account
                 set status = ${op.status}, status_reason = ${op.reason}, cooling_until = null,
                     paused_at = case when ${op.status} = 'paused'
                                      then coalesce(${op.at?.toISOString() ?? null}::timestamptz, now())
                                      else paused_at end
               where id = ${op.accountId} and status <> ${op.status}
                 and (not ${onlyRunning}::boolean or status in ('active', 'cooling_down'))
              returning id, workspace_id, name, status, status_reason
            ), ${outboxCtes(
              sql`select workspace_id, ${type}::text as type,
                         jsonb_build_object('accountId', id, 'accountName', name,
                           'status', status, 'reason', status_reason) as payload,
                         now() as occurred_at
                    from changed`,
            )}
            select 1`,
      );
    }
  }
}

interface Released {
  account_id: string;
  local_date: string;
  kind: string;
  n: number;
}

/** A credit reserved for a send that did not use it: back to the pool, with its ledger line. */
interface GivenBack {
  pool_id: string;
  amount: number;
  workspace_id: string;
  at: string;
  campaign_id: string;
  node_id: string;
  branch: string;
  enrollment_id: string;
  lead_id: string;
  variant: string | null;
  action_id: string;
  note: string;
}

/**
 * Marks actions done (only those still intents: an earlier run may have done one). What goes
 * back — the cap slot of an action that did not reach LinkedIn, the part of a credit not used —
 * is returned, to be written with the counters and pools under their accounts' locks.
 */
async function applyCompletions(
  tx: Transaction,
  ops: StoreOp[],
): Promise<{ released: Released[]; givenBack: GivenBack[] }> {
  const rows = ops.flatMap((op) =>
    op.type === "complete"
      ? [
          {
            action_id: op.actionId,
            status: op.completion.status,
            reason: op.completion.reason ?? null,
            reference: op.completion.reference ?? null,
            chat_id: op.completion.chatId ?? null,
            error: op.completion.error ?? null,
            at: op.completion.at.toISOString(),
            used: op.completion.creditsUsed,
            release: op.completion.releaseSlot,
          },
        ]
      : [],
  );
  if (rows.length === 0) return { released: [], givenBack: [] };
  const [row] = await queryRows<{ released: Released[] | null; given_back: GivenBack[] | null }>(
    tx,
    sql`with c as (
          select * from jsonb_to_recordset(${json(rows)}) as c(action_id text, status text,
            reason text, reference text, chat_id text, error text, at timestamptz, used int,
            release boolean)
        ), old as (
          select a.id, a.workspace_id, a.credits, a.account_id, a.local_date, a.kind,
                 a.campaign_id, a.node_id, a.branch, a.enrollment_id, a.lead_id, a.variant,
                 c.status as new_status, c.at, c.used, c.release
            from action a join c on c.action_id = a.id
           where a.status = 'intent'
             for update of a
        ), done as (
          update action a
             set status = c.status, reason = c.reason, reference = c.reference,
                 chat_id = c.chat_id, error = c.error,
                 sent_at = case when c.status = 'sent' then c.at end, credits = c.used
            from c, old where a.id = c.action_id and old.id = a.id
        ), released as (
          select account_id, local_date::text as local_date, k.kind, count(*)::int as n
            from old cross join lateral (values (old.kind), ('total')) as k(kind)
           where old.release
           group by account_id, local_date, k.kind
        ), given_back as (
          select l.pool_id, l.amount - old.used as amount, old.workspace_id, old.at,
                 old.campaign_id, old.node_id, old.branch, old.enrollment_id, old.lead_id,
                 old.variant, old.id as action_id,
                 case when old.new_status = 'sent' then 'free InMail (open profile)'
                      else 'reservation released' end as note
            from old join credit_ledger l on l.action_id = old.id and l.type = 'spend'
           where old.credits > old.used and l.amount > old.used
        ), ${outboxCtes(
          sql`select old.workspace_id,
                     case when old.new_status = 'sent' then 'action.sent' else 'action.failed' end as type,
                     jsonb_build_object('actionId', old.id, 'kind', old.kind,
                       'campaignId', old.campaign_id, 'leadId', old.lead_id,
                       'publicIdentifier', (select public_identifier from lead where id = old.lead_id),
                       'accountId', old.account_id, 'stepId', old.node_id, 'branch', old.branch,
                       'variant', old.variant, 'credits', old.used) as payload,
                     old.at as occurred_at
                from old where old.new_status in ('sent', 'failed')`,
        )}
        select (select json_agg(released) from released) as released,
               (select json_agg(given_back) from given_back) as given_back`,
  );
  return { released: row?.released ?? [], givenBack: row?.given_back ?? [] };
}

/**
 * Each enrollment's moves and its last sleep folded into one row: where it ends up, its history
 * lines, and whether it lets go of its lease. Only the lease holder writes; a lead leaving a
 * step gives back the place a full cap had promised it there.
 */
async function applyEnrollmentWrites(
  tx: Transaction,
  owner: string,
  ops: StoreOp[],
  results: StoreOpResult[],
): Promise<Released[]> {
  interface Row {
    id: string;
    moved: boolean;
    node_id: string | null;
    step_seq: number | null;
    branch: string | null;
    state: string | null;
    outcome: string | null;
    reason: string | null;
    step_state: StepState | null;
    next_run_at: string;
    updated_at: string | null;
    release: boolean;
    history: unknown[];
  }
  const rows = new Map<string, Row>();
  const opsOf = new Map<string, number[]>();
  ops.forEach((op, index) => {
    if (op.type !== "move" && op.type !== "reschedule") return;
    let row = rows.get(op.enrollmentId);
    if (!row) {
      row = {
        id: op.enrollmentId,
        moved: false,
        node_id: null,
        step_seq: null,
        branch: null,
        state: null,
        outcome: null,
        reason: null,
        step_state: null,
        next_run_at: "",
        updated_at: null,
        release: false,
        history: [],
      };
      rows.set(op.enrollmentId, row);
    }
    opsOf.set(op.enrollmentId, [...(opsOf.get(op.enrollmentId) ?? []), index]);
    if (op.type === "move") {
      const change = op.change;
      const at = change.nextRunAt.toISOString();
      Object.assign(row, {
        moved: true,
        node_id: change.nodeId,
        step_seq: change.stepSeq,
        branch: change.branch,
        state: change.state,
        outcome: change.outcome ?? null,
        reason: change.reason ?? null,
        step_state: change.stepState,
        next_run_at: at,
        updated_at: at,
        // A finished lead holds no lease; a moving one keeps it.
        release: change.state !== "active",
      });
      for (const entry of change.history) {
        row.history.push({
          at: entry.at.toISOString(),
          node_id: entry.nodeId,
          exit: entry.exit,
          to_node_id: entry.toNodeId,
          branch: entry.branch,
          note: entry.note ?? null,
        });
      }
    } else {
      row.step_state = op.stepState;
      row.next_run_at = op.nextRunAt.toISOString();
      row.release = true;
    }
  });
  if (rows.size === 0) return [];
  const finishing = [...rows.values()].filter((row) => row.moved && row.state !== "active");
  // Whether a campaign's last lead finished is read after the statement below, as removals by
  // hand read it (db/webhooks/campaign-finished.ts): under the campaign's lock, so two flushes
  // taking its last leads out take turns and the second sees the first's lead gone.
  if (finishing.length > 0) {
    await lockFinishingCampaigns(
      tx,
      sql`select jsonb_array_elements_text(${json(finishing.map((row) => row.id))})`,
    );
  }
  const [out] = await queryRows<{ written: string[] | null; unbooked: Released[] | null }>(
    tx,
    sql`with w as (
          select * from jsonb_to_recordset(${json([...rows.values()])}) as w(id text,
            moved boolean, node_id text, step_seq int, branch text, state text, outcome text,
            reason text, step_state jsonb, next_run_at timestamptz, updated_at timestamptz,
            release boolean, history jsonb)
        ), old as (
          select e.id, e.account_id, w.moved, e.state as prior_state,
                 e.step_state->>'bookedDate' as booked_date,
                 e.step_state->>'bookedKind' as booked_kind
            from enrollment e join w on w.id = e.id
           where e.lease_owner = ${owner}
             for update of e
        ), unbooked as (
          select account_id, booked_date as local_date, k.kind, count(*)::int as n
            from old cross join lateral (values (coalesce(old.booked_kind, '')), ('total')) as k(kind)
           where old.moved and old.booked_date is not null
           group by account_id, booked_date, k.kind
        ), written as (
          update enrollment e
             set node_id = case when w.moved then w.node_id else e.node_id end,
                 step_seq = case when w.moved then w.step_seq else e.step_seq end,
                 branch = case when w.moved then w.branch else e.branch end,
                 state = case when w.moved then w.state else e.state end,
                 outcome = case when w.moved then w.outcome else e.outcome end,
                 reason = case when w.moved then w.reason else e.reason end,
                 step_state = w.step_state, next_run_at = w.next_run_at,
                 updated_at = coalesce(w.updated_at, e.updated_at),
                 lease_owner = case when w.release then null else e.lease_owner end,
                 lease_expires_at = case when w.release then null else e.lease_expires_at end
            from w, old
           where e.id = w.id and old.id = w.id
          returning e.id, e.workspace_id, e.campaign_id, e.lead_id, e.state, e.outcome,
                    e.reason, e.updated_at
        ), ${outboxCtes(
          sql`select written.workspace_id, 'lead.finished' as type,
                     jsonb_build_object('campaignId', written.campaign_id,
                       'leadId', written.lead_id,
                       'publicIdentifier', (select public_identifier from lead where id = written.lead_id),
                       'state', written.state, 'outcome', written.outcome,
                       'reason', written.reason) as payload,
                     coalesce(written.updated_at, now()) as occurred_at
                from written join old on old.id = written.id
               where old.prior_state = 'active' and written.state in ('done', 'failed')`,
        )}, lines as (
          insert into enrollment_step
            (workspace_id, enrollment_id, at, node_id, exit, to_node_id, branch, note)
          select written.workspace_id, written.id, h.at, h.node_id, h.exit, h.to_node_id,
                 h.branch, h.note
            from written join w on w.id = written.id
           cross join lateral rows from (jsonb_to_recordset(w.history) as (at timestamptz,
                node_id text, exit text, to_node_id text, branch text, note text))
                with ordinality as h(at, node_id, exit, to_node_id, branch, note, n)
           order by written.id, h.n
        )
        select (select json_agg(id) from written) as written,
               (select json_agg(unbooked) from unbooked) as unbooked`,
  );
  const held = new Set(out?.written ?? []);
  const finished = finishing.filter((row) => held.has(row.id)).map((row) => row.id);
  if (finished.length > 0) {
    await recordFinishedCampaigns(
      tx,
      sql`select e.campaign_id from enrollment e
           where e.id in (select jsonb_array_elements_text(${json(finished)}))`,
    );
  }
  for (const [enrollmentId, indexes] of opsOf) {
    for (const index of indexes) {
      results[index] = { type: "written", held: held.has(enrollmentId) };
    }
  }
  // A lead leaving a step gives back the place a full cap had promised it there.
  return out?.unbooked ?? [];
}

interface ReadState {
  held: Set<string>;
  accounts: Map<string, AccountState>;
  pools: Map<string, number>;
  counters: Map<string, Counter>;
  events: Array<{
    account_id: string;
    lead_id: string;
    type: StoredEvent["type"];
    occurred_at: string;
    chat_id: string | null;
  }>;
}

const counterKey = (accountId: string, date: string, kind: string) =>
  `${accountId}|${date}|${kind}`;

/**
 * One statement: the accounts whose counters or timelines this flush moves (locked, in id
 * order), the credit pools it draws on or gives back to (locked after them), the reserving
 * enrollments still leased to this worker (locked), the usage counters of those accounts
 * (from the first date asked about on), and the events of every lead asked about. The
 * accounts are locked only now, after the completions and moves, so that workers wait on
 * each other only for the reservations.
 */
async function readState(
  tx: Transaction,
  input: {
    owner: string;
    reservations: ReserveRequest[];
    counterMoves: Array<{ account_id: string; local_date: string }>;
    givenBack: GivenBack[];
    pairs: Array<{ accountId: string; leadId: string }>;
  },
): Promise<ReadState> {
  const { owner, reservations, pairs } = input;
  const enrollmentIds = new Set<string>();
  const accountIds = new Set<string>();
  const creditAccountIds = new Set<string>();
  const dates = new Set<string>();
  for (const request of reservations) {
    enrollmentIds.add(request.context.enrollment.id);
    accountIds.add(request.context.account.id);
    if (request.credits > 0) creditAccountIds.add(request.context.account.id);
    for (const date of rollingWindowDates(request.localDate)) dates.add(date);
    if (request.bookedDate) dates.add(request.bookedDate);
  }
  for (const move of input.counterMoves) {
    accountIds.add(move.account_id);
    dates.add(move.local_date);
  }
  const givenBackPools = new Set(input.givenBack.map((g) => g.pool_id));
  // Every counter from the earliest date asked about on, future days included: a send may be
  // placed on any coming day, so what is absent here is a counter that does not exist.
  const firstDate = [...dates].sort()[0] ?? null;
  const [row] = await queryRows<{
    accounts: Array<{
      id: string;
      status: string;
      cooling_until: string | null;
      next_free_at: string | null;
      credit_pool_id: string | null;
    }> | null;
    held: string[] | null;
    pools: Array<{ id: string; balance: number }> | null;
    counters: Array<{
      account_id: string;
      local_date: string;
      kind: string;
      used: number;
      booked: number;
    }> | null;
    events: ReadState["events"] | null;
  }>(
    tx,
    sql`with accounts as (
          select id, status, cooling_until, next_free_at, credit_pool_id from sender_account
           where id in ${inList(accountIds)}
           order by id for update
        ), pools as (
          select id, balance from credit_pool
           where id in (select credit_pool_id from accounts where id in ${inList(creditAccountIds)})
              or id in ${inList(givenBackPools)}
           order by id for update
        ), held as (
          select id from enrollment
           where id in ${inList(enrollmentIds)} and lease_owner = ${owner}
           order by id for update
        )
        select
          (select json_agg(accounts) from accounts) as accounts,
          (select json_agg(pools) from pools) as pools,
          (select json_agg(id) from held) as held,
          (select json_agg(json_build_object('account_id', account_id,
                    'local_date', local_date::text, 'kind', kind, 'used', used,
                    'booked', booked))
             from usage_counter
            where account_id in ${inList(accountIds)}
              and local_date >= ${firstDate}::date) as counters,
          (select json_agg(json_build_object('account_id', account_id,
                    'lead_id', lead_id, 'type', type, 'occurred_at', occurred_at,
                    'chat_id', chat_id) order by occurred_at, id)
             from inbound_event
            where lead_id in ${inList(new Set(pairs.map((p) => p.leadId)))}
              and account_id in ${inList(new Set(pairs.map((p) => p.accountId)))}
              and type in ('accepted', 'replied')) as events`,
  );
  const wanted = new Set(pairs.map((p) => eventsKey(p.accountId, p.leadId)));
  const counters = new Map<string, Counter>();
  for (const c of row?.counters ?? []) {
    counters.set(counterKey(c.account_id, c.local_date, c.kind), {
      used: c.used,
      booked: c.booked,
      exists: true,
    });
  }
  const accounts = new Map<string, AccountState>();
  for (const a of row?.accounts ?? []) {
    accounts.set(a.id, {
      id: a.id,
      status: a.status,
      coolingUntil: a.cooling_until === null ? null : new Date(a.cooling_until),
      nextFreeAt: a.next_free_at === null ? null : new Date(a.next_free_at),
      creditPoolId: a.credit_pool_id,
      nextFreeChanged: false,
      revive: false,
    });
  }
  return {
    held: new Set(row?.held ?? []),
    accounts,
    pools: new Map((row?.pools ?? []).map((p) => [p.id, p.balance])),
    counters,
    events: (row?.events ?? []).filter((e) => wanted.has(eventsKey(e.account_id, e.lead_id))),
  };
}

/**
 * Counters, pools and timelines of one flush: slots and places given back, credits returned,
 * then the reservations decided in order against the locked state and what the ones before
 * them took, all written in one statement: intents, cap slots and places, next-free times,
 * credits with their ledger lines.
 */
class CounterWork implements ReservationState {
  private readonly actions: unknown[] = [];
  private readonly spends: unknown[] = [];
  private readonly poolTakes = new Map<string, number>();
  private readonly deltas = new Map<string, { used: number; booked: number }>();
  private readonly bookings = new Map<string, { bookedDate: string; bookedKind: string } | null>();
  /** Per campaign: credits used so far, in all and per `${nodeId}@${branch}` (locked). */
  private readonly budgets = new Map<string, { campaign: number; branch: Map<string, number> }>();

  private readonly accounts: Map<string, AccountState>;
  private readonly adjustments: GivenBack[] = [];
  /** Queue tags of the seats read so far in this flush (workflows/engine/priority.ts). */
  private readonly queueTags = new Map<string, QueueTags>();
  private readonly queueRead = new Set<string>();

  constructor(
    private readonly tx: Transaction,
    private readonly read: ReadState,
  ) {
    this.accounts = read.accounts;
  }

  /** Unused credits back to their pools, each with an adjustment line. */
  giveBack(lines: GivenBack[]) {
    for (const line of lines) {
      this.read.pools.set(line.pool_id, (this.read.pools.get(line.pool_id) ?? 0) + line.amount);
      this.poolTakes.set(line.pool_id, (this.poolTakes.get(line.pool_id) ?? 0) - line.amount);
      this.adjustments.push(line);
    }
  }

  async decide(request: ReserveRequest, eventsNow: number): Promise<ReserveResult> {
    const decision = await decideReservation(this, request, eventsNow);
    if (decision.type !== "reserved") return decision;
    const { context, now } = request;
    const { actionId, credits, poolId } = decision;
    const nowIso = now.toISOString();
    const base = {
      workspace_id: context.enrollment.workspaceId,
      campaign_id: context.campaign.id,
      node_id: request.nodeId,
      branch: request.branch,
      enrollment_id: context.enrollment.id,
      lead_id: context.lead.id,
      variant: request.variant,
    };
    this.actions.push({
      ...base,
      id: actionId,
      idempotency_key: request.idempotencyKey,
      account_id: context.account.id,
      kind: request.kind,
      has_text: request.hasText,
      credits,
      local_date: request.localDate,
      created_at: nowIso,
    });
    if (credits > 0) {
      this.spends.push({
        ...base,
        pool_id: poolId,
        at: nowIso,
        amount: credits,
        action_id: actionId,
      });
    }
    return {
      type: "reserved",
      action: {
        id: actionId,
        idempotencyKey: request.idempotencyKey,
        nodeId: request.nodeId,
        kind: request.kind,
        hasText: request.hasText,
        status: "intent",
        reason: null,
        credits,
        chatId: null,
        createdAt: now,
        sentAt: null,
      },
    };
  }

  // ── ReservationState: what the decision reads and moves, under this flush's locks ──

  private readonly pending = new Map<string, { count: number }>();

  /** Read under the account's lock, like the queue tags; moved by this flush's invitations. */
  async pendingInvitations(accountId: string) {
    let pending = this.pending.get(accountId);
    if (!pending) {
      const counts = await pendingInvitationCounts(this.tx, [accountId]);
      pending = { count: counts.get(accountId) ?? 0 };
      this.pending.set(accountId, pending);
    }
    return pending;
  }

  held(enrollmentId: string) {
    return this.read.held.has(enrollmentId);
  }

  async queueTag(accountId: string, campaignId: string, priority: number, weight: number) {
    if (!this.queueRead.has(accountId)) {
      // Read under the account's lock, taken by readState before any reservation.
      const rows = await queryRows<{ campaign_id: string; priority: number; tag: number }>(
        this.tx,
        sql`select e.campaign_id, (e.step_state->>'queuePriority')::int as priority,
                   (e.step_state->>'queueTag')::float8 as tag
              from enrollment e join campaign c on c.id = e.campaign_id
             where e.account_id = ${accountId} and e.state = 'active'
               and c.status = 'running' and ${queuedRow(sql`e`)}`,
      );
      for (const [key, tags] of tagsOfQueue(
        rows.map((r) => ({
          accountId,
          campaignId: r.campaign_id,
          priority: Number(r.priority),
          tag: Number(r.tag),
        })),
      )) {
        this.queueTags.set(key, tags);
      }
      this.queueRead.add(accountId);
    }
    return takeQueueTag(this.queueTags, { accountId, campaignId, priority }, weight);
  }

  account(accountId: string) {
    return this.accounts.get(accountId);
  }

  taken(accountId: string, date: string, kind: string) {
    const c = this.counter(accountId, date, kind);
    return c.used + c.booked;
  }

  moveCounter(accountId: string, date: string, kind: string, used: number, booked: number) {
    this.add(accountId, date, kind, used, booked);
  }

  setBooking(enrollmentId: string, booking: { bookedDate: string; bookedKind: string } | null) {
    this.bookings.set(enrollmentId, booking);
  }

  poolBalance(poolId: string) {
    return this.read.pools.get(poolId) ?? 0;
  }

  takeCredits(poolId: string, credits: number) {
    this.read.pools.set(poolId, this.poolBalance(poolId) - credits);
    this.poolTakes.set(poolId, (this.poolTakes.get(poolId) ?? 0) + credits);
  }

  countCredits(campaignId: string, branchKey: string, credits: number) {
    const used = this.budgets.get(campaignId);
    if (used) {
      used.campaign += credits;
      used.branch.set(branchKey, (used.branch.get(branchKey) ?? 0) + credits);
    }
  }

  newActionId() {
    return randomUUID();
  }

  private counter(accountId: string, date: string, kind: string): Counter {
    return (
      this.read.counters.get(counterKey(accountId, date, kind)) ?? {
        used: 0,
        booked: 0,
        exists: false,
      }
    );
  }

  /** Moves a counter here and in what will be written (never below zero). */
  add(accountId: string, date: string, kind: string, used: number, booked: number) {
    const key = counterKey(accountId, date, kind);
    const current = this.counter(accountId, date, kind);
    const next = {
      used: Math.max(current.used + used, 0),
      booked: Math.max(current.booked + booked, 0),
    };
    this.read.counters.set(key, { ...next, exists: current.exists });
    const delta = this.deltas.get(key) ?? { used: 0, booked: 0 };
    delta.used += next.used - current.used;
    delta.booked += next.booked - current.booked;
    this.deltas.set(key, delta);
  }

  /**
   * Credits the campaign has used, in all and per branch, read under a lock on the campaign
   * row, so that two sends (on any account, in any worker) cannot both take a budget's last.
   */
  async budgetUse(campaignId: string): Promise<BudgetUse> {
    let used = this.budgets.get(campaignId);
    if (!used) {
      const rows = await queryRows<{ node_id: string | null; branch: string | null; net: number }>(
        this.tx,
        sql`with locked as (select id from campaign where id = ${campaignId} for update)
            select l.node_id, l.branch, coalesce(sum(${creditsUsedSql("l")}), 0)::int as net
              from credit_ledger l, locked
             where l.campaign_id = locked.id and l.action_id is not null
             group by l.node_id, l.branch`,
      );
      used = { campaign: 0, branch: new Map() };
      for (const row of rows) {
        used.campaign += row.net;
        const key = `${row.node_id}@${row.branch}`;
        used.branch.set(key, (used.branch.get(key) ?? 0) + row.net);
      }
      this.budgets.set(campaignId, used);
    }
    return used;
  }

  async write() {
    const counters = [...this.deltas]
      .filter(([, d]) => d.used !== 0 || d.booked !== 0)
      .map(([key, d]) => {
        const [account_id, local_date, kind] = key.split("|");
        const exists = this.read.counters.get(key)?.exists ?? false;
        return { account_id, local_date, kind, used: d.used, booked: d.booked, exists };
      });
    const accounts = [...this.accounts.values()]
      .filter((a) => a.nextFreeChanged || a.revive)
      .map((a) => ({
        id: a.id,
        next_free_at: a.nextFreeChanged ? (a.nextFreeAt?.toISOString() ?? null) : null,
        revive: a.revive,
      }));
    const pools = [...this.poolTakes]
      .filter(([, amount]) => amount !== 0)
      .map(([id, amount]) => ({ id, amount }));
    const bookings = [...this.bookings].map(([id, booking]) => ({ id, booking }));
    if (
      this.actions.length +
        this.adjustments.length +
        counters.length +
        accounts.length +
        pools.length +
        bookings.length ===
      0
    ) {
      return;
    }
    const parts: SQL[] = [];
    if (this.actions.length > 0) {
      parts.push(sql`actions as (
        insert into action (id, workspace_id, idempotency_key, enrollment_id, campaign_id, lead_id,
          account_id, node_id, kind, has_text, branch, variant, status, credits, local_date,
          created_at)
        select id, workspace_id, idempotency_key, enrollment_id, campaign_id, lead_id, account_id,
               node_id, kind, has_text, branch, variant, 'intent', credits, local_date, created_at
          from jsonb_to_recordset(${json(this.actions)}) as x(id text, workspace_id text,
            idempotency_key text, enrollment_id text, campaign_id text, lead_id text,
            account_id text, node_id text, kind text, has_text boolean, branch text, variant text,
            credits int, local_date date, created_at timestamptz)
      )`);
    }
    if (counters.length > 0) {
      // Deltas, not values: a counter only moves under its account's lock, but adding keeps
      // this statement right whatever else moved it in between.
      const rows = json(counters);
      parts.push(sql`counters as (
        select * from jsonb_to_recordset(${rows}) as x(account_id text, local_date date,
          kind text, used int, booked int, exists boolean)
      ), counters_moved as (
        update usage_counter u
           set used = greatest(u.used + c.used, 0), booked = greatest(u.booked + c.booked, 0)
          from counters c
         where c.exists and u.account_id = c.account_id and u.local_date = c.local_date
           and u.kind = c.kind
      ), counters_new as (
        insert into usage_counter (account_id, local_date, kind, used, booked)
        select account_id, local_date, kind, greatest(used, 0), greatest(booked, 0)
          from counters where not exists
        on conflict (account_id, local_date, kind) do update
          set used = usage_counter.used + excluded.used,
              booked = usage_counter.booked + excluded.booked
      )`);
    }
    if (pools.length > 0) {
      parts.push(sql`pools as (
        update credit_pool p set balance = p.balance - x.amount
          from jsonb_to_recordset(${json(pools)}) as x(id text, amount int)
         where p.id = x.id
      )`);
    }
    if (this.spends.length > 0) {
      parts.push(sql`spends as (
        insert into credit_ledger (workspace_id, pool_id, at, type, amount, campaign_id, node_id,
          branch, enrollment_id, lead_id, variant, action_id)
        select workspace_id, pool_id, at, 'spend', amount, campaign_id, node_id, branch,
               enrollment_id, lead_id, variant, action_id
          from jsonb_to_recordset(${json(this.spends)}) as x(workspace_id text, pool_id text,
            at timestamptz, amount int, campaign_id text, node_id text, branch text,
            enrollment_id text, lead_id text, variant text, action_id text)
      )`);
    }
    if (this.adjustments.length > 0) {
      parts.push(sql`adjustments as (
        insert into credit_ledger (workspace_id, pool_id, at, type, amount, campaign_id, node_id,
          branch, enrollment_id, lead_id, variant, action_id, note)
        select workspace_id, pool_id, at, 'adjustment', amount, campaign_id, node_id, branch,
               enrollment_id, lead_id, variant, action_id, note
          from jsonb_to_recordset(${json(this.adjustments)}) as x(pool_id text, amount int,
            workspace_id text, at timestamptz, campaign_id text, node_id text, branch text,
            enrollment_id text, lead_id text, variant text, action_id text, note text)
      )`);
    }
    if (accounts.length > 0) {
      parts.push(sql`accounts as (
        update sender_account a
           set next_free_at = coalesce(x.next_free_at, a.next_free_at),
               status = case when x.revive then 'active' else a.status end,
               cooling_until = case when x.revive then null else a.cooling_until end,
               status_reason = case when x.revive then null else a.status_reason end
          from jsonb_to_recordset(${json(accounts)})
            as x(id text, next_free_at timestamptz, revive boolean)
         where a.id = x.id
      )`);
    }
    if (bookings.length > 0) {
      // The place a lead held is given back above; its step forgets it (or holds the new one),
      // so that leaving the step later does not give it back twice.
      parts.push(sql`bookings as (
        update enrollment e
           set step_state = (coalesce(e.step_state, '{}'::jsonb) - 'bookedDate' - 'bookedKind')
                            || coalesce(x.booking, '{}'::jsonb)
          from jsonb_to_recordset(${json(bookings)}) as x(id text, booking jsonb)
         where e.id = x.id
      )`);
    }
    await this.tx.execute(sql`with ${sql.join(parts, sql`, `)} select 1`);
  }
}
