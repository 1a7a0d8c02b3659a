import "server-only";

import { and, asc, desc, eq } from "drizzle-orm";
import type { Database } from "../client";
import { invitation, member, organization, session, user } from "../schema/index";

export const WORKSPACE_ROLES = ["owner", "admin", "member"] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

const ROLE_RANK: Record<WorkspaceRole, number> = { member: 0, admin: 1, owner: 2 };

export function isWorkspaceRole(value: string): value is WorkspaceRole {
  return (WORKSPACE_ROLES as readonly string[]).includes(value);
}

/** True when `role` is at least `required` (owner ⊃ admin ⊃ member). */
export function roleAtLeast(role: WorkspaceRole, required: WorkspaceRole): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

export interface Membership {
  workspaceId: string;
  workspaceName: string;
  workspaceSlug: string;
  memberId: string;
  role: WorkspaceRole;
}

/** Every workspace a user belongs to, oldest first. */
export async function listMembershipsOf(db: Database, userId: string): Promise<Membership[]> {
  const rows = await db
    .select({
      workspaceId: organization.id,
      workspaceName: organization.name,
      workspaceSlug: organization.slug,
      memberId: member.id,
      role: member.role,
    })
    .from(member)
    .innerJoin(organization, eq(organization.id, member.organizationId))
    .where(eq(member.userId, userId))
    .orderBy(asc(member.createdAt));
  return rows.map((row) => ({ ...row, role: isWorkspaceRole(row.role) ? row.role : "member" }));
}

export async function findMembership(
  db: Database,
  userId: string,
  workspaceId: string,
): Promise<Membership | null> {
  const memberships = await listMembershipsOf(db, userId);
  return memberships.find((m) => m.workspaceId === workspaceId) ?? null;
}

export async function listMembers(db: Database, workspaceId: string) {
  return db
    .select({
      id: member.id,
      userId: user.id,
      name: user.name,
      email: user.email,
      role: member.role,
      joinedAt: member.createdAt,
    })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, workspaceId))
    .orderBy(asc(member.createdAt));
}

export async function findMember(db: Database, workspaceId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.organizationId, workspaceId), eq(member.id, memberId)))
    .limit(1);
  return row ?? null;
}

export async function listInvitations(db: Database, workspaceId: string) {
  return db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      createdAt: invitation.createdAt,
    })
    .from(invitation)
    .where(and(eq(invitation.organizationId, workspaceId), eq(invitation.status, "pending")))
    .orderBy(desc(invitation.createdAt));
}

export async function findInvitation(db: Database, workspaceId: string, invitationId: string) {
  const [row] = await db
    .select()
    .from(invitation)
    .where(and(eq(invitation.organizationId, workspaceId), eq(invitation.id, invitationId)))
    .limit(1);
  return row ?? null;
}

/**
 * An invitation looked up by the hash of the secret in its link. The invitation belongs to
 * another workspace than the caller's by nature, so it cannot be scoped to one.
 */
export async function findInvitationByTokenHash(db: Database, tokenHash: string) {
  const [row] = await db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      workspaceId: organization.id,
      workspaceName: organization.name,
    })
    .from(invitation)
    .innerJoin(organization, eq(organization.id, invitation.organizationId))
    .where(eq(invitation.tokenHash, tokenHash))
    .limit(1);
  return row ?? null;
}

/** Points a session at another workspace. The caller has checked the membership. */
export async function setSessionWorkspace(db: Database, sessionId: string, workspaceId: string) {
  await db
    .update(session)
    .set({ activeOrganizationId: workspaceId, updatedAt: new Date() })
    .where(eq(session.id, sessionId));
}
