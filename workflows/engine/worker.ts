/**
 * Runs the engine: claims due enrollments in batches and steps each. Waits are rows with a
 * future next_run_at, never timers, so any number of workers can share one database.
 */
import type { InboundEvent } from "../providers/types";
import type { EnrollmentContext } from "./ports";
import { type EngineDeps, LEASE_MS, type StepResult, stepEnrollment } from "./step";

export interface EventSource {
  /** Events whose time has come (the sandbox world's acceptances and replies). */
  dueEvents(now: Date): Promise<InboundEvent[]>;
}

export interface RunOptions {
  batchSize?: number;
  leaseMs?: number;
  onStep?: (context: EnrollmentContext, result: StepResult) => void;
}

/** Claims one batch of due enrollments and steps them; returns how many were stepped. */
export async function runDueBatch(deps: EngineDeps, options: RunOptions = {}): Promise<number> {
  const contexts = await deps.store.claimDue({
    now: deps.clock.now(),
    owner: deps.owner,
    leaseMs: options.leaseMs ?? LEASE_MS,
    limit: options.batchSize ?? 25,
  });
  for (const context of contexts) {
    const result = await stepEnrollment(deps, context);
    options.onStep?.(context, result);
  }
  return contexts.length;
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
