import "server-only";

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import type { DatabaseHandle } from "@/db/client";
import { compactCampaignCounters, compactLeadCounters } from "@/db/engine/counters";
import { checkCreditAlerts } from "@/db/engine/credit-alerts";
import { ingestEvent } from "@/db/engine/events";
import { nextDueAfter } from "@/db/engine/next-due";
import { createEngineStore } from "@/db/engine/store";
import { recordingSentTexts } from "@/db/inbox/sent-texts";
import { createDatabaseSandboxStore } from "@/db/sandbox-store";
import {
  type AcceleratedClock,
  acceleratedClock,
  type Clock,
  realClock,
} from "@/workflows/engine/clock";
import type { EngineDeps } from "@/workflows/engine/step";
import { pumpEvents, runDueBatch, runDueKeepingUp } from "@/workflows/engine/worker";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import { describeFailure } from "../http/errors";
import { reconcileAnswers } from "../inbox/answer";
import { deliverDueNotifications } from "../notifications/deliver";
import { createUnipileAdapters } from "../unipile/adapters";
import { createUnipileBackground } from "../unipile/background";
import { deliverDueWebhooks } from "../webhooks/deliver";
import { createProviderRouter } from "./provider-router";

/** How often an idle worker looks for due webhooks: the partial index makes it cheap. */
export const WEBHOOK_POLL_MS = 250;
/** How often (real time) the credit pools are checked for a low balance or a coming forfeit. */
const CREDIT_CHECK_MS = 30_000;
/** How often (real time) the dashboard counters' per-connection shards are folded together. */
const COUNTER_COMPACTION_MS = 10 * 60_000;

/** Seed of the built-in sandbox LinkedIn: the same people for every install. */
export const SANDBOX_SEED = "outflow-sandbox";

/** Real milliseconds a turn works through due work before yielding to the server. */
const TURN_BUDGET_MS = 2000;

export interface EngineRuntime {
  clock: Clock;
  /**
   * True while the accelerated clock is slowed to keep up: the last turn ended with work still
   * due, so virtual time waits for the engine. Always false on real time.
   */
  slowed(): boolean;
  stop(): Promise<void>;
}

export interface EngineRuntimeOptions {
  owner?: string;
  /** Real milliseconds between two polls when nothing is due. */
  pollMs?: number;
  /** Virtual time runs this many times faster than real time (the local demo). */
  timeScale?: number;
  /** Where the accelerated clock keeps its reading across restarts. */
  clockFile?: string;
  log?: (message: string) => void;
}

/**
 * The demo clock's saved reading, or null when there is none or it cannot be read: a file cut
 * short by a crash or a full disk must not stop the app, so the clock then starts afresh.
 */
export function readClockFile(file: string, log?: (message: string) => void): Date | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const saved = JSON.parse(text) as { virtualNow?: unknown };
    const at = typeof saved?.virtualNow === "string" ? new Date(saved.virtualNow) : null;
    if (at && Number.isFinite(at.getTime())) return at;
  } catch {
    // unreadable: said below
  }
  log?.(`the demo clock file ${file} could not be read; the clock starts from now`);
  return null;
}

/** Saves the demo clock whole or not at all: written beside it, then renamed over it. */
export function writeClockFile(file: string, virtualNow: Date): void {
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, JSON.stringify({ virtualNow: virtualNow.toISOString() }));
  renameSync(draft, file);
}

/**
 * An accelerated clock that resumes where it stopped: leads scheduled in the virtual future
 * stay in the future after a restart instead of the clock jumping back to real time.
 */
function resumableClock(
  scale: number,
  file: string | undefined,
  log: (m: string) => void,
): AcceleratedClock {
  let origin = file ? readClockFile(file, log) : null;
  if (!origin || origin.getTime() < Date.now()) origin = new Date();
  return acceleratedClock({ scale, origin });
}

/**
 * Runs the engine inside this process: claims due enrollments, steps them against the sandbox
 * LinkedIn or the seat's Unipile, and delivers the sandbox's acceptances and replies through
 * the event path the webhooks use. Waits live in the database, so stopping and starting loses nothing.
 */
