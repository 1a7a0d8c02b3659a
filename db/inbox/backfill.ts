import "server-only";

import { randomUUID } from "node:crypto";
import { and, eq, isNotNull, lte, sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { lead, senderAccount } from "../schema/index";
import { upsertConversation } from "./messages";

// The inbox backfill's storage: which seats are due to have their chats read back from LinkedIn
// (after a connection or a reconnection), and the messages it finds that are not replies.

/** Asks for the seat's inbox to be read back; runs in the engine's background, not here. */
export async function requestInboxBackfill(db: Database, accountId: string, at: Date) {
  await db
    .update(senderAccount)
    .set({ inboxBackfillDueAt: at })
    .where(eq(senderAccount.id, accountId));
}

export interface DueInboxBackfill {
  accountId: string;
  workspaceId: string;
  providerAccountId: string;
  dueAt: Date;
}

/** Unipile seats whose backfill is due, oldest request first. */
export async function dueInboxBackfills(
  db: Database,
  now: Date,
  limit: number,
): Promise<DueInboxBackfill[]> {
  const rows = await db
    .select({
      accountId: senderAccount.id,
      workspaceId: senderAccount.workspaceId,
      providerAccountId: senderAccount.providerAccountId,
      dueAt: senderAccount.inboxBackfillDueAt,
    })
    .from(senderAccount)
    .where(
      and(
        isNotNull(senderAccount.inboxBackfillDueAt),
        lte(senderAccount.inboxBackfillDueAt, now),
        eq(senderAccount.provider, "unipile"),
      ),
    )
    .orderBy(senderAccount.inboxBackfillDueAt)
    .limit(limit);
  return rows.flatMap((r) =>
    r.dueAt && r.providerAccountId
      ? [{ ...r, providerAccountId: r.providerAccountId, dueAt: r.dueAt }]
      : [],
  );
}

/**
 * Ends a backfill (`next` null) or puts it off after a failure. Only the request it ran for:
 * a reconnection asked for meanwhile stays due.
 */
export async function settleInboxBackfill(
  db: Database,
  run: DueInboxBackfill,
  next: Date | null,
): Promise<void> {
  await db
    .update(senderAccount)
    .set({ inboxBackfillDueAt: next })
    .where(
      and(eq(senderAccount.id, run.accountId), eq(senderAccount.inboxBackfillDueAt, run.dueAt)),
    );
}

/** The lead of the workspace with this LinkedIn member id, if any. */
export async function leadByProviderId(db: Database, workspaceId: string, providerId: string) {
  const [row] = await db
    .select({
      id: lead.id,
      providerId: lead.providerId,
      publicIdentifier: lead.publicIdentifier,
      firstName: lead.firstName,
      lastName: lead.lastName,
    })
    .from(lead)
    .where(and(eq(lead.workspaceId, workspaceId), eq(lead.providerId, providerId)))
    .limit(1);
  return row ?? null;
}

export interface BackfilledMessage {
  workspaceId: string;
  accountId: string;
  leadId: string;
  chatId: string;
  /** As the webhook path stores it (`message:<id>`), so either path stores it once. */
  providerMessageId: string;
  /** Unipile's own id, which the engine's sends record as their reference. */
  rawMessageId: string;
  direction: "in" | "out";
  text: string;
  at: Date;
  senderName: string | null;
}

/**
 * Stores a message read back from LinkedIn that is not a reply: the seat's own (written on
 * LinkedIn, or a send Outflow already holds under its raw id or with the same text within
 * minutes, then skipped) or the lead's from before the seat first wrote to them. It neither
 * marks the thread unread nor reopens it. Answers whether it was new.
 */
export async function recordBackfilledMessage(
  db: Database,
  input: BackfilledMessage,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const conversationId = await upsertConversation(tx, {
      workspaceId: input.workspaceId,
      accountId: input.accountId,
      leadId: input.leadId,
      chatId: input.chatId,
      at: input.at,
      text: input.text,
    });
    const at = input.at.toISOString();
    const inserted = await queryRows<{ id: string }>(
      tx,
      sql`insert into message (id, workspace_id, conversation_id, direction, origin, kind, text, at,
                               sender_name, provider_message_id, chat_id, status)
          select ${randomUUID()}, ${input.workspaceId}, ${conversationId}, ${input.direction},
                 ${input.direction === "in" ? "lead" : "linkedin"}, 'message', ${input.text},
                 ${at}::timestamptz, ${input.senderName}, ${input.providerMessageId},
                 ${input.chatId}, ${input.direction === "in" ? "received" : "sent"}
           where not exists (
                   select 1 from message m
                    where m.conversation_id = ${conversationId}
                      and (m.provider_message_id in (${input.providerMessageId}, ${input.rawMessageId})
                           or (${input.direction} = 'out' and m.direction = 'out'
                               and m.text = ${input.text}
                               and m.at between ${at}::timestamptz - interval '10 minutes'
                                            and ${at}::timestamptz + interval '10 minutes')))
          on conflict (conversation_id, provider_message_id) where provider_message_id is not null
          do nothing
          returning id`,
    );
    return inserted.length > 0;
  });
}
