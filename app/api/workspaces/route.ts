import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import { createWorkspace, createWorkspaceInput } from "@/server/workspaces/create-workspace";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json({
    active: caller.workspace.workspaceId,
    workspaces: caller.memberships.map((m) => ({
      id: m.workspaceId,
      name: m.workspaceName,
      role: m.role,
    })),
  }),
);

export const POST = workspaceRoute(createWorkspaceInput, createWorkspace, { status: 201 });
