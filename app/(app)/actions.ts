"use server";
import { workspaceAction } from "@/server/http/guard";
import { acceptInvitation, invitationTokenInput } from "@/server/workspaces/accept-invitation";
import { changeMemberRole, changeRoleInput } from "@/server/workspaces/change-member-role";
import { createWorkspace, createWorkspaceInput } from "@/server/workspaces/create-workspace";
import { inviteMember, inviteMemberInput } from "@/server/workspaces/invite-member";
import { memberIdInput, removeMember } from "@/server/workspaces/remove-member";
import { invitationIdInput, revokeInvitation } from "@/server/workspaces/revoke-invitation";
import { switchWorkspace, switchWorkspaceInput } from "@/server/workspaces/switch-workspace";

export const createWorkspaceAction = workspaceAction(createWorkspaceInput, createWorkspace);
export const switchWorkspaceAction = workspaceAction(switchWorkspaceInput, switchWorkspace);
export const inviteMemberAction = workspaceAction(inviteMemberInput, inviteMember, {
  role: "admin",
});
export const revokeInvitationAction = workspaceAction(invitationIdInput, revokeInvitation, {
  role: "admin",
});
export const changeMemberRoleAction = workspaceAction(changeRoleInput, changeMemberRole, {
  role: "owner",
});
export const removeMemberAction = workspaceAction(memberIdInput, removeMember);
export const acceptInvitationAction = workspaceAction(invitationTokenInput, acceptInvitation);
