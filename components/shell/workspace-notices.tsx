import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { findProviderCredential } from "@/db/queries/unipile";
import type { Caller } from "@/server/guard";

/**
 * What the whole workspace must know, above every page: a refused Unipile API key. Everything
 * else people are told is in the notification centre (the bell).
 */
export async function WorkspaceNotices({ caller }: { caller: Caller }) {
  const credential = await findProviderCredential(caller.db, caller.workspace.workspaceId);
  if (!credential?.problem) return null;
  return (
    <div className="mb-4 space-y-2">
      <Alert tone="error">
        {credential.problem}{" "}
        <Link href="/accounts" className="font-medium underline">
          Open Accounts
        </Link>
      </Alert>
    </div>
  );
}
