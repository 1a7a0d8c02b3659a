import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import {
  myNotificationPreferences,
  saveMyNotificationPreferences,
  savePreferencesInput,
} from "@/server/notifications/notification-settings";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await myNotificationPreferences(caller)),
);

export const PUT = workspaceRoute(savePreferencesInput, saveMyNotificationPreferences);
