import "server-only";

import { findNotificationSlack } from "@/db/queries/notifications";
import type { Caller } from "../http/guard";

export async function workspaceSlack(caller: Caller) {
  const slack = await findNotificationSlack(caller.db, caller.workspace.workspaceId);
  return { url: slack?.url ?? null, kinds: slack?.kinds ?? [] };
}
