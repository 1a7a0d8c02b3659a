"use server";
import { workspaceAction } from "@/server/http/guard";
import {
  acceptInvitation,
  changeMemberRole,
  changeRoleInput,
  createWorkspace,
  createWorkspaceInput,
  invitationIdInput,
  invitationTokenInput,
  inviteMember,
  inviteMemberInput,
  memberIdInput,
  removeMember,
  revokeInvitation,
  switchWorkspace,
  switchWorkspaceInput,
} from "@/server/workspaces";

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
