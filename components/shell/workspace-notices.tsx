import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { WorkspaceNoticesView } from "@/views/workspaces";

/**
 * What the whole workspace must know, above every page: a refused Unipile API key. Everything
 * else people are told is in the notification centre (the bell).
 */
export function WorkspaceNotices({ credentialProblem }: WorkspaceNoticesView) {
  if (!credentialProblem) return null;
  return (
    <div className="mb-4 space-y-2">
      <Alert tone="error">
        {credentialProblem}{" "}
        <Link href="/accounts" className="font-medium underline">
          Open Accounts
        </Link>
      </Alert>
    </div>
  );
}
