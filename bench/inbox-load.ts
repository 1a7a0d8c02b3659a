/**
 * Reply to stop under engine load: engine worker processes (bench/worker.ts, the real engine
 * on the drizzle store) step a running campaign on the same PostgreSQL database while replies
 * arrive for leads of that very campaign, some of them held by a worker at that moment. Leads
 * are added as the engine works through them, so it never runs dry. Measured like the run
 * without load: from a reply's arrival at the event intake to the commit after which every
 * reservation for the lead refuses.
 */
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import { summarise } from "./api";
import type { LatencySummary } from "./dashboard";
import { addLeads, seedBench } from "./setup";
import type { WorkerConfig } from "./worker";

const WORKER = path.resolve("bench/worker.ts");
const BATCH = 5_000;

export interface LoadedReplyResult {
  replyToStop: LatencySummary;
  workers: number;
  /** The engine's sends per second while the replies were measured. */
  engineSendsPerSecond: number;
}

function startWorker(config: WorkerConfig): { child: ChildProcess; ready: Promise<void> } {
  const child = fork(WORKER, [JSON.stringify(config)], {
    execArgv: ["--conditions=react-server", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on("message", (message: { type?: string }) => {
      if (message.type === "ready") resolve();
    });
    child.on("exit", (code) => reject(new Error(`engine worker exited with ${code}`)));
  });
  return { child, ready };
}

export async function measureReplyToStopUnderLoad(
  db: Database,
  databaseUrl: string,
  options: { replies: number; workers: number; log: (line: string) => void },
): Promise<LoadedReplyResult> {
  const seeded = await seedBench(db, { leads: 2 * BATCH, accounts: 2 });
  const workers = Array.from({ length: options.workers }, (_, index) =>
    startWorker({
      database: { kind: "postgres", url: databaseUrl },
      mode: "engine",
      index,
      batchSize: 100,
      leaseMs: 30_000,
      clockScale: 3600,
      warmupMs: 0,
      measureMs: 30 * 60_000,
    }),
  );
  const stop = () => {
    for (const { child } of workers) if (child.exitCode === null) child.kill();
  };
  try {
    await Promise.all(workers.map((w) => w.ready));
    const go = Date.now() + 100;
    for (const { child } of workers) child.send({ type: "go", at: go });
    // Keep the engine busy: more leads whenever fewer than a batch wait at the start.
    let refilling = false;
    const refill = setInterval(async () => {
      if (refilling) return;
      refilling = true;
      try {
        const [row] = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from enrollment
               where campaign_id = ${seeded.campaignId} and node_id = 'start'`,
        );
        if ((row?.n ?? 0) < BATCH) await addLeads(db, seeded, seeded.leads + BATCH);
      } finally {
        refilling = false;
      }
    }, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sends = async () =>
      (
        await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from action where workspace_id = ${seeded.workspaceId}`,
        )
      )[0]?.n ?? 0;
    const sentBefore = await sends();
    const began = performance.now();
    const stops: number[] = [];
    try {
      for (let i = 0; i < options.replies; i++) {
        // A lead among the newest batch: waiting, or being stepped by a worker right now.
        const n = Math.max(1, seeded.leads - ((i * 37) % BATCH));
        const account = seeded.accountIds[n % seeded.accountIds.length] as string;
        const index = seeded.accountIds.indexOf(account);
        const at = new Date();
        const start = performance.now();
        const outcome = await ingestEvent(
          db,
          "sandbox",
          {
            externalId: `bench-loaded-reply-${i}`,
            type: "replied",
            providerAccountId: `bench-${seeded.workspaceId.slice(0, 8)}-${index}`,
            leadPublicIdentifier: `bench-${String(n).padStart(7, "0")}`,
            occurredAt: at,
            text: i % 2 ? "Sounds good, what does it cost?" : "Not interested, thanks.",
          },
          at,
        );
        stops.push(performance.now() - start);
        if (outcome !== "stored") throw new Error(`reply ${i}: ${outcome}`);
        if (i % 250 === 249) options.log(`Inbox: ${i + 1} replies under load…`);
      }
    } finally {
      clearInterval(refill);
    }
    const seconds = (performance.now() - began) / 1000;
    const engineSendsPerSecond = Math.round((await sends()) - sentBefore) / seconds;
    return {
      replyToStop: summarise(stops),
      workers: options.workers,
      engineSendsPerSecond: Math.round(engineSendsPerSecond),
    };
  } finally {
    stop();
  }
}
