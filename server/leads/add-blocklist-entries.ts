import "server-only";

import { z } from "zod";
import { addToBlocklist } from "@/db/queries/leads";
import { profileReferenceSchema } from "@/workflows/leads/index";
import type { Caller } from "../http/guard";
import { MAX_BLOCKLIST_ENTRIES } from "./lead-shared";

export const addToBlocklistInput = z.object({
  /** Profile addresses or public identifiers: a pasted list or a file's column. */
  publicIdentifiers: z
    .array(profileReferenceSchema)
    .min(1, "Give at least one profile.")
    .max(
      MAX_BLOCKLIST_ENTRIES,
      `Add at most ${MAX_BLOCKLIST_ENTRIES.toLocaleString("en-US")} profiles at a time.`,
    ),
  reason: z.string().trim().max(200).optional(),
});

/**
 * Blocklists profiles: they are never enrolled again, and campaigns contacting them now stop
 * (their enrollments are removed, as by hand).
 */
export async function addBlocklistEntries(
  caller: Caller,
  input: z.infer<typeof addToBlocklistInput>,
) {
  const { db, workspace } = caller;
  const identifiers = [...new Set(input.publicIdentifiers)];
  const result = await addToBlocklist(
    db,
    workspace.workspaceId,
    identifiers.map((publicIdentifier) => ({ publicIdentifier, reason: input.reason || null })),
    { at: new Date(), note: `Blocklisted by ${caller.user.name}` },
  );
  return {
    received: identifiers.length,
    added: result.added,
    alreadyListed: identifiers.length - result.added,
    stoppedEnrollments: result.stoppedEnrollments,
  };
}
