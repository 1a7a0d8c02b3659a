import { workspaceRoute } from "@/server/http/guard";
import { changeMemberRole, changeRoleInput } from "@/server/workspaces/change-member-role";
import { memberIdInput, removeMember } from "@/server/workspaces/remove-member";

export const PATCH = workspaceRoute(changeRoleInput, changeMemberRole, { role: "owner" });
export const DELETE = workspaceRoute(memberIdInput, removeMember);
