import { workspaceRoute } from "@/server/http/guard";
import { acceptInvitation, invitationTokenInput } from "@/server/workspaces/accept-invitation";

export const POST = workspaceRoute(invitationTokenInput, acceptInvitation);
