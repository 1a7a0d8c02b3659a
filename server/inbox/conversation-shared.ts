import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import type { ConversationSummary } from "@/views/inbox";
import { REPLY_CATEGORIES, type ReplyCategory } from "@/workflows/replies/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

// The inbox: conversations across every seat of the workspace, their threads, and what people
// do with them. Ids from the client are looked up inside caller.workspace (404 otherwise).

export const id = z.string().min(1).max(100);
export const ReplyCategorySchema = z.enum(REPLY_CATEGORIES);

export interface ConversationRow {
  id: string;
  lead_id: string;
  first_name: string;
  last_name: string;
  company: string;
  public_identifier: string;
  account_id: string;
  account_name: string;
  last_message_at: Date;
  preview: string;
  unread: boolean;
  category: ReplyCategory | null;
  assignee_id: string | null;
  assignee_name: string | null;
  done_at: Date | null;
}

export function toConversation(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    lead: {
      id: row.lead_id,
      name: `${row.first_name} ${row.last_name}`.trim() || row.public_identifier,
      company: row.company,
    },
    account: { id: row.account_id, name: row.account_name },
    lastMessageAt: new Date(row.last_message_at).toISOString(),
    preview: row.preview,
    unread: row.unread,
    category: row.category,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? "" } : null,
    done: row.done_at !== null,
  };
}

export const conversationColumns = sql`c.id, c.lead_id, l.first_name, l.last_name, l.company,
  l.public_identifier, c.account_id, a.name as account_name, c.last_message_at, c.preview,
  c.unread, c.category, c.assignee_id, u.name as assignee_name, c.done_at`;
export const conversationJoins = sql`join lead l on l.id = c.lead_id
  join sender_account a on a.id = c.account_id
  left join "user" u on u.id = c.assignee_id`;

export const conversationIdInput = z.object({ conversationId: id });

export async function findConversation(caller: Caller, conversationId: string) {
  const [row] = await queryRows<ConversationRow>(
    caller.db,
    sql`select ${conversationColumns} from conversation c ${conversationJoins}
         where c.id = ${conversationId} and c.workspace_id = ${caller.workspace.workspaceId}`,
  );
  if (!row) throw notFound("The conversation");
  return row;
}
