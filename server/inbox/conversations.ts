import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import { blocklistForUnsubscribe } from "@/db/inbox/effects";
import { listMembers, roleAtLeast } from "@/db/queries/workspaces";
import type { ConversationSummary, ConversationThread } from "@/views/inbox";
import { REPLY_CATEGORIES, type ReplyCategory } from "@/workflows/replies/index";
import { badRequest, forbidden, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { describeLead } from "../leads/describe-lead";
import { engineNow } from "../runtime/boot";
import { answerConversation, MAX_ANSWER_CHARS } from "./answer";
import { answerProvider } from "./provider";

// The inbox: conversations across every seat of the workspace, their threads, and what people
// do with them. Ids from the client are looked up inside caller.workspace (404 otherwise).

const id = z.string().min(1).max(100);
export const ReplyCategorySchema = z.enum(REPLY_CATEGORIES);

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

interface ConversationRow {
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

function toConversation(row: ConversationRow): ConversationSummary {
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

const encodeCursor = (row: { last_message_at: Date; id: string }) =>
  Buffer.from(`${new Date(row.last_message_at).toISOString()}|${row.id}`).toString("base64url");

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, rowId] = Buffer.from(cursor, "base64url").toString().split("|");
  if (!at || !rowId || Number.isNaN(Date.parse(at))) {
    throw badRequest("The cursor is not one this list gave.", "invalid_cursor");
  }
  return { at, id: rowId };
}

const conversationColumns = sql`c.id, c.lead_id, l.first_name, l.last_name, l.company,
  l.public_identifier, c.account_id, a.name as account_name, c.last_message_at, c.preview,
  c.unread, c.category, c.assignee_id, u.name as assignee_name, c.done_at`;
const conversationJoins = sql`join lead l on l.id = c.lead_id
  join sender_account a on a.id = c.account_id
  left join "user" u on u.id = c.assignee_id`;

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

export const conversationIdInput = z.object({ conversationId: id });

async function findConversation(caller: Caller, conversationId: string) {
  const [row] = await queryRows<ConversationRow>(
    caller.db,
    sql`select ${conversationColumns} from conversation c ${conversationJoins}
         where c.id = ${conversationId} and c.workspace_id = ${caller.workspace.workspaceId}`,
  );
  if (!row) throw notFound("The conversation");
  return row;
}

interface MessageRow {
  id: string;
  direction: "in" | "out";
  origin: "lead" | "automated" | "person" | "linkedin";
  kind: string;
  subject: string | null;
  text: string;
  at: Date;
  sender_name: string | null;
  status: string;
  error: string | null;
  category: ReplyCategory | null;
  corrected_category: ReplyCategory | null;
  language: string | null;
  return_date: string | null;
  referral: string | null;
  campaign_name: string | null;
}

/** The thread: both sides of the conversation, oldest first, the lead's card and campaigns. */
export async function getConversation(
  caller: Caller,
  input: z.infer<typeof conversationIdInput>,
): Promise<ConversationThread> {
  const row = await findConversation(caller, input.conversationId);
  const [messages, lead] = await Promise.all([
    queryRows<MessageRow>(
      caller.db,
      sql`select m.id, m.direction, m.origin, m.kind, m.subject, m.text, m.at, m.sender_name,
                 m.status, m.error, m.category, m.corrected_category, m.language,
                 m.return_date::text as return_date, m.referral, cp.name as campaign_name
            from message m left join campaign cp on cp.id = m.campaign_id
           where m.conversation_id = ${row.id} and m.workspace_id = ${caller.workspace.workspaceId}
           order by m.at, m.created_at
           limit 1000`,
    ),
    describeLead(caller, { leadId: row.lead_id }),
  ]);
  return {
    conversation: toConversation(row),
    messages: messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      origin: m.origin,
      kind: m.kind,
      subject: m.subject,
      text: m.text,
      at: new Date(m.at).toISOString(),
      sender: m.sender_name,
      status: m.status,
      error: m.error,
      category: m.corrected_category ?? m.category,
      classifiedAs: m.category,
      corrected: m.corrected_category !== null,
      language: m.language,
      returnDate: m.return_date,
      referral: m.referral,
      campaign: m.campaign_name,
    })),
    lead: lead.lead,
    blocklisted: lead.blocklisted,
    // The campaigns the lead is in on this seat: where it stands and what comes next.
    enrollments: lead.enrollments.filter((e) => e.accountName === row.account_name),
  };
}

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

export const correctCategoryInput = z.object({
  messageId: id,
  category: ReplyCategorySchema,
});

/**
 * A person's correction of a reply's category: kept beside what the classifier read and never
 * overwritten. The conversation shows it when it is about the newest reply. Corrected to
 * `unsubscribe`, the lead goes on the blocklist as an unsubscribe reply would have put them.
 */
export async function correctCategory(caller: Caller, input: z.infer<typeof correctCategoryInput>) {
  const { db, workspace } = caller;
  const [found] = await queryRows<{ conversation_id: string; public_identifier: string }>(
    db,
    sql`update message m set corrected_category = ${input.category}
          from conversation c join lead l on l.id = c.lead_id
         where m.id = ${input.messageId} and m.workspace_id = ${workspace.workspaceId}
           and m.direction = 'in' and c.id = m.conversation_id
        returning m.conversation_id, l.public_identifier`,
  );
  if (!found) throw notFound("The reply");
  await db.execute(
    sql`update conversation c set category = ${input.category}
         where c.id = ${found.conversation_id}
           and ${input.messageId} = (select id from message where conversation_id = c.id
                                      and direction = 'in' order by at desc, created_at desc limit 1)`,
  );
  if (input.category === "unsubscribe") {
    await blocklistForUnsubscribe(db, workspace.workspaceId, found.public_identifier, engineNow());
  }
  return { messageId: input.messageId, category: input.category };
}

export const answerInput = conversationIdInput.extend({
  text: z.string().trim().min(1, "Write the answer first.").max(MAX_ANSWER_CHARS),
  /** Chosen by the client once per typed answer: a retry with the same key never sends twice. */
  idempotencyKey: z
    .string()
    .min(8)
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, "Letters, digits and - _ . : only."),
});

/** A person's answer, sent at once through the seat (see answerConversation). */
export async function answer(caller: Caller, input: z.infer<typeof answerInput>) {
  const { db, workspace } = caller;
  return answerConversation(db, answerProvider(db), {
    workspaceId: workspace.workspaceId,
    conversationId: input.conversationId,
    user: { id: caller.user.id, name: caller.user.name },
    text: input.text,
    key: input.idempotencyKey,
    now: engineNow(),
  });
}

/** The workspace's members, for "assign to". */
export async function assignableMembers(caller: Caller) {
  const members = await listMembers(caller.db, caller.workspace.workspaceId);
  return members.map((m) => ({ id: m.userId, name: m.name, email: m.email }));
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
