import "server-only";

import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import type { Caller } from "../http/guard";

/** Conversations with an unread reply and not done: the count beside Inbox in the navigation. */
export async function unreadConversations(caller: Caller): Promise<{ unread: number }> {
  const [row] = await queryRows<{ n: number }>(
    caller.db,
    sql`select count(*)::int as n from conversation
         where workspace_id = ${caller.workspace.workspaceId} and has_reply and unread
           and done_at is null`,
  );
  return { unread: row?.n ?? 0 };
}
