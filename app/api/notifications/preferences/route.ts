import { withWorkspace, workspaceRoute } from "@/server/guard";
import {
  myNotificationPreferences,
  saveMyNotificationPreferences,
  savePreferencesInput,
} from "@/server/notifications";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await myNotificationPreferences(caller)),
);

export const PUT = workspaceRoute(savePreferencesInput, saveMyNotificationPreferences);
