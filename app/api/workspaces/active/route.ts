import { workspaceRoute } from "@/server/http/guard";
import { switchWorkspace, switchWorkspaceInput } from "@/server/workspaces/switch-workspace";

export const POST = workspaceRoute(switchWorkspaceInput, switchWorkspace);
