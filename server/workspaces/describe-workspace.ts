import "server-only";

import { eq } from "drizzle-orm";
import { organization } from "@/db/schema/index";
import type { Caller } from "../http/guard";

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
