// One life of an engine worker for the crash-safety test. It resumes the shared virtual clock
// from a file, runs the engine against the sandbox world in PostgreSQL, and kills itself with
// SIGKILL at random points: right after a flush wrote intents (before the sends), right after
// LinkedIn answered (before the action is marked), and after a flush of moves (mid-batch).
// The kill points are drawn from <crashSeed>, so a failing run can be replayed exactly.
// Usage (bundled by test/bundle.ts, or through tsx): node --import tsx test/crash-worker.ts <databaseUrl> <clockFile> <endIso> <seed> <p> <crashSeed> [<restriction>]
// (<restriction>: test/restriction.ts)
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
import { seedFor, uniform01 } from "@/workflows/random";
import { restrictionScript } from "./restriction";

const [url, clockFile, endIso, seed, probability, crashSeed, restriction] = process.argv.slice(2);
if (!url || !clockFile || !endIso || !seed || !probability || !crashSeed) {
  throw new Error("bad arguments");
}
const crashChance = Number(probability);
const killSeed: string = crashSeed;
const end = new Date(endIso);

let crashPoint = 0;
function maybeCrash() {
  crashPoint++;
  if (uniform01(seedFor(killSeed, crashPoint)) < crashChance) process.kill(process.pid, "SIGKILL");
}

const handle = await openDatabase({ kind: "postgres", url, poolSize: 2 });
const clock = new VirtualClock(new Date(readFileSync(clockFile, "utf8").trim()));
const inner = createEngineStore(handle.db);
const store: EngineStore = {
  ...inner,
  async flush(request) {
    const flushed = await inner.flush(request);
    // A flush commits a batch's intents, then its moves: the process may die right after,
    // once per intent (between intent and send) and once per move (mid-batch).
    for (const result of flushed.results) if (result.type === "reserved") maybeCrash();
    for (const op of request.ops) if (op.type === "move") maybeCrash();
    return flushed;
  },
};
const world = new SandboxWorld({
  seed,
  store: createDatabaseSandboxStore(handle.db),
  script: restrictionScript(restriction),
});
// LinkedIn answered; the process may die before the answer is written (between send and mark).
const answered = async <T>(outcome: Promise<T>) => {
  const result = await outcome;
  maybeCrash();
  return result;
};
const provider: Provider = {
  name: world.name,
  perform: (...args) => answered(world.perform(...args)),
  reconcile: (...args) => world.reconcile(...args),
  inmailBalance: (...args) => world.inmailBalance(...args),
};
const deps = { store, provider, clock, owner: `crash-worker-${process.pid}` };

for (;;) {
  const now = clock.now();
  await pumpEvents(world, now, (event) => ingestEvent(handle.db, "sandbox", event, now));
  if ((await runDueBatch(deps, { batchSize: 10 })) > 0) continue;
  const next = await nextWakeUp(handle, now);
  if (!next || next.getTime() > end.getTime()) break;
  clock.advanceTo(Math.max(next.getTime(), now.getTime() + 1));
  writeFileSync(clockFile, clock.now().toISOString());
}
await handle.close();
console.log("finished");
