import { workspaceRoute } from "@/server/http/guard";
import { acceptInvitation, invitationTokenInput } from "@/server/workspaces";

export const POST = workspaceRoute(invitationTokenInput, acceptInvitation);
