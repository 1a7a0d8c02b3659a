import "server-only";

import { deleteProviderCredential } from "@/db/queries/unipile";
import type { Caller } from "../http/guard";

export async function removeUnipileCredentials(caller: Caller) {
  await deleteProviderCredential(caller.db, caller.workspace.workspaceId);
  return { configured: false };
}
