// One life of an engine worker for the crash-safety test. It resumes the shared virtual clock
// from a file, runs the engine against the sandbox world in PostgreSQL, and kills itself with
// SIGKILL at random points: right after an intent is written (before the send), right after
// LinkedIn answered (before the action is marked), and between moves of a batch.
// Usage: node --import tsx test/crash-worker.ts <databaseUrl> <clockFile> <endIso> <seed> <p>
import { readFileSync, writeFileSync } from "node:fs";
import { openDatabase } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import { nextWakeUp } from "@/db/engine/simulation";
import { createEngineStore } from "@/db/engine/store";
import { createDatabaseSandboxStore } from "@/db/sandbox-store";
import { VirtualClock } from "@/workflows/engine/clock";
import type { EngineStore } from "@/workflows/engine/ports";
import { pumpEvents, runDueBatch } from "@/workflows/engine/worker";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import type { Provider } from "@/workflows/providers/types";

const [url, clockFile, endIso, seed, probability] = process.argv.slice(2);
if (!url || !clockFile || !endIso || !seed || !probability) throw new Error("bad arguments");
const crashChance = Number(probability);
const end = new Date(endIso);

function maybeCrash() {
  if (Math.random() < crashChance) process.kill(process.pid, "SIGKILL");
}

const handle = await openDatabase({ kind: "postgres", url, poolSize: 2 });
const clock = new VirtualClock(new Date(readFileSync(clockFile, "utf8").trim()));
const inner = createEngineStore(handle.db);
const store: EngineStore = {
  ...inner,
  async reserveSend(request) {
    const result = await inner.reserveSend(request);
    maybeCrash(); // between intent and send
    return result;
  },
  async completeAction(actionId, context, completion) {
    maybeCrash(); // between send and mark
    return inner.completeAction(actionId, context, completion);
  },
  async transition(enrollmentId, owner, change) {
    const ok = await inner.transition(enrollmentId, owner, change);
    maybeCrash(); // mid-batch
    return ok;
  },
};
const world = new SandboxWorld({ seed, store: createDatabaseSandboxStore(handle.db) });
const provider: Provider = world;
const deps = { store, provider, clock, owner: `crash-worker-${process.pid}` };

for (;;) {
  const now = clock.now();
  await pumpEvents(world, now, (event) => ingestEvent(handle.db, "sandbox", event, now));
  if ((await runDueBatch(deps, { batchSize: 10 })) > 0) continue;
  const next = await nextWakeUp(handle);
  if (!next || next.getTime() > end.getTime()) break;
  clock.advanceTo(Math.max(next.getTime(), now.getTime() + 1));
  writeFileSync(clockFile, clock.now().toISOString());
}
await handle.close();
console.log("finished");
