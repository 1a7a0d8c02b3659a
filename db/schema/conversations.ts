import { sql } from "drizzle-orm";
import { boolean, date, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { organization } from "./auth";
import { lead, senderAccount } from "./domain";

// The inbox: one conversation per seat and lead, and every message of it in both directions.

const workspaceId = () =>
  text("workspace_id")
    .notNull()
    .references(() => organization.id, { onDelete: "cascade" });
const tz = (name: string) => timestamp(name, { withTimezone: true });

/** The thread between one seat and one lead: the inbox's row. */
export const conversation = pgTable(
  "conversation",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    accountId: text("account_id")
      .notNull()
      .references(() => senderAccount.id, { onDelete: "cascade" }),
    leadId: text("lead_id")
      .notNull()
      .references(() => lead.id, { onDelete: "cascade" }),
    /** The provider's chat id, once one is known. */
    chatId: text("chat_id"),
    lastMessageAt: tz("last_message_at").notNull(),
    /** The first characters of the newest message, for the list. */
    preview: text("preview").notNull().default(""),
    /** Whether the lead has written since someone last read the thread. */
    unread: boolean("unread").notNull().default(false),
    /** Whether the lead has replied at all: the inbox lists only conversations with replies. */
    hasReply: boolean("has_reply").notNull().default(false),
    /** The user the thread is assigned to (a better-auth user id). */
    assigneeId: text("assignee_id"),
    doneAt: tz("done_at"),
    /** The category of the lead's newest reply (a person's correction wins). */
    category: text("category"),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("conversation_account_lead_uq").on(t.accountId, t.leadId),
    index("conversation_inbox_idx")
      .on(t.workspaceId, t.lastMessageAt, t.id)
      .where(sql`${t.hasReply}`),
    index("conversation_lead_idx").on(t.leadId),
  ],
);

/**
 * One message: received from the lead, sent by the engine (automated), or answered by a person
 * from Outflow. A person's answer is its own send: `intent` → `sent` / `failed`, with an
 * idempotency key, like an engine action.
 */
export const message = pgTable(
  "message",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversation.id, { onDelete: "cascade" }),
    /** `in` (from the lead) or `out`. */
    direction: text("direction").notNull(),
    /** `lead`, `automated` (a campaign step) or `person` (an answer typed in Outflow). */
    origin: text("origin").notNull(),
    /** For an outgoing message: `connect` (the invitation's note), `message` or `inmail`. */
    kind: text("kind").notNull().default("message"),
    subject: text("subject"),
    text: text("text").notNull(),
    at: tz("at").notNull(),
    /** The person who typed an answer (a user id), or the lead's name for a received message. */
    senderUserId: text("sender_user_id"),
    senderName: text("sender_name"),
    /** The provider's id of the message (the de-duplication key of received messages). */
    providerMessageId: text("provider_message_id"),
    chatId: text("chat_id"),
    /** The engine action that sent it (automated), or the answer's own key (person). */
    actionId: text("action_id"),
    idempotencyKey: text("idempotency_key"),
    /** intent → sent / failed for outgoing messages; `received` for incoming ones. */
    status: text("status").notNull(),
    error: text("error"),
    /** The local date whose message counter holds an answer's slot. */
    localDate: date("local_date", { mode: "string" }),
    /** What the classifier read in a received reply. */
    category: text("category"),
    language: text("language"),
    returnDate: date("return_date", { mode: "string" }),
    referral: text("referral"),
    /** A person's correction of the category: kept, never overwritten by the classifier. */
    correctedCategory: text("corrected_category"),
    campaignId: text("campaign_id"),
    nodeId: text("node_id"),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("message_conversation_idx").on(t.conversationId, t.at),
    uniqueIndex("message_provider_uq")
      .on(t.conversationId, t.providerMessageId)
      .where(sql`${t.providerMessageId} is not null`),
    uniqueIndex("message_key_uq")
      .on(t.workspaceId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index("message_intent_idx").on(t.status).where(sql`${t.status} = 'intent'`),
  ],
);
