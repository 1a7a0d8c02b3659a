import { workspaceRoute } from "@/server/http/guard";
import {
  markMyNotificationsRead,
  markReadInput,
} from "@/server/notifications/notification-settings";

export const POST = workspaceRoute(markReadInput, (caller, input) =>
  markMyNotificationsRead(caller, input),
);
