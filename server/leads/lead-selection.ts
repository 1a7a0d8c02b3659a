import "server-only";

import { z } from "zod";
import { leadIdsMatching, leadsByIds } from "@/db/queries/leads";
import type { Caller } from "../http/guard";
import { leadFilterOf, listLeadsInput } from "./list-leads";

// What the leads list does to many leads at once: the ones ticked on the page, or every lead
// its filters match. Ids are looked up inside the caller's workspace, so another workspace's
// leads and campaigns are never touched.

/** A bulk operation takes at most this many leads: an import's worth. */
export const MAX_SELECTED_LEADS = 20_000;

export const id = z.string().min(1).max(100);

export const leadSelectionInput = z
  .object({
    /** The leads ticked on the page. */
    leadIds: z.array(id).min(1).max(MAX_SELECTED_LEADS).optional(),
    /** Or every lead the list's filters match. */
    filter: listLeadsInput.omit({ page: true, pageSize: true }).optional(),
  })
  .refine((selection) => (selection.leadIds ? !selection.filter : !!selection.filter), {
    message: "Choose the leads: tick them, or select every lead the filters match.",
  });

export type LeadSelection = z.infer<typeof leadSelectionInput>;

export async function selectedLeadIds(caller: Caller, selection: LeadSelection): Promise<string[]> {
  const { db, workspace } = caller;
  if (selection.leadIds) {
    const rows = await leadsByIds(db, workspace.workspaceId, [...new Set(selection.leadIds)]);
    return rows.map((row) => row.id);
  }
  const { filter } = await leadFilterOf(caller, selection.filter ?? {});
  return leadIdsMatching(db, workspace.workspaceId, filter, MAX_SELECTED_LEADS);
}
