import { workspaceRoute } from "@/server/guard";
import { markMyNotificationsRead, markReadInput } from "@/server/notifications";

export const POST = workspaceRoute(markReadInput, (caller, input) =>
  markMyNotificationsRead(caller, input),
);
