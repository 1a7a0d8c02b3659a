import { listUnreadNotifications } from "@/db/queries/notifications";
import { findProviderCredential } from "@/db/queries/unipile";
import type { Caller } from "./guard";

/** What every page of the workspace shows above itself (components/shell/workspace-notices). */
export interface WorkspaceNoticesView {
  /** Why the workspace's Unipile API key is refused, if it is. */
  credentialProblem: string | null;
  /** Unread notifications for the caller's role, other than the credentials one. */
  notices: Array<{ id: string; title: string; body: string | null }>;
}

/** The credentials problem and, for owners and admins, unread notices such as a held step. */
export async function readWorkspaceNotices(caller: Caller): Promise<WorkspaceNoticesView> {
  const workspaceId = caller.workspace.workspaceId;
  const [credential, notices] = await Promise.all([
    findProviderCredential(caller.db, workspaceId),
    listUnreadNotifications(caller.db, workspaceId, caller.workspace.role, 3),
  ]);
  return {
    credentialProblem: credential?.problem ?? null,
    notices: notices
      .filter((n) => n.kind !== "unipile_credentials")
      .map((n) => ({ id: n.id, title: n.title, body: n.body })),
  };
}
