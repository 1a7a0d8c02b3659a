import { listInvitations } from "@/db/queries/workspaces";
import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import { inviteMember, inviteMemberInput } from "@/server/workspaces/invite-member";

// Pending invitations say who is about to join with which role: owners and admins only.
export const GET = withWorkspace(
  async (_request, caller) =>
    Response.json({
      invitations: await listInvitations(caller.db, caller.workspace.workspaceId),
    }),
  { role: "admin" },
);

export const POST = workspaceRoute(inviteMemberInput, inviteMember, {
  role: "admin",
  status: 201,
});
