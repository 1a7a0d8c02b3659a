import { workspaceRoute } from "@/server/guard";
import { switchWorkspace, switchWorkspaceInput } from "@/server/workspaces";

export const POST = workspaceRoute(switchWorkspaceInput, switchWorkspace);
