import "server-only";

import { z } from "zod";
import { addToBlocklist, leadsByIds } from "@/db/queries/leads";
import type { Caller } from "../http/guard";
import { leadSelectionInput, selectedLeadIds } from "./lead-selection";

export const blocklistSelectedInput = z.object({
  selection: leadSelectionInput,
  reason: z.string().trim().max(200).optional(),
});

/** Blocklists the selected leads: never enrolled again, and campaigns contacting them stop. */
export async function blocklistSelected(
  caller: Caller,
  input: z.infer<typeof blocklistSelectedInput>,
) {
  const { db, workspace } = caller;
  const leadIds = await selectedLeadIds(caller, input.selection);
  const leads = await leadsByIds(db, workspace.workspaceId, leadIds);
  const result = await addToBlocklist(
    db,
    workspace.workspaceId,
    leads.map((row) => ({ publicIdentifier: row.publicIdentifier, reason: input.reason || null })),
    { at: new Date(), note: `Blocklisted by ${caller.user.name}` },
  );
  return {
    selected: leads.length,
    added: result.added,
    alreadyListed: leads.length - result.added,
    stoppedEnrollments: result.stoppedEnrollments,
  };
}
