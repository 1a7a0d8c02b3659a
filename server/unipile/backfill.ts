import "server-only";

import type { Database } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import {
  type DueInboxBackfill,
  dueInboxBackfills,
  leadByProviderId,
  recordBackfilledMessage,
  settleInboxBackfill,
} from "@/db/inbox/backfill";
import { firstContactAt } from "@/db/queries/unipile";
import { messageEventId, type UnipileProvider } from "@/workflows/providers/unipile/index";
import type { UnipileAdapters } from "./adapters";

// After a seat is connected or reconnected, its recent chats are read back from LinkedIn into
// the inbox: what was written while Outflow was not listening (or before the seat was
// connected at all). A message the lead wrote after the seat first reached them goes through
// the same event path as a webhook, under the same event id, so it is a reply exactly once
// whichever path sees it first; everything else is stored as history, once per message id.

/** How far back a backfill reads. */
export const BACKFILL_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** At most this many chats per seat, newest first. */
export const BACKFILL_MAX_CHATS = 200;
/** At most this many pages of messages per chat. */
const MAX_MESSAGE_PAGES = 4;
const MESSAGE_PAGE_SIZE = 50;
/** A backfill that could not read Unipile is tried again this much later. */
const RETRY_AFTER_MS = 15 * 60 * 1000;

export interface BackfillResult {
  chats: number;
  matched: number;
  replies: number;
  stored: number;
}

/** Reads one seat's recent chats back into the inbox. Throws when Unipile cannot be read. */
export async function backfillSeatInbox(
  db: Database,
  adapter: UnipileProvider,
  seat: { accountId: string; workspaceId: string; providerAccountId: string },
  now: Date,
): Promise<BackfillResult> {
  const account = { accountId: seat.accountId, providerAccountId: seat.providerAccountId };
  const since = new Date(now.getTime() - BACKFILL_WINDOW_MS);
  const chats = await adapter.chatsSince(account, since, { max: BACKFILL_MAX_CHATS });
  const result: BackfillResult = { chats: chats.length, matched: 0, replies: 0, stored: 0 };
  for (const chat of chats) {
    const lead = await leadByProviderId(db, seat.workspaceId, chat.attendeeProviderId);
    if (!lead?.providerId) continue;
    result.matched += 1;
    const messages = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_MESSAGE_PAGES; page++) {
      const read = await adapter.chatMessages(account, chat.id, {
        cursor,
        limit: MESSAGE_PAGE_SIZE,
      });
      messages.push(...read.items);
      const oldest = read.items.at(-1)?.at;
      if (!read.cursor || (oldest && oldest.getTime() < since.getTime())) break;
      cursor = read.cursor;
    }
    const firstContact = await firstContactAt(db, seat.accountId, lead.id);
    // Oldest first, so the thread's preview ends on the newest.
    for (const message of messages.reverse()) {
      if (!message.at || message.at.getTime() < since.getTime() || !message.text) continue;
      const fromLead = !message.own && message.senderProviderId === lead.providerId;
      if (!message.own && !fromLead) continue;
      if (fromLead && firstContact && message.at.getTime() > firstContact.getTime()) {
        const stored = await ingestEvent(
          db,
          "unipile",
          {
            externalId: messageEventId(message.id),
            type: "replied",
            providerAccountId: seat.providerAccountId,
            leadProviderId: lead.providerId,
            leadPublicIdentifier: lead.publicIdentifier,
            chatId: chat.id,
            occurredAt: message.at,
            text: message.text,
          },
          now,
        );
        if (stored === "stored") result.replies += 1;
        continue;
      }
      const stored = await recordBackfilledMessage(db, {
        workspaceId: seat.workspaceId,
        accountId: seat.accountId,
        leadId: lead.id,
        chatId: chat.id,
        providerMessageId: messageEventId(message.id),
        rawMessageId: message.id,
        direction: fromLead ? "in" : "out",
        text: message.text,
        at: message.at,
        senderName: fromLead ? `${lead.firstName} ${lead.lastName}`.trim() : null,
      });
      if (stored) result.stored += 1;
    }
  }
  return result;
}

/**
 * The backfills due (a seat connected or reconnected), a few per engine tick. A failure puts
 * the seat's backfill off by 15 minutes; a reconnection during a run asks for another.
 */
export async function runDueInboxBackfills(
  db: Database,
  adapters: UnipileAdapters,
  now: Date,
  options: { limit?: number; log?: (message: string) => void } = {},
): Promise<number> {
  const due = await dueInboxBackfills(db, now, options.limit ?? 2);
  for (const run of due) await runOne(db, adapters, run, now, options.log);
  return due.length;
}

async function runOne(
  db: Database,
  adapters: UnipileAdapters,
  run: DueInboxBackfill,
  now: Date,
  log?: (message: string) => void,
) {
  const adapter = await adapters.forWorkspace(run.workspaceId);
  if ("missing" in adapter) {
    await settleInboxBackfill(db, run, new Date(now.getTime() + RETRY_AFTER_MS));
    return;
  }
  try {
    const result = await backfillSeatInbox(db, adapter, run, now);
    await settleInboxBackfill(db, run, null);
    log?.(
      `Inbox backfill: ${result.chats} chat(s) read, ${result.matched} with a lead, ${result.replies} reply(ies) and ${result.stored} other message(s) new`,
    );
  } catch {
    await settleInboxBackfill(db, run, new Date(now.getTime() + RETRY_AFTER_MS));
  }
}
