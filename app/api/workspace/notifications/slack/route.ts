import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import { workspaceSlack } from "@/server/notifications/get-workspace-slack";
import { saveSlackInput, saveWorkspaceSlack } from "@/server/notifications/save-workspace-slack";

export const GET = withWorkspace(
  async (_request, caller) => Response.json(await workspaceSlack(caller)),
  { role: "admin" },
);

export const PUT = workspaceRoute(saveSlackInput, saveWorkspaceSlack, { role: "admin" });
