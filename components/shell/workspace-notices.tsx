import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { WorkspaceNoticesView } from "@/server/workspace-notices";

/**
 * What the whole workspace must know, above every page: a refused Unipile API key (the
 * credentials banner) and, for owners and admins, unread notifications such as a held step.
 */
export function WorkspaceNotices({ credentialProblem, notices }: WorkspaceNoticesView) {
  if (!credentialProblem && notices.length === 0) return null;
  return (
    <div className="mb-4 space-y-2">
      {credentialProblem ? (
        <Alert tone="error">
          {credentialProblem}{" "}
          <Link href="/accounts" className="font-medium underline">
            Open Accounts
          </Link>
        </Alert>
      ) : null}
      {notices.map((notice) => (
        <Alert key={notice.id} tone="warning">
          <span className="font-medium">{notice.title}.</span> {notice.body}
        </Alert>
      ))}
    </div>
  );
}
