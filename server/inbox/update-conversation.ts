import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";
import { listMembers, roleAtLeast } from "@/db/queries/workspaces";
import { forbidden, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { conversationIdInput, findConversation, id, toConversation } from "./conversation-shared";

export const updateConversationInput = conversationIdInput.extend({
  read: z.boolean().optional(),
  done: z.boolean().optional(),
  /** A member's user id, or null to unassign. */
  assigneeId: id.nullable().optional(),
});

/**
 * Read / unread, done, assignment. The rule for assignment: anyone may take or give an
 * unassigned thread; once assigned, only the assignee or an admin (or owner) reassigns it.
 * The assignee must be a member of the workspace.
 */
export async function updateConversation(
  caller: Caller,
  input: z.infer<typeof updateConversationInput>,
) {
  const row = await findConversation(caller, input.conversationId);
  const sets = [];
  if (input.read !== undefined) sets.push(sql`unread = ${!input.read}`);
  if (input.done !== undefined)
    sets.push(
      input.done ? sql`done_at = ${engineNow().toISOString()}::timestamptz` : sql`done_at = null`,
    );
  if (input.assigneeId !== undefined) {
    const mayReassign =
      row.assignee_id === null ||
      row.assignee_id === caller.user.id ||
      roleAtLeast(caller.workspace.role, "admin");
    if (!mayReassign) {
      throw forbidden(
        "Only the person it is assigned to or an admin can reassign this conversation.",
      );
    }
    if (input.assigneeId !== null) {
      const members = await listMembers(caller.db, caller.workspace.workspaceId);
      if (!members.some((m) => m.userId === input.assigneeId)) {
        throw notFound("That teammate");
      }
    }
    sets.push(sql`assignee_id = ${input.assigneeId}`);
  }
  if (sets.length > 0) {
    await caller.db.execute(
      sql`update conversation set ${sql.join(sets, sql`, `)}
           where id = ${row.id} and workspace_id = ${caller.workspace.workspaceId}`,
    );
  }
  return toConversation(await findConversation(caller, row.id));
}
