import "server-only";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { findInvitation } from "@/db/queries/workspaces";
import { invitation } from "@/db/schema/index";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";

export const invitationIdInput = z.object({ invitationId: z.string().min(1).max(100) });

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
