import "server-only";

import { z } from "zod";
import { removeFromBlocklist } from "@/db/queries/leads";
import { profileReferenceSchema } from "@/workflows/leads/index";
import type { Caller } from "../http/guard";
import { MAX_BLOCKLIST_ENTRIES } from "./lead-shared";

export const removeFromBlocklistInput = z.object({
  publicIdentifiers: z
    .array(profileReferenceSchema)
    .min(1, "Give at least one profile.")
    .max(MAX_BLOCKLIST_ENTRIES),
});

export async function removeBlocklistEntries(
  caller: Caller,
  input: z.infer<typeof removeFromBlocklistInput>,
) {
  const { db, workspace } = caller;
  const identifiers = [...new Set(input.publicIdentifiers)];
  const removed = await removeFromBlocklist(db, workspace.workspaceId, identifiers);
  return { removed };
}
