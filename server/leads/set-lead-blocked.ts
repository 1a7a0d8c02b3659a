import "server-only";

import { z } from "zod";
import { addToBlocklist, findLead, removeFromBlocklist } from "@/db/queries/leads";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { id } from "./lead-shared";

/** Blocklists or unblocks one lead of the workspace, by its id (the lead page's button). */
export const setLeadBlockedInput = z.object({
  leadId: id,
  blocked: z.boolean(),
  reason: z.string().trim().max(200).optional(),
});

export async function setLeadBlocked(caller: Caller, input: z.infer<typeof setLeadBlockedInput>) {
  const { db, workspace } = caller;
  const row = await findLead(db, workspace.workspaceId, input.leadId);
  if (!row) throw notFound("Lead");
  if (input.blocked) {
    const result = await addToBlocklist(
      db,
      workspace.workspaceId,
      [{ publicIdentifier: row.publicIdentifier, reason: input.reason || null }],
      { at: new Date(), note: `Blocklisted by ${caller.user.name}` },
    );
    return { leadId: row.id, blocked: true, stoppedEnrollments: result.stoppedEnrollments };
  }
  await removeFromBlocklist(db, workspace.workspaceId, [row.publicIdentifier]);
  return { leadId: row.id, blocked: false, stoppedEnrollments: 0 };
}
