import "server-only";

import { z } from "zod";
import { findMembership, setSessionWorkspace } from "@/db/queries/workspaces";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

export const switchWorkspaceInput = z.object({ workspaceId: z.string().min(1).max(100) });

export async function switchWorkspace(caller: Caller, input: z.infer<typeof switchWorkspaceInput>) {
  const membership = await findMembership(caller.db, caller.user.id, input.workspaceId);
  if (!membership) throw notFound("Workspace");
  await setSessionWorkspace(caller.db, caller.sessionId, membership.workspaceId);
  return { id: membership.workspaceId, name: membership.workspaceName };
}
