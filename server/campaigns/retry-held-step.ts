import "server-only";

import { z } from "zod";
import { releaseCampaignAlert } from "@/db/engine/alerts";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

export const retryHeldStepInput = z.object({ alertId: z.string().min(1).max(100) });

/** A person retries a held step once the cause is fixed: its leads are due again at once. */
export async function retryHeldStep(
  caller: Caller,
  input: z.infer<typeof retryHeldStepInput>,
  now: Date = new Date(),
) {
  const released = await releaseCampaignAlert(
    caller.db,
    caller.workspace.workspaceId,
    input.alertId,
    now,
  );
  if (!released) throw notFound("Alert");
  return { released: true };
}
