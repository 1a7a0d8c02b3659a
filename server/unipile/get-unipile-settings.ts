import "server-only";

import { findProviderCredential } from "@/db/queries/unipile";
import type { UnipileSettingsView } from "@/views/unipile";
import type { Caller } from "../http/guard";
import { ENCRYPTION_KEY_HELP, encryptionKeyFrom } from "./crypto";

/** What the accounts page shows about the workspace's Unipile set-up. Never the key. */
export async function getUnipileSettings(caller: Caller): Promise<UnipileSettingsView> {
  const row = await findProviderCredential(caller.db, caller.workspace.workspaceId);
  let problem: string | null = null;
  let keySet = false;
  try {
    keySet = encryptionKeyFrom() !== null;
    if (!keySet) problem = ENCRYPTION_KEY_HELP;
  } catch (error) {
    problem = (error as Error).message;
  }
  return {
    configured: row !== null,
    dsn: row?.dsn ?? null,
    updatedAt: row?.updatedAt ?? null,
    encryptionKeySet: keySet,
    encryptionKeyProblem: problem,
    credentialsProblem: row?.problem ?? null,
  };
}
