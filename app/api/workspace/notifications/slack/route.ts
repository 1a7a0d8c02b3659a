import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import {
  saveSlackInput,
  saveWorkspaceSlack,
  workspaceSlack,
} from "@/server/notifications/notification-settings";

export const GET = withWorkspace(
  async (_request, caller) => Response.json(await workspaceSlack(caller)),
  { role: "admin" },
);

export const PUT = workspaceRoute(saveSlackInput, saveWorkspaceSlack, { role: "admin" });
