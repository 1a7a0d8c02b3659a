import "server-only";

import { findProviderCredential } from "@/db/queries/unipile";
import type { Caller } from "../http/guard";

/** What every page of the workspace shows above itself (components/shell/workspace-notices). */
export interface WorkspaceNoticesView {
  /** Why the workspace's Unipile API key is refused, if it is. */
  credentialProblem: string | null;
}

/** The credentials problem; everything else people are told is in the notification centre. */
export async function readWorkspaceNotices(caller: Caller): Promise<WorkspaceNoticesView> {
  const credential = await findProviderCredential(caller.db, caller.workspace.workspaceId);
  return { credentialProblem: credential?.problem ?? null };
}
