import "server-only";

import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { member } from "@/db/schema/index";
import type { Caller } from "../http/guard";

/**
 * The secret in an invitation link is a random token of its own, shown once to the inviter;
 * only its sha256 is stored, so neither the row id nor a database read gives the link away.
 */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function ownerCount(caller: Caller): Promise<number> {
  const rows = await caller.db
    .select({ id: member.id })
    .from(member)
    .where(and(eq(member.organizationId, caller.workspace.workspaceId), eq(member.role, "owner")));
  return rows.length;
}
