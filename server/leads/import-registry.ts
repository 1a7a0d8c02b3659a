import "server-only";

import type { ImportLeadsResult } from "@/views/leads";
import { HttpError } from "../http/errors";

// Imports running in this process, by the id their browser drew for them. A cancel cannot rely
// on the upload's connection closing: a browser that aborts a request whose body was sent may
// half-close the socket, and the server only notices once it answers, after the commit. So the
// "Cancel import" button also says so in a request of its own, which reaches the import between
// two of its batches, and answers what really happened: cancelled and rolled back, or saved.
//
// The id is a random UUID only the importing browser knows, so it works as the capability to
// cancel: the cancel request needs no database (the embedded one runs one transaction at a
// time, and the import's holds it). A cancel that arrives before its import started leaves a
// mark the import honours when it arrives. With several web processes behind one address, a
// cancel may reach another process than its import: that import still stops if its
// connection's close is seen before the commit, as before.

export type ImportOutcome =
  | { state: "cancelled" }
  | { state: "saved"; result: ImportLeadsResult }
  | { state: "failed" };

interface Registry {
  running: Map<string, { controller: AbortController; settled: Promise<ImportOutcome> }>;
  /** Outcomes of ended imports and cancels that came first, kept a while, oldest first. */
  ended: Map<string, { outcome: ImportOutcome; at: number }>;
}

const KEEP_MS = 10 * 60_000;
const KEEP_AT_MOST = 1_000;

const globalForImports = globalThis as unknown as { __outflowImports?: Registry };
if (!globalForImports.__outflowImports) {
  globalForImports.__outflowImports = { running: new Map(), ended: new Map() };
}
const registry: Registry = globalForImports.__outflowImports;

function remember(importId: string, outcome: ImportOutcome, now = Date.now()) {
  registry.ended.delete(importId);
  registry.ended.set(importId, { outcome, at: now });
  for (const [key, entry] of registry.ended) {
    if (registry.ended.size <= KEEP_AT_MOST && now - entry.at < KEEP_MS) break;
    registry.ended.delete(key);
  }
}

const cancelled = () =>
  new HttpError(499, "cancelled", "The import was cancelled: nothing was saved.");

/**
 * Runs one import under its id: `run` receives a signal that aborts when the import is
 * cancelled, and must roll back when it sees it. An import cancelled before it started does
 * not run at all.
 */
export async function trackImport(
  importId: string,
  run: (signal: AbortSignal) => Promise<ImportLeadsResult>,
): Promise<ImportLeadsResult> {
  if (registry.running.has(importId) || registry.ended.has(importId)) {
    throw cancelled();
  }
  const controller = new AbortController();
  let settle: (outcome: ImportOutcome) => void = () => {};
  const settled = new Promise<ImportOutcome>((resolve) => {
    settle = resolve;
  });
  registry.running.set(importId, { controller, settled });
  let outcome: ImportOutcome = { state: "failed" };
  try {
    const result = await run(controller.signal);
    outcome = { state: "saved", result };
    return result;
  } catch (error) {
    if (controller.signal.aborted) {
      outcome = { state: "cancelled" };
      throw cancelled();
    }
    throw error;
  } finally {
    registry.running.delete(importId);
    remember(importId, outcome);
    settle(outcome);
  }
}

export const isImportRunning = (importId: string) => registry.running.has(importId);

/** Cancels an import and answers once it has ended: rolled back, or already saved. */
export async function cancelImport(importId: string): Promise<ImportOutcome> {
  const running = registry.running.get(importId);
  if (running) {
    running.controller.abort();
    return running.settled;
  }
  const ended = registry.ended.get(importId);
  if (ended) return ended.outcome;
  // Not started yet (its body may still be arriving): it will be refused when it arrives.
  remember(importId, { state: "cancelled" });
  return { state: "cancelled" };
}
