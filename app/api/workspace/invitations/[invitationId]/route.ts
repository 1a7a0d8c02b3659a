import { workspaceRoute } from "@/server/guard";
import { invitationIdInput, revokeInvitation } from "@/server/workspaces";

export const DELETE = workspaceRoute(invitationIdInput, revokeInvitation, { role: "admin" });
