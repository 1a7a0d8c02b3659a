// One of several engine workers sharing a PostgreSQL database and a virtual clock kept in the
// table sim_clock. A worker advances the clock only when nothing is due and no other worker
// holds a lease, so the clock never runs ahead of work in progress.
// Usage (bundled by test/bundle.ts, or through tsx): node --import tsx test/shared-clock-worker.ts <databaseUrl> <endIso> <seed>
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import { nextWakeUp } from "@/db/engine/simulation";
import { createEngineStore } from "@/db/engine/store";
import { createDatabaseSandboxStore } from "@/db/sandbox-store";
import type { Clock } from "@/workflows/engine/clock";
import { pumpEvents, runDueBatch } from "@/workflows/engine/worker";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";

const [url, endIso, seed] = process.argv.slice(2);
if (!url || !endIso || !seed) throw new Error("bad arguments");
const end = new Date(endIso);
const handle = await openDatabase({ kind: "postgres", url, poolSize: 3 });
let current = new Date(0);
const clock: Clock = { now: () => current };
const readClock = async () => {
  const [row] = await queryRows<{ now: string | Date }>(handle.db, sql`select now from sim_clock`);
  current = new Date(row!.now);
};
const world = new SandboxWorld({ seed, store: createDatabaseSandboxStore(handle.db) });
const deps = {
  store: createEngineStore(handle.db),
  provider: world,
  clock,
  owner: `worker-${process.pid}`,
};
let steps = 0;
for (;;) {
  await readClock();
  const now = clock.now();
  await pumpEvents(world, now, (event) => ingestEvent(handle.db, "sandbox", event, now));
  const stepped = await runDueBatch(deps, { batchSize: 10 });
  steps += stepped;
  if (stepped > 0) continue;
  const [busy] = await queryRows<{ n: number }>(
    handle.db,
    sql`select count(*)::int as n from enrollment
         where lease_owner is not null and lease_expires_at > ${now.toISOString()}`,
  );
  if ((busy?.n ?? 0) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    continue;
  }
  const next = await nextWakeUp(handle);
  if (!next || next.getTime() > end.getTime()) break;
  await handle.db.execute(
    sql`update sim_clock set now = greatest(now, ${new Date(Math.max(next.getTime(), now.getTime() + 1)).toISOString()}::timestamptz)`,
  );
}
await handle.close();
console.log(JSON.stringify({ steps }));
