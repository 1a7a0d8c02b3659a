import "server-only";

import { findProviderCredential } from "@/db/queries/unipile";
import type { WorkspaceNoticesView } from "@/views/workspaces";
import type { Caller } from "../http/guard";

/** The credentials problem; everything else people are told is in the notification centre. */
export async function readWorkspaceNotices(caller: Caller): Promise<WorkspaceNoticesView> {
  const credential = await findProviderCredential(caller.db, caller.workspace.workspaceId);
  return { credentialProblem: credential?.problem ?? null };
}
