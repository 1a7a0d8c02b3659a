import { workspaceRoute } from "@/server/http/guard";
import { invitationIdInput, revokeInvitation } from "@/server/workspaces/revoke-invitation";

export const DELETE = workspaceRoute(invitationIdInput, revokeInvitation, { role: "admin" });
