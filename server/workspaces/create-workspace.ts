import "server-only";

import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { setSessionWorkspace } from "@/db/queries/workspaces";
import { member, organization, user } from "@/db/schema/index";
import { workspaceSlug } from "../auth/auth";
import { badRequest, HttpError } from "../http/errors";
import type { Caller } from "../http/guard";

export const createWorkspaceInput = z.object({
  name: z.string().trim().min(2, "Give the workspace a name of at least 2 characters.").max(60),
});

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
