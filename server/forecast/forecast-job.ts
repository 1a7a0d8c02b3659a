/**
 * The forecast's worker thread: runs each seed's simulation in memory (the real engine on a
 * virtual clock against the sandbox) and posts back the forecast's figures. Started by
 * forecast-workers.ts through forecast-worker.mjs; it touches no database and no provider.
 */
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import type { SimulationSpec } from "@/workflows/simulation/assemble";
import { summarizeForecast } from "@/workflows/simulation/forecast";
import { simulateInMemory } from "@/workflows/simulation/memory-run";

// The lowest scheduling priority for this thread alone (Linux nice values are per thread): the
// app's requests on the main thread come first when the cores are busy.
try {
  setPriority(19);
} catch {
  // Not allowed here: the thread runs at the process's priority.
}

parentPort?.once("message", async (specs: SimulationSpec[]) => {
  try {
    const traces = [];
    for (const spec of specs) traces.push(await simulateInMemory(spec));
    parentPort?.postMessage({ ok: true, summary: summarizeForecast(traces) });
  } catch (error) {
    parentPort?.postMessage({
      ok: false,
      message: error instanceof Error ? error.message : "failed",
    });
  }
});
