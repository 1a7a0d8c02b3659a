import "server-only";

import { z } from "zod";
import { saveNotificationPreferences } from "@/db/queries/notifications";
import { NOTIFICATION_CHANNELS, type NotificationKind } from "@/workflows/notifications/kinds";
import type { Caller } from "../http/guard";
import { myNotificationPreferences } from "./get-notification-preferences";
import { kindSchema } from "./notification-shared";

const channelSchema = z.enum(NOTIFICATION_CHANNELS);

export const savePreferencesInput = z.object({
  preferences: z.partialRecord(kindSchema, channelSchema),
});

export async function saveMyNotificationPreferences(
  caller: Caller,
  input: z.infer<typeof savePreferencesInput>,
) {
  await saveNotificationPreferences(
    caller.db,
    caller.workspace.workspaceId,
    caller.user.id,
    input.preferences as Partial<Record<NotificationKind, z.infer<typeof channelSchema>>>,
  );
  return myNotificationPreferences(caller);
}
