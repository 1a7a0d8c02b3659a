import "server-only";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { findMember, WORKSPACE_ROLES } from "@/db/queries/workspaces";
import { member } from "@/db/schema/index";
import { conflict, forbidden, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { ownerCount } from "./workspace-shared";

export const changeRoleInput = z.object({
  memberId: z.string().min(1).max(100),
  role: z.enum(WORKSPACE_ROLES),
});

export async function changeMemberRole(caller: Caller, input: z.infer<typeof changeRoleInput>) {
  const target = await findMember(caller.db, caller.workspace.workspaceId, input.memberId);
  if (!target) throw notFound("Member");
  if (caller.workspace.role !== "owner") throw forbidden("Only an owner can change roles.");
  if (target.role === "owner" && input.role !== "owner" && (await ownerCount(caller)) <= 1) {
    throw conflict("A workspace needs at least one owner: make someone else owner first.");
  }
  await caller.db
    .update(member)
    .set({ role: input.role })
    .where(and(eq(member.organizationId, caller.workspace.workspaceId), eq(member.id, target.id)));
  return { id: target.id, role: input.role };
}
