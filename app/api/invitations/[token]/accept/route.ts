import { workspaceRoute } from "@/server/guard";
import { acceptInvitation, invitationTokenInput } from "@/server/workspaces";

export const POST = workspaceRoute(invitationTokenInput, acceptInvitation);
