import "server-only";

import path from "node:path";
import { Worker } from "node:worker_threads";
import type { SimulationSpec } from "@/workflows/simulation/assemble";
import type { ForecastSummary } from "@/workflows/simulation/forecast";
import { HttpError } from "../http/errors";

/** A forecast that takes longer than this is stopped. */
export const FORECAST_TIMEOUT_MS = 60_000;

/** The worker's heap limit. */
export const FORECAST_MEMORY_MB = 256;

// ---- How many forecasts run at once -------------------------------------------------------

/**
 * At most `running` workers at once (one per core leaves the app's requests their share);
 * up to `queued` more wait their turn; beyond that the caller is told to try again.
 */
const limits = { running: 2, queued: 8 };

let running = 0;

const waiting: Array<() => void> = [];

/** Changes the limits (tests and deployments with more cores). */
export function setForecastLimits(next: Partial<typeof limits>) {
  Object.assign(limits, next);
}

/** Forecasts running and waiting now. */
export function forecastLoad() {
  return { running, queued: waiting.length, maxRunning: limits.running, maxQueued: limits.queued };
}

function release() {
  running--;
  const next = waiting.shift();
  if (next) next();
}

/** Waits for a free worker slot; the answer frees it. */
function acquireSlot(signal?: AbortSignal): Promise<() => void> {
  let released = false;
  const free = () => {
    if (released) return;
    released = true;
    release();
  };
  if (running < limits.running) {
    running++;
    return Promise.resolve(free);
  }
  if (waiting.length >= limits.queued) {
    return Promise.reject(
      new HttpError(
        503,
        "forecast_busy",
        "Outflow is running as many forecasts as it can at once. Try again in a minute.",
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const start = () => {
      signal?.removeEventListener("abort", onAbort);
      running++;
      resolve(free);
    };
    const onAbort = () => {
      const at = waiting.indexOf(start);
      if (at >= 0) waiting.splice(at, 1);
      reject(new HttpError(499, "cancelled", "Cancelled."));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    waiting.push(start);
  });
}

/**
 * The worker's bootstrap, found at run time in the project's folder (the bundler must not
 * follow it: it loads TypeScript through tsx in the worker).
 */
function workerFile(): string {
  return [process.cwd(), "server", "forecast", "forecast-worker.mjs"].join(path.sep);
}

/**
 * Runs the seeds in a worker thread with a time and a heap limit, once a slot is free (see
 * `setForecastLimits`); the worker is stopped when `signal` aborts (the user left) or the time
 * runs out.
 */
export async function runForecastInWorker(
  specs: SimulationSpec[],
  options: { signal?: AbortSignal; timeoutMs?: number; memoryMb?: number } = {},
): Promise<ForecastSummary> {
  const free = await acquireSlot(options.signal);
  try {
    return await runWorker(specs, options);
  } finally {
    free();
  }
}

function runWorker(
  specs: SimulationSpec[],
  options: { signal?: AbortSignal; timeoutMs?: number; memoryMb?: number },
): Promise<ForecastSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(/* turbopackIgnore: true */ workerFile(), {
      resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? FORECAST_MEMORY_MB },
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new HttpError(503, "forecast_timeout", "The forecast took too long. Try fewer leads."),
          ),
        ),
      options.timeoutMs ?? FORECAST_TIMEOUT_MS,
    );
    const onAbort = () => finish(() => reject(new HttpError(499, "cancelled", "Cancelled.")));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort);
    worker.once(
      "message",
      (reply: { ok: true; summary: ForecastSummary } | { ok: false; message: string }) =>
        finish(() =>
          reply.ok
            ? resolve(reply.summary)
            : reject(
                new HttpError(
                  422,
                  "forecast_failed",
                  `The forecast could not run: ${reply.message}`,
                ),
              ),
        ),
    );
    worker.once("error", (error) =>
      finish(() =>
        reject(
          (error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new HttpError(
                503,
                "forecast_memory",
                "The forecast needed too much memory. Try fewer leads.",
              )
            : error,
        ),
      ),
    );
    worker.once("exit", () =>
      finish(() => reject(new HttpError(503, "forecast_stopped", "The forecast stopped."))),
    );
    worker.postMessage(specs);
  });
}
