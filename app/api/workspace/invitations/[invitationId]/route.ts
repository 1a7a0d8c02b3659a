import { workspaceRoute } from "@/server/http/guard";
import { invitationIdInput, revokeInvitation } from "@/server/workspaces";

export const DELETE = workspaceRoute(invitationIdInput, revokeInvitation, { role: "admin" });
