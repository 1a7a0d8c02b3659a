import "server-only";

import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { invitation, member, user } from "@/db/schema/index";
import { badRequest, conflict } from "../http/errors";
import type { Caller } from "../http/guard";
import { hashInvitationToken } from "./workspace-shared";

// Workspace membership operations shared by the route handlers and the server actions.
// Each takes the resolved caller; ids from the client are always looked up inside
// caller.workspace, so another workspace's ids come back as "not found".

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const inviteMemberInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")),
  role: z.enum(["admin", "member"]).default("member"),
});

export function invitationPath(token: string): string {
  return `/invite/${token}`;
}

export async function inviteMember(caller: Caller, input: z.infer<typeof inviteMemberInput>) {
  const { db, workspace } = caller;
  const [alreadyMember] = await db
    .select({ id: member.id })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(
      and(
        eq(member.organizationId, workspace.workspaceId),
        sql`lower(${user.email}) = ${input.email}`,
      ),
    )
    .limit(1);
  if (alreadyMember) throw conflict(`${input.email} is already a member of this workspace.`);

  // Re-inviting replaces the pending invitation, so only one link is ever valid per person.
  await db
    .update(invitation)
    .set({ status: "canceled" })
    .where(
      and(
        eq(invitation.organizationId, workspace.workspaceId),
        eq(invitation.email, input.email),
        eq(invitation.status, "pending"),
      ),
    );
  const token = randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(invitation)
    .values({
      id: randomBytes(12).toString("base64url"),
      organizationId: workspace.workspaceId,
      email: input.email,
      role: input.role,
      status: "pending",
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      inviterId: caller.user.id,
      tokenHash: hashInvitationToken(token),
    })
    .returning();
  if (!row) throw badRequest("The invitation could not be created.");
  // The token leaves the server here only: the inviter copies the link now or invites again.
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    expiresAt: row.expiresAt,
    token,
    path: invitationPath(token),
  };
}
