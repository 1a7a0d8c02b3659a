import { listMembers } from "@/db/queries/workspaces";
import { withWorkspace } from "@/server/http/guard";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json({ members: await listMembers(caller.db, caller.workspace.workspaceId) }),
);
