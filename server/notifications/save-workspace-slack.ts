import "server-only";

import { z } from "zod";
import { saveNotificationSlack } from "@/db/queries/notifications";
import { NOTIFICATION_KINDS } from "@/workflows/notifications/kinds";
import type { Caller } from "../http/guard";
import { kindSchema } from "./notification-shared";
import { assertSlackWebhookUrl } from "./slack";

export const saveSlackInput = z.union([
  z
    .object({
      url: z.string().trim().min(1).max(500),
      kinds: z.array(kindSchema).max(NOTIFICATION_KINDS.length),
    })
    .strict(),
  z.object({ url: z.null() }).strict(),
]);

/** Sets (owners and admins) the workspace's Slack incoming webhook and its kinds, or removes it. */
export async function saveWorkspaceSlack(caller: Caller, input: z.infer<typeof saveSlackInput>) {
  if (input.url === null) {
    await saveNotificationSlack(caller.db, caller.workspace.workspaceId, null, new Date());
    return { url: null, kinds: [] };
  }
  const url = (await assertSlackWebhookUrl(input.url)).toString();
  const kinds = [...new Set(input.kinds)];
  await saveNotificationSlack(caller.db, caller.workspace.workspaceId, { url, kinds }, new Date());
  return { url, kinds };
}
