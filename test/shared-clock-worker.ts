// One of several engine workers sharing a PostgreSQL database and a virtual clock kept in the
// table sim_clock (test/shared-clock.ts): it steps what is due in turns, and moves the clock
// only when no worker is in a turn, so the clock never runs ahead of work in progress.
// Usage (bundled by test/bundle.ts, or through tsx): node --import tsx test/shared-clock-worker.ts <databaseUrl> <endIso> <seed> [<restriction>]
// (<restriction>: test/restriction.ts)
import { openDatabase } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import { createEngineStore } from "@/db/engine/store";
import { createDatabaseSandboxStore } from "@/db/sandbox-store";
import type { Clock } from "@/workflows/engine/clock";
import { pumpEvents, runDueBatch } from "@/workflows/engine/worker";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import { restrictionScript } from "./restriction";
import { SharedClock } from "./shared-clock";

const [url, endIso, seed, restriction] = process.argv.slice(2);
if (!url || !endIso || !seed) throw new Error("bad arguments");
const end = new Date(endIso);
const handle = await openDatabase({ kind: "postgres", url, poolSize: 3 });
const shared = await SharedClock.open(handle, url);
let current = new Date(0);
const clock: Clock = { now: () => current };
const world = new SandboxWorld({
  seed,
  store: createDatabaseSandboxStore(handle.db),
  script: restrictionScript(restriction),
});
const deps = {
  store: createEngineStore(handle.db),
  provider: world,
  clock,
  owner: `worker-${process.pid}`,
};
let steps = 0;
for (;;) {
  const stepped = await shared.turn(async (now) => {
    current = now;
    await pumpEvents(world, now, (event) => ingestEvent(handle.db, "sandbox", event, now));
    return runDueBatch(deps, { batchSize: 10 });
  });
  steps += stepped;
  if (stepped > 0) continue;
  // Nothing due for this worker: the clock moves on once the other workers' turns are over.
  if ((await shared.advance(end, { wait: true })) === "end") break;
}
await shared.close();
await handle.close();
console.log(JSON.stringify({ steps }));
