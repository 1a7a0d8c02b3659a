import { workspaceRoute } from "@/server/http/guard";
import {
  changeMemberRole,
  changeRoleInput,
  memberIdInput,
  removeMember,
} from "@/server/workspaces";

export const PATCH = workspaceRoute(changeRoleInput, changeMemberRole, { role: "owner" });
export const DELETE = workspaceRoute(memberIdInput, removeMember);
