import { workspaceRoute } from "@/server/http/guard";
import {
  markMyNotificationsRead,
  markReadInput,
} from "@/server/notifications/mark-notifications-read";

export const POST = workspaceRoute(markReadInput, (caller, input) =>
  markMyNotificationsRead(caller, input),
);
