import "server-only";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { findMember } from "@/db/queries/workspaces";
import { member } from "@/db/schema/index";
import { conflict, forbidden, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { ownerCount } from "./workspace-shared";

export const memberIdInput = z.object({ memberId: z.string().min(1).max(100) });

export async function removeMember(caller: Caller, input: z.infer<typeof memberIdInput>) {
  const target = await findMember(caller.db, caller.workspace.workspaceId, input.memberId);
  if (!target) throw notFound("Member");
  const removingSelf = target.userId === caller.user.id;
  if (!removingSelf && caller.workspace.role === "member") {
    throw forbidden("Only an owner or an admin can remove members.");
  }
  if (target.role === "owner" && caller.workspace.role !== "owner") {
    throw forbidden("Only an owner can remove an owner.");
  }
  if (target.role === "owner" && (await ownerCount(caller)) <= 1) {
    throw conflict("A workspace needs at least one owner: make someone else owner first.");
  }
  await caller.db
    .delete(member)
    .where(and(eq(member.organizationId, caller.workspace.workspaceId), eq(member.id, target.id)));
  return { id: target.id };
}
