/**
 * Runs the engine: claims due enrollments in batches and steps each. Waits are rows with a
 * future next_run_at, never timers, so any number of workers can share one database.
 */
import type { InboundEvent } from "../providers/types";
import type { AcceleratedClock } from "./clock";
import { localDate } from "./pacing/local-time";
import type { PacingSettings } from "./pacing/settings";
import type { EngineStore, EnrollmentContext } from "./ports";
import { HANDOVER_CHECK_MS } from "./rotation";
import {
  SAFETY_WINDOWS,
  type SafetyScore,
  safetyInputs,
  safetyPauseReason,
  safetyScore,
} from "./safety";
import { BatchSession, type SessionStats } from "./session";
import { type EngineDeps, LEASE_MS, type StepResult, stepEnrollment } from "./step";
import { withdrawDueInvitations } from "./withdrawals";

/** How often (engine time) each worker recomputes the safety score of an account it works for. */
export const SAFETY_CHECK_MS = 60 * 60 * 1000;

export interface EventSource {
  /** Events whose time has come (the sandbox world's acceptances and replies). */
  dueEvents(now: Date): Promise<InboundEvent[]>;
}

export interface RunOptions {
  batchSize?: number;
  leaseMs?: number;
  onStep?: (context: EnrollmentContext, result: StepResult) => void;
  /** Told what each batch cost in store flushes. */
  onBatch?: (stats: SessionStats) => void;
}

/** How many due enrollments a worker claims at once unless told otherwise. */
export const DEFAULT_BATCH_SIZE = 100;

/**
 * Claims one batch of due enrollments and steps them together (session.ts), so the batch's
 * writes and reservations share a few transactions; returns how many were stepped.
 */
export async function runDueBatch(deps: EngineDeps, options: RunOptions = {}): Promise<number> {
  await settleCredits(deps);
  // Before the claim: a lead woken for its invitation's withdrawal finds it withdrawn.
  await withdrawDueInvitations(deps);
  await handOverDue(deps);
  const contexts = await deps.store.claimDue({
    now: deps.clock.now(),
    owner: deps.owner,
    leaseMs: options.leaseMs ?? LEASE_MS,
    limit: options.batchSize ?? DEFAULT_BATCH_SIZE,
  });
  if (contexts.length === 0) return 0;
  const session = new BatchSession(deps.store, deps.owner, contexts);
  try {
    await session.run(
      (store, context) => stepEnrollment({ ...deps, store }, context),
      options.onStep,
    );
  } finally {
    options.onBatch?.(session.stats);
  }
  const accounts = new Map<string, EnrollmentContext["account"]>();
  for (const context of contexts) accounts.set(context.account.id, context.account);
  const now = deps.clock.now();
  for (const account of accounts.values()) {
    const checked = lastSafetyCheck(deps.store);
    if (now.getTime() - (checked.get(account.id) ?? Number.NEGATIVE_INFINITY) < SAFETY_CHECK_MS)
      continue;
    checked.set(account.id, now.getTime());
    await checkAccountSafety(deps.store, account, now);
  }
  return contexts.length;
}

export interface KeepingUpOptions {
  /** Real milliseconds this turn may spend on due work before it yields to the server. */
  budgetMs: number;
  /**
   * The next instant work is due strictly after `now` (a waiting lead, an expected event), or
   * null: the clock runs to it and waits there for the next turn.
   */
  nextDueAfter: (now: Date) => Promise<Date | null>;
  realTime?: () => number;
  stopped?: () => boolean;
  batch?: RunOptions;
}

/**
 * One turn of the engine on an accelerated clock that never runs ahead of due work: the clock
 * is held while what is due gets done; when everything due is done it runs again, but only up
 * to the next instant work is due. When the turn's budget runs out first the clock stays held
 * (`behind`): virtual time slows down rather than work being done late, so a seat sends as
 * many times a virtual day as on the virtual clock, however slow the engine.
 */
export async function runDueKeepingUp(
  deps: EngineDeps & { clock: AcceleratedClock },
  options: KeepingUpOptions,
): Promise<{ stepped: number; behind: boolean }> {
  const realTime = options.realTime ?? Date.now;
  const deadline = realTime() + options.budgetMs;
  deps.clock.hold();
  let stepped = 0;
  let behind = true;
  while (!options.stopped?.() && realTime() < deadline) {
    const count = await runDueBatch(deps, options.batch);
    stepped += count;
    if (count === 0) {
      behind = false;
      break;
    }
  }
  if (!behind) deps.clock.run(await options.nextDueAfter(deps.clock.now()));
  return { stepped, behind };
}

/** Renewals and refunds due by now, before any send may draw on the pool (two indexed reads). */
async function settleCredits(deps: EngineDeps) {
  await deps.store.applyDueCredits(deps.clock.now());
}

const handoverChecks = new WeakMap<EngineStore, number>();

/**
 * Every HANDOVER_CHECK_MS of engine time, the leads an unhealthy seat has not contacted move to
 * a healthy seat of their campaign (engine/rotation.ts), before the claim can see them.
 */
async function handOverDue(deps: EngineDeps) {
  const now = deps.clock.now().getTime();
  const last = handoverChecks.get(deps.store);
  if (last !== undefined && now - last < HANDOVER_CHECK_MS) return;
  handoverChecks.set(deps.store, now);
  await deps.store.handOverLeads(deps.clock.now());
}

const safetyChecks = new WeakMap<EngineStore, Map<string, number>>();
function lastSafetyCheck(store: EngineStore): Map<string, number> {
  let checked = safetyChecks.get(store);
  if (!checked) {
    checked = new Map();
    safetyChecks.set(store, checked);
  }
  return checked;
}

/** The account's safety score from its recent counts, without acting on it. */
export async function scoreAccountSafety(
  store: Pick<EngineStore, "safetyCounts">,
  accountId: string,
  pacing: PacingSettings,
  now: Date,
): Promise<SafetyScore> {
  const dates: string[] = [];
  for (let back = 0; back < SAFETY_WINDOWS.capDays; back++) {
    dates.push(localDate(new Date(now.getTime() - back * 86_400_000), pacing.timeZone));
  }
  const counts = await store.safetyCounts(accountId, now, dates);
  return safetyScore(safetyInputs(counts, pacing, localDate(now, pacing.timeZone)));
}

/**
 * Scores the account's recent behaviour and pauses it, with the weakest factor as the reason,
 * when the score falls below the account's threshold.
 */
export async function checkAccountSafety(
  store: EngineStore,
  account: EnrollmentContext["account"],
  now: Date,
): Promise<{ score: SafetyScore; paused: string | null }> {
  const score = await scoreAccountSafety(store, account.id, account.pacing, now);
  const reason = safetyPauseReason(score, account.pacing.safety);
  if (reason) {
    await store.flush({
      owner: "safety-check",
      ops: [{ type: "pause", accountId: account.id, status: "paused", reason, at: now }],
      events: [],
    });
  }
  return { score, paused: reason };
}

/** Delivers due events through `ingest` (the same path webhooks take). */
export async function pumpEvents(
  source: EventSource,
  now: Date,
  ingest: (event: InboundEvent) => Promise<unknown>,
): Promise<number> {
  const events = await source.dueEvents(now);
  for (const event of events) await ingest(event);
  return events.length;
}
