import "server-only";

import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { findInvitationByTokenHash, setSessionWorkspace } from "@/db/queries/workspaces";
import { invitation, member, user } from "@/db/schema/index";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { hashInvitationToken } from "./workspace-shared";

export const invitationTokenInput = z.object({
  token: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
});

/**
 * Accepts an invitation for the signed-in user. The invitation belongs to another workspace
 * than the caller's current one by nature, so it is found by the secret token of its link and
 * checked against the user's email.
 *
 * Accepting needs a verified address. Outflow sends no mail, so following the link while
 * signed in with the invited address is the verification: the token exists only in the link
 * the inviter was shown once and sent to that person, and is stored hashed, so holding it proves
 * the invitation reached them. Signing up with somebody else's address gets nobody the token.
 */
export async function acceptInvitation(
  caller: Caller,
  input: z.infer<typeof invitationTokenInput>,
) {
  const found = await findInvitationByTokenHash(caller.db, hashInvitationToken(input.token));
  if (!found || found.email.toLowerCase() !== caller.user.email.toLowerCase()) {
    throw notFound("Invitation");
  }
  if (found.status !== "pending") throw conflict("This invitation has already been used.");
  if (found.expiresAt.getTime() < Date.now()) {
    throw conflict("This invitation has expired. Ask for a new one.", "invitation_expired");
  }
  await caller.db.transaction(async (tx) => {
    const [taken] = await tx
      .update(invitation)
      .set({ status: "accepted" })
      .where(and(eq(invitation.id, found.id), eq(invitation.status, "pending")))
      .returning({ id: invitation.id });
    if (!taken) throw conflict("This invitation has already been used.");
    await tx
      .insert(member)
      .values({
        id: randomBytes(12).toString("base64url"),
        organizationId: found.workspaceId,
        userId: caller.user.id,
        role: found.role ?? "member",
      })
      .onConflictDoNothing();
    await tx
      .update(user)
      .set({ emailVerified: true, updatedAt: new Date() })
      .where(eq(user.id, caller.user.id));
  });
  await setSessionWorkspace(caller.db, caller.sessionId, found.workspaceId);
  return { workspaceId: found.workspaceId, workspaceName: found.workspaceName };
}
