import "server-only";

import { listMembers } from "@/db/queries/workspaces";
import type { Caller } from "../http/guard";

/** The workspace's members, for "assign to". */
export async function assignableMembers(caller: Caller) {
  const members = await listMembers(caller.db, caller.workspace.workspaceId);
  return members.map((m) => ({ id: m.userId, name: m.name, email: m.email }));
}
