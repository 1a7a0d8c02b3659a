import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { listUnreadNotifications } from "@/db/queries/notifications";
import { findProviderCredential } from "@/db/queries/unipile";
import type { Caller } from "@/server/guard";

/**
 * What the whole workspace must know, above every page: a refused Unipile API key (the
 * credentials banner) and, for owners and admins, unread notifications such as a held step.
 */
export async function WorkspaceNotices({ caller }: { caller: Caller }) {
  const workspaceId = caller.workspace.workspaceId;
  const [credential, notices] = await Promise.all([
    findProviderCredential(caller.db, workspaceId),
    listUnreadNotifications(caller.db, workspaceId, caller.workspace.role, 3),
  ]);
  const others = notices.filter((n) => n.kind !== "unipile_credentials");
  if (!credential?.problem && others.length === 0) return null;
  return (
    <div className="mb-4 space-y-2">
      {credential?.problem ? (
        <Alert tone="error">
          {credential.problem}{" "}
          <Link href="/accounts" className="font-medium underline">
            Open Accounts
          </Link>
        </Alert>
      ) : null}
      {others.map((notice) => (
        <Alert key={notice.id} tone="warning">
          <span className="font-medium">{notice.title}.</span> {notice.body}
        </Alert>
      ))}
    </div>
  );
}
