import { workspaceRoute } from "@/server/http/guard";
import { switchWorkspace, switchWorkspaceInput } from "@/server/workspaces";

export const POST = workspaceRoute(switchWorkspaceInput, switchWorkspace);
