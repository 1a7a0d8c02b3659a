import "server-only";

import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { ReplyClassification } from "@/workflows/replies/index";
import { type Database, queryRows } from "../client";

type Executor = Pick<Database, "execute">;

/** The list shows this much of the newest message. */
const PREVIEW_CHARS = 160;

const preview = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, PREVIEW_CHARS);

/**
 * The conversation of a seat and a lead, created on first use. `touch` moves it to the top of
 * the inbox with the newest message (only when that message is newer than what it holds).
 */
export async function upsertConversation(
  db: Executor,
  input: {
    workspaceId: string;
    accountId: string;
    leadId: string;
    chatId: string | null;
    at: Date;
    text: string;
    /** A message from the lead: unread, listed, and its category shown. */
    reply?: { category: string | null };
  },
): Promise<string> {
  const at = input.at.toISOString();
  const reply = input.reply ?? null;
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`insert into conversation (id, workspace_id, account_id, lead_id, chat_id, last_message_at,
                                  preview, unread, has_reply, category)
        values (${randomUUID()}, ${input.workspaceId}, ${input.accountId}, ${input.leadId},
                ${input.chatId}, ${at}::timestamptz, ${preview(input.text)}, ${reply !== null},
                ${reply !== null}, ${reply?.category ?? null})
        on conflict (account_id, lead_id) do update
          set chat_id = coalesce(conversation.chat_id, excluded.chat_id),
              last_message_at = greatest(conversation.last_message_at, excluded.last_message_at),
              preview = case when excluded.last_message_at >= conversation.last_message_at
                             then excluded.preview else conversation.preview end,
              unread = conversation.unread or excluded.unread,
              has_reply = conversation.has_reply or excluded.has_reply,
              -- A new reply reopens a thread marked done and brings its category.
              done_at = case when excluded.has_reply then null else conversation.done_at end,
              category = case when excluded.has_reply then excluded.category
                              else conversation.category end
        returning id`,
  );
  if (!row) throw new Error("conversation upsert returned nothing");
  return row.id;
}

export interface InboundMessageInput {
  workspaceId: string;
  accountId: string;
  leadId: string;
  chatId: string | null;
  /** The provider's id of the message: a replayed message is stored once. */
  providerMessageId: string;
  text: string;
  at: Date;
  senderName: string;
  classification: ReplyClassification | null;
}

/**
 * Stores a message from the lead in its conversation (once per provider message id) with what
 * the classifier read. Answers whether it was new. Call inside the event's transaction.
 */
export async function recordInboundMessage(
  tx: Executor,
  input: InboundMessageInput,
): Promise<boolean> {
  const category = input.classification?.category ?? null;
  const conversationId = await upsertConversation(tx, {
    ...input,
    reply: { category },
  });
  const inserted = await queryRows<{ id: string }>(
    tx,
    sql`insert into message (id, workspace_id, conversation_id, direction, origin, kind, text, at,
                             sender_name, provider_message_id, chat_id, status, category,
                             language, return_date, referral, campaign_id, node_id)
        select ${randomUUID()}, ${input.workspaceId}, ${conversationId}, 'in', 'lead', 'message',
               ${input.text}, ${input.at.toISOString()}::timestamptz, ${input.senderName},
               ${input.providerMessageId}, ${input.chatId}, 'received', ${category},
               ${input.classification?.language ?? null},
               ${input.classification?.returnDate ?? null}::date,
               ${input.classification?.referral ?? null},
               e.campaign_id, e.node_id
          from (select 1) one
          left join lateral (select campaign_id, node_id from enrollment
                              where lead_id = ${input.leadId} and account_id = ${input.accountId}
                              order by created_at desc limit 1) e on true
        on conflict (conversation_id, provider_message_id) where provider_message_id is not null
        do nothing
        returning id`,
  );
  return inserted.length > 0;
}

/** What an automated step sent, exactly as LinkedIn got it. */
export interface SentTextInput {
  accountId: string;
  leadId: string;
  idempotencyKey: string;
  kind: "connect" | "message" | "inmail";
  subject: string | null;
  text: string;
  at: Date;
  chatId: string | null;
  reference: string | null;
}

/**
 * Records the text of an engine send in the lead's conversation, from its action (campaign,
 * step, workspace). Once per action: a repeat of the same key changes nothing.
 */
export async function recordSentText(db: Database, input: SentTextInput): Promise<void> {
  await db.transaction(async (tx) => {
    const [found] = await queryRows<{
      id: string;
      workspace_id: string;
      campaign_id: string;
      node_id: string;
    }>(
      tx,
      sql`select id, workspace_id, campaign_id, node_id from action
           where idempotency_key = ${input.idempotencyKey}`,
    );
    if (!found) return;
    const conversationId = await upsertConversation(tx, {
      workspaceId: found.workspace_id,
      accountId: input.accountId,
      leadId: input.leadId,
      chatId: input.chatId,
      at: input.at,
      text: input.text,
    });
    await tx.execute(
      sql`insert into message (id, workspace_id, conversation_id, direction, origin, kind, subject,
                               text, at, provider_message_id, chat_id, action_id,
                               idempotency_key, status, campaign_id, node_id)
          values (${randomUUID()}, ${found.workspace_id}, ${conversationId}, 'out', 'automated',
                  ${input.kind}, ${input.subject}, ${input.text}, ${input.at.toISOString()}::timestamptz,
                  ${input.reference}, ${input.chatId}, ${found.id}, ${input.idempotencyKey},
                  'sent', ${found.campaign_id}, ${found.node_id})
          on conflict do nothing`,
    );
  });
}
