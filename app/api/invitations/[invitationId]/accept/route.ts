import { workspaceRoute } from "@/server/guard";
import { acceptInvitation, invitationIdInput } from "@/server/workspaces";

export const POST = workspaceRoute(invitationIdInput, acceptInvitation);
