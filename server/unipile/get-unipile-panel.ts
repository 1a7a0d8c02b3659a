import "server-only";

import { listUnipileAccountsNeedingReconnect } from "@/db/queries/unipile";
import type { UnipilePanelView } from "@/views/unipile";
import type { Caller } from "../http/guard";
import { getUnipileSettings } from "./get-unipile-settings";

/** Everything the accounts page shows about real LinkedIn seats, in one read. */
export async function getUnipilePanel(caller: Caller): Promise<UnipilePanelView> {
  const [settings, needsReconnect] = await Promise.all([
    getUnipileSettings(caller),
    listUnipileAccountsNeedingReconnect(caller.db, caller.workspace.workspaceId),
  ]);
  return { ...settings, needsReconnect };
}
