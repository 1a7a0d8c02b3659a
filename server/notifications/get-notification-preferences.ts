import "server-only";

import { emailConfigured } from "@/db/notifications/outbox";
import { notificationPreferences } from "@/db/queries/notifications";
import type { Caller } from "../http/guard";

export async function myNotificationPreferences(caller: Caller) {
  return {
    preferences: await notificationPreferences(
      caller.db,
      caller.workspace.workspaceId,
      caller.user.id,
    ),
    emailEnabled: emailConfigured(),
  };
}