export function startEngineRuntime(
  handle: DatabaseHandle,
  options: EngineRuntimeOptions = {},
): EngineRuntime {
  const log = options.log ?? ((message: string) => console.log(`[outflow engine] ${message}`));
  const scale = options.timeScale ?? 1;
  const accelerated = scale === 1 ? null : resumableClock(scale, options.clockFile, log);
  const clock: Clock = accelerated ?? realClock;
  const world = new SandboxWorld({
    seed: SANDBOX_SEED,
    store: createDatabaseSandboxStore(handle.db),
  });
  // Sandbox seats go to the simulated world, real seats to their workspace's Unipile.
  const unipile = createUnipileAdapters(handle.db);
  const unipileBackground = createUnipileBackground(handle.db, unipile, { log });
  const deps: EngineDeps = {
    store: createEngineStore(handle.db),
    provider: recordingSentTexts(
      createProviderRouter({ db: handle.db, sandbox: world, unipile, log }),
      handle.db,
      log,
    ),
    clock,
    owner: options.owner ?? `${hostname()}:${process.pid}`,
  };
  const pollMs = options.pollMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  let creditsCheckedAt = 0;
  let countersCompactedAt = Date.now();
  let behind = false;
  const tick = async () => {
    const now = clock.now();
    if (Date.now() - creditsCheckedAt >= CREDIT_CHECK_MS) {
      creditsCheckedAt = Date.now();
      await checkCreditAlerts(handle.db, now).catch((error) =>
        log(`credit check failed: ${describeFailure(error)}`),
      );
    }
    if (Date.now() - countersCompactedAt >= COUNTER_COMPACTION_MS) {
      countersCompactedAt = Date.now();
      await compactCampaignCounters(handle.db).catch((error) =>
        log(`counter compaction failed: ${describeFailure(error)}`),
      );
      await compactLeadCounters(handle.db).catch((error) =>
        log(`lead counter compaction failed: ${describeFailure(error)}`),
      );
    }
    await pumpEvents(world, now, (event) => ingestEvent(handle.db, "sandbox", event, now));
    // Answers a crash or a timeout left unresolved are asked about before anything else.
    await reconcileAnswers(handle.db, deps.provider).catch((error) =>
      log(`answer reconciliation failed: ${describeFailure(error)}`),
    );
    // Webhook deliveries a stopped process left behind, the relations poll, the credit sync.
    await unipileBackground
      .tick(now)
      .catch((error) => log(`Unipile upkeep failed: ${describeFailure(error)}`));
    // Work through what is due, but yield regularly so the server stays responsive. The
    // accelerated clock waits for the engine instead of running past work that is due.
    if (accelerated) {
      const turn = await runDueKeepingUp(
        { ...deps, clock: accelerated },
        {
          budgetMs: TURN_BUDGET_MS,
          nextDueAfter: (at) => nextDueAfter(handle.db, at),
          stopped: () => stopped,
        },
      );
      behind = turn.behind;
    } else {
      const deadline = Date.now() + TURN_BUDGET_MS;
      while (!stopped && Date.now() < deadline) {
        if ((await runDueBatch(deps)) === 0) break;
      }
    }
    if (options.clockFile && scale !== 1) writeClockFile(options.clockFile, clock.now());
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        // Never the error itself: a failed query's message carries its parameters (lead data).
        .catch((error) => log(`step failed: ${describeFailure(error)}`))
        .finally(schedule);
    }, pollMs);
    timer.unref?.();
  };
  schedule();

  // Outgoing webhooks, then notification emails and Slack posts, on their own loop, in real
  // time: a slow receiver never holds the engine.
  let webhookTimer: NodeJS.Timeout | undefined;
  let delivering: Promise<void> = Promise.resolve();
  const deliverLoop = () => {
    if (stopped) return;
    webhookTimer = setTimeout(() => {
      delivering = (async () => {
        while (
          !stopped &&
          (await deliverDueWebhooks(handle.db, { owner: deps.owner })).claimed > 0
        );
        while (
          !stopped &&
          (await deliverDueNotifications(handle.db, { owner: deps.owner })).claimed > 0
        );
      })()
        .catch((error) =>
          log(`webhook delivery failed: ${error instanceof Error ? error.message : error}`),
        )
        .finally(deliverLoop);
    }, WEBHOOK_POLL_MS);
    webhookTimer.unref?.();
  };
  deliverLoop();
  log(
    `running in this process (${scale === 1 ? "real time" : `time ×${scale}`}, sandbox LinkedIn and Unipile seats)`,
  );

  return {
    clock,
    slowed: () => behind,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (webhookTimer) clearTimeout(webhookTimer);
      await Promise.all([running, delivering]);
    },
  };
}

/** The data directory's sibling file where the demo clock is kept. */
export function clockFileFor(handle: DatabaseHandle): string | undefined {
  return handle.kind === "pglite"
    ? path.join(path.dirname(handle.location), "clock.json")
    : undefined;
}
