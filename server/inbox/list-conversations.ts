import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { badRequest } from "../http/errors";
import type { Caller } from "../http/guard";
import {
  type ConversationRow,
  conversationColumns,
  conversationJoins,
  id,
  ReplyCategorySchema,
  toConversation,
} from "./conversation-shared";

export const MAX_INBOX_PAGE = 100;

export const listConversationsInput = z.object({
  accountId: id.optional(),
  campaignId: id.optional(),
  category: ReplyCategorySchema.optional(),
  unread: z.boolean().optional(),
  assignedToMe: z.boolean().optional(),
  /** Include threads marked done (left out by default). */
  includeDone: z.boolean().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(MAX_INBOX_PAGE).optional(),
});
export type ListConversationsInput = z.infer<typeof listConversationsInput>;

const encodeCursor = (row: { last_message_at: Date; id: string }) =>
  Buffer.from(`${new Date(row.last_message_at).toISOString()}|${row.id}`).toString("base64url");

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, rowId] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!at || !rowId || Number.isNaN(Date.parse(at))) {
    throw badRequest("The cursor is not one this list gave.", "invalid_cursor");
  }
  return { at, id: rowId };
}

/** Conversations with a reply, newest first, filtered, one page at a time (keyset cursor). */
export async function listConversations(caller: Caller, input: ListConversationsInput) {
  const { db, workspace } = caller;
  const limit = input.limit ?? 50;
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const filters = [
    sql`c.workspace_id = ${workspace.workspaceId}`,
    sql`c.has_reply`,
    input.includeDone ? sql`true` : sql`c.done_at is null`,
    input.accountId ? sql`c.account_id = ${input.accountId}` : sql`true`,
    input.category ? sql`c.category = ${input.category}` : sql`true`,
    input.unread === undefined ? sql`true` : sql`c.unread = ${input.unread}`,
    input.assignedToMe ? sql`c.assignee_id = ${caller.user.id}` : sql`true`,
    input.campaignId
      ? sql`exists (select 1 from enrollment e where e.lead_id = c.lead_id
                     and e.account_id = c.account_id and e.campaign_id = ${input.campaignId}
                     and e.workspace_id = ${workspace.workspaceId})`
      : sql`true`,
    after ? sql`(c.last_message_at, c.id) < (${after.at}::timestamptz, ${after.id})` : sql`true`,
  ];
  const rows = await queryRows<ConversationRow>(
    db,
    sql`select ${conversationColumns} from conversation c ${conversationJoins}
         where ${sql.join(filters, sql` and `)}
         order by c.last_message_at desc, c.id desc
         limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toConversation),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}

/** The list's filters from a query string (`?unread=true&limit=20`). */
export function listQuery(params: URLSearchParams): Record<string, unknown> {
  const query: Record<string, unknown> = Object.fromEntries(params);
  for (const flag of ["unread", "assignedToMe", "includeDone"]) {
    if (query[flag] === "true") query[flag] = true;
    else if (query[flag] === "false") query[flag] = false;
  }
  if (typeof query.limit === "string" && /^\d+$/.test(query.limit))
    query.limit = Number(query.limit);
  return query;
}
