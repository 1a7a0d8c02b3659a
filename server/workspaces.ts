import "server-only";

import { createHash, randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import {
  findInvitation,
  findInvitationByTokenHash,
  findMember,
  findMembership,
  setSessionWorkspace,
  WORKSPACE_ROLES,
} from "@/db/queries/workspaces";
import { invitation, member, organization, user } from "@/db/schema/index";
import { workspaceSlug } from "./auth/auth";
import { badRequest, conflict, forbidden, HttpError, notFound } from "./http/errors";
import type { Caller } from "./http/guard";

// Workspace membership operations shared by the route handlers and the server actions.
// Each takes the resolved caller; ids from the client are always looked up inside
// caller.workspace, so another workspace's ids come back as "not found".

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const createWorkspaceInput = z.object({
  name: z.string().trim().min(2, "Give the workspace a name of at least 2 characters.").max(60),
});
export const switchWorkspaceInput = z.object({ workspaceId: z.string().min(1).max(100) });
export const inviteMemberInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")),
  role: z.enum(["admin", "member"]).default("member"),
});
export const invitationIdInput = z.object({ invitationId: z.string().min(1).max(100) });
export const invitationTokenInput = z.object({
  token: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
});
export const changeRoleInput = z.object({
  memberId: z.string().min(1).max(100),
  role: z.enum(WORKSPACE_ROLES),
});
export const memberIdInput = z.object({ memberId: z.string().min(1).max(100) });

/**
 * The secret in an invitation link is a random token of its own, shown once to the inviter;
 * only its sha256 is stored, so neither the row id nor a database read gives the link away.
 */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function invitationPath(token: string): string {
  return `/invite/${token}`;
}

/** How many workspaces one user may own (OUTFLOW_MAX_WORKSPACES_PER_USER, default 10). */
export function maxWorkspacesPerUser(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.OUTFLOW_MAX_WORKSPACES_PER_USER);
  return Number.isInteger(value) && value > 0 ? value : 10;
}

export async function createWorkspace(caller: Caller, input: z.infer<typeof createWorkspaceInput>) {
  const limit = maxWorkspacesPerUser();
  const created = await caller.db.transaction(async (tx) => {
    // The user's row is the lock: requests racing each other count one after another.
    await tx.select({ id: user.id }).from(user).where(eq(user.id, caller.user.id)).for("update");
    const [owned] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(member)
      .where(and(eq(member.userId, caller.user.id), eq(member.role, "owner")));
    if ((owned?.count ?? 0) >= limit) {
      throw new HttpError(
        409,
        "workspace_limit",
        `You already own ${limit} workspaces, the most one person may have. Delete one or ask an owner of another workspace to invite you.`,
      );
    }
    const id = randomBytes(12).toString("base64url");
    const [row] = await tx
      .insert(organization)
      .values({ id, name: input.name, slug: workspaceSlug(input.name) })
      .returning({ id: organization.id, name: organization.name });
    await tx.insert(member).values({
      id: randomBytes(12).toString("base64url"),
      organizationId: id,
      userId: caller.user.id,
      role: "owner",
    });
    return row;
  });
  if (!created) throw badRequest("The workspace could not be created.");
  await setSessionWorkspace(caller.db, caller.sessionId, created.id);
  return { id: created.id, name: created.name };
}

export async function switchWorkspace(caller: Caller, input: z.infer<typeof switchWorkspaceInput>) {
  const membership = await findMembership(caller.db, caller.user.id, input.workspaceId);
  if (!membership) throw notFound("Workspace");
  await setSessionWorkspace(caller.db, caller.sessionId, membership.workspaceId);
  return { id: membership.workspaceId, name: membership.workspaceName };
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

export async function revokeInvitation(caller: Caller, input: z.infer<typeof invitationIdInput>) {
  const found = await findInvitation(caller.db, caller.workspace.workspaceId, input.invitationId);
  if (!found) throw notFound("Invitation");
  if (found.status !== "pending") throw conflict("This invitation is no longer pending.");
  await caller.db
    .update(invitation)
    .set({ status: "canceled" })
    .where(
      and(eq(invitation.organizationId, caller.workspace.workspaceId), eq(invitation.id, found.id)),
    );
  return { id: found.id };
}

async function ownerCount(caller: Caller): Promise<number> {
  const rows = await caller.db
    .select({ id: member.id })
    .from(member)
    .where(and(eq(member.organizationId, caller.workspace.workspaceId), eq(member.role, "owner")));
  return rows.length;
}

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

export async function describeWorkspace(caller: Caller) {
  const [row] = await caller.db
    .select()
    .from(organization)
    .where(eq(organization.id, caller.workspace.workspaceId));
  return {
    id: caller.workspace.workspaceId,
    name: row?.name ?? caller.workspace.workspaceName,
    slug: row?.slug ?? caller.workspace.workspaceSlug,
    role: caller.workspace.role,
  };
}
