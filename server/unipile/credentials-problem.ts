import "server-only";

import type { Database } from "@/db/client";
import { closeNotifications, notifyWorkspace } from "@/db/queries/notifications";
import { clearCredentialsProblem, markCredentialsProblem } from "@/db/queries/unipile";

/** The dedupe key of the "check the API key" notification. */
const CREDENTIALS_NOTICE = "unipile-credentials";

/**
 * Unipile refused the workspace's API key (wrong, rotated or revoked): a banner on the
 * workspace and, once per problem, a notification to its owners and admins. Seats keep their
 * status: their LinkedIn sessions are not in question.
 */
export async function reportCredentialsProblem(
  db: Database,
  workspaceId: string,
  detail: string | null,
  at: Date,
) {
  const problem = `Unipile refused the workspace's API key${detail ? ` (${detail})` : ""}: check the Unipile API key under Accounts → Real LinkedIn accounts.`;
  const fresh = await markCredentialsProblem(db, workspaceId, problem, at);
  if (!fresh) return;
  await notifyWorkspace(db, {
    workspaceId,
    kind: "unipile_credentials",
    title: "Check the Unipile API key",
    body: "Unipile refused the workspace's API key, so nothing is being sent from real LinkedIn accounts. Save a valid key under Accounts → Real LinkedIn accounts; the seats resume on their own.",
    link: "/accounts",
    dedupeKey: CREDENTIALS_NOTICE,
    at,
  });
}

/** The key works again (saved anew, or a test succeeded): the banner and the notice go. */
export async function clearCredentialsProblemFor(db: Database, workspaceId: string, at: Date) {
  await clearCredentialsProblem(db, workspaceId);
  await closeNotifications(db, workspaceId, CREDENTIALS_NOTICE, at);
}
