import "server-only";

import type { Database } from "@/db/client";
import { poolsWithUnipileSeats } from "@/db/queries/unipile";
import type { UnipileAdapters } from "./adapters";
import { runDueInboxBackfills } from "./backfill";
import { syncPoolWithLinkedIn } from "./credits";
import { pollUnipileAcceptances } from "./polling";
import { processPendingUnipileDeliveries } from "./webhooks";

/** A few times a day: acceptance webhooks can lag up to 8 hours. */
export const ACCEPTANCE_POLL_EVERY_MS = 6 * 60 * 60 * 1000;

export interface UnipileBackground {
  /** Called on every engine tick; does the periodic work that is due. */
  tick(now: Date): Promise<void>;
}

/**
 * The Unipile work the engine process does besides stepping leads: webhook deliveries left
 * unprocessed by a stopped process, the inbox backfills of seats just (re)connected, and, a
 * few times a day, the relations poll and the InMail
 * balance sync.
 */
export function createUnipileBackground(
  db: Database,
  adapters: UnipileAdapters,
  options: { pollEveryMs?: number; log?: (message: string) => void } = {},
): UnipileBackground {
  const every = options.pollEveryMs ?? ACCEPTANCE_POLL_EVERY_MS;
  let lastPoll: number | null = null;
  return {
    async tick(now) {
      await processPendingUnipileDeliveries(db, now);
      await runDueInboxBackfills(db, adapters, now, { log: options.log });
      if (lastPoll !== null && now.getTime() - lastPoll < every) return;
      lastPoll = now.getTime();
      const polled = await pollUnipileAcceptances(db, adapters, now);
      if (polled.accepted > 0 || polled.failed > 0) {
        options.log?.(
          `Unipile relations poll: ${polled.accepted} acceptance(s) found, ${polled.failed} seat(s) not readable`,
        );
      }
      for (const poolId of await poolsWithUnipileSeats(db)) {
        await syncPoolWithLinkedIn(db, adapters, poolId, now);
      }
    },
  };
}
