import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import { myNotificationPreferences } from "@/server/notifications/get-notification-preferences";
import {
  saveMyNotificationPreferences,
  savePreferencesInput,
} from "@/server/notifications/save-notification-preferences";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await myNotificationPreferences(caller)),
);

export const PUT = workspaceRoute(savePreferencesInput, saveMyNotificationPreferences);
