import "server-only";

import { getDatabaseHandle } from "@/db/client";
import { DataDirectoryInUseError } from "@/db/lock";
import { clockFileFor, startEngineRuntime } from "./engine-runtime";

const globalForEngine = globalThis as unknown as {
  outflowEngineStarted?: boolean;
  outflowEngineClock?: { now(): Date };
  outflowEngineSlowed?: () => boolean;
};

/**
 * "Now" as the engine sees it: the accelerated clock of the local demo when it runs in this
 * process, real time otherwise. Views that speak of the future (renewals, projections) use it.
 */
export function engineNow(): Date {
  return globalForEngine.outflowEngineClock?.now() ?? new Date();
}

/**
 * True while the local demo's accelerated clock is slowed so the engine keeps up with the work
 * due: virtual time waits rather than running past sends (a campaign page says so).
 */
export function engineClockSlowed(): boolean {
  return globalForEngine.outflowEngineSlowed?.() ?? false;
}

/**
 * Opens the process-wide database and, on the embedded default, starts the engine in this
 * process (once). Exits with a clear message when the database cannot be opened.
 */
export async function bootServer(): Promise<void> {
  let handle: Awaited<ReturnType<typeof getDatabaseHandle>>;
  try {
    handle = await getDatabaseHandle();
    console.log(`[outflow] database ready (${handle.kind}: ${handle.location})`);
  } catch (error) {
    if (error instanceof DataDirectoryInUseError) {
      console.error(`[outflow] ${error.message}`);
    } else {
      console.error("[outflow] could not open the database:", error);
    }
    process.exit(1);
  }
  // PGlite allows one process per directory, so its engine must live in the app process. On
  // PostgreSQL, workers run apart (`npm run worker`) unless OUTFLOW_ENGINE=in-process.
  const mode = process.env.OUTFLOW_ENGINE ?? (handle.kind === "postgres" ? "worker" : "in-process");
  if (mode === "in-process" && !globalForEngine.outflowEngineStarted) {
    globalForEngine.outflowEngineStarted = true;
    const runtime = startEngineRuntime(handle, {
      timeScale: Number(process.env.OUTFLOW_TIME_SCALE ?? 1),
      clockFile: clockFileFor(handle),
    });
    globalForEngine.outflowEngineClock = runtime.clock;
    globalForEngine.outflowEngineSlowed = runtime.slowed;
  }
}
