import "server-only";

import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "@/db/client";
import { endEnrollments } from "@/db/inbox/effects";
import { upsertConversation } from "@/db/inbox/messages";
import type { AnswerResult } from "@/views/inbox";
import { capsInForce, localDate, PacingSettingsSchema } from "@/workflows/engine/pacing/index";
import type { Provider, ProviderOutcome } from "@/workflows/providers/types";
import { conflict, notFound } from "../http/errors";

/** The longest answer LinkedIn takes in a message. */
export const MAX_ANSWER_CHARS = 8000;

/** An answer's intent older than this, still unresolved, is asked about at LinkedIn. */
export const ANSWER_SETTLE_MS = 2 * 60_000;

interface AnswerTarget {
  conversationId: string;
  workspaceId: string;
  chatId: string | null;
  accountId: string;
  providerAccountId: string;
  accountStatus: string;
  statusReason: string | null;
  pacing: unknown;
  leadId: string;
  publicIdentifier: string;
  providerId: string | null;
}

async function answerTarget(
  db: Database,
  workspaceId: string,
  conversationId: string,
): Promise<AnswerTarget> {
  const [row] = await queryRows<AnswerTarget>(
    db,
    sql`select c.id as "conversationId", c.workspace_id as "workspaceId", c.chat_id as "chatId",
               a.id as "accountId", a.provider_account_id as "providerAccountId",
               a.status as "accountStatus", a.status_reason as "statusReason", a.pacing,
               l.id as "leadId", l.public_identifier as "publicIdentifier",
               l.provider_id as "providerId"
          from conversation c
          join sender_account a on a.id = c.account_id
          join lead l on l.id = c.lead_id
         where c.id = ${conversationId} and c.workspace_id = ${workspaceId}`,
  );
  if (!row) throw notFound("The conversation");
  return row;
}

type MessageRow = { id: string; status: AnswerResult["status"]; error: string | null; at: Date };

const toResult = (row: MessageRow, created: boolean): AnswerResult => ({
  id: row.id,
  status: row.status,
  error: row.error,
  at: new Date(row.at).toISOString(),
  created,
});

const SEAT_STATUS_WORDS: Record<string, string> = {
  paused: "is paused",
  restricted: "is restricted by LinkedIn",
  needs_reconnect: "needs reconnecting",
  cooling_down: "is cooling down after a LinkedIn limit",
};

/**
 * A person's answer in a conversation, sent the way the engine sends: an `intent` with its
 * own idempotency key is committed together with the seat's message slot (under the seat's
 * lock, against its caps) and the end of the lead's automated sequence on that seat; then
 * LinkedIn is called; then the message is marked. The same key never sends twice: a repeat
 * answers the first attempt's state. An intent whose outcome is unknown (a crash, a timeout)
 * is left for `reconcileAnswers`. Working hours do not hold a person's answer back.
 */
export async function answerConversation(
  db: Database,
  provider: Provider,
  input: {
    workspaceId: string;
    conversationId: string;
    user: { id: string; name: string };
    text: string;
    key: string;
    now: Date;
    /** For tests: runs after the intent is committed and before LinkedIn is called. */
    beforeSend?: () => Promise<void> | void;
  },
): Promise<AnswerResult> {
  const target = await answerTarget(db, input.workspaceId, input.conversationId);
  const idempotencyKey = `answer:${target.conversationId}:${input.key}`;
  const existing = async () => {
    const [row] = await queryRows<MessageRow>(
      db,
      sql`select id, status, error, at from message
           where workspace_id = ${input.workspaceId} and idempotency_key = ${idempotencyKey}`,
    );
    return row;
  };
  const before = await existing();
  if (before) return toResult(before, false);

  const pacing = PacingSettingsSchema.parse(target.pacing);
  const day = localDate(input.now, pacing.timeZone);
  const caps = capsInForce(pacing, day);
  const at = input.now.toISOString();
  const messageId = randomUUID();

  const created = await db.transaction(async (tx) => {
    const [seat] = await queryRows<{ status: string; status_reason: string | null }>(
      tx,
      sql`select status, status_reason from sender_account where id = ${target.accountId} for update`,
    );
    if (seat?.status !== "active") {
      const words = SEAT_STATUS_WORDS[seat?.status ?? ""] ?? "cannot send now";
      throw conflict(`The sender account ${words}: the answer was not sent.`, "seat_unavailable");
    }
    // The same key may have won the race while this request waited for the lock.
    const [raced] = await queryRows<{ id: string }>(
      tx,
      sql`select id from message where workspace_id = ${input.workspaceId}
             and idempotency_key = ${idempotencyKey}`,
    );
    if (raced) return false;
    const used = await queryRows<{ kind: string; used: number }>(
      tx,
      sql`select kind, used from usage_counter
           where account_id = ${target.accountId} and local_date = ${day}::date
             and kind in ('message', 'total')`,
    );
    const usedOf = (kind: string) => used.find((u) => u.kind === kind)?.used ?? 0;
    if (usedOf("message") >= caps.message) {
      throw conflict(
        `The sender account has sent its ${caps.message} messages for today: the answer was not sent. Try again tomorrow or raise the seat's message cap.`,
        "cap_reached",
      );
    }
    if (usedOf("total") >= caps.total) {
      throw conflict(
        `The sender account has done its ${caps.total} actions for today: the answer was not sent.`,
        "cap_reached",
      );
    }
    await tx.execute(
      sql`insert into usage_counter (account_id, local_date, kind, used, booked)
          values (${target.accountId}, ${day}::date, 'message', 1, 0),
                 (${target.accountId}, ${day}::date, 'total', 1, 0)
          on conflict (account_id, local_date, kind) do update
            set used = usage_counter.used + 1`,
    );
    await upsertConversation(tx, {
      workspaceId: input.workspaceId,
      accountId: target.accountId,
      leadId: target.leadId,
      chatId: target.chatId,
      at: input.now,
      text: input.text,
    });
    await tx.execute(
      sql`insert into message (id, workspace_id, conversation_id, direction, origin, kind, text, at,
                               sender_user_id, sender_name, chat_id, idempotency_key, status,
                               local_date, created_at)
          values (${messageId}, ${input.workspaceId}, ${target.conversationId}, 'out', 'person',
                  'message', ${input.text}, ${at}::timestamptz, ${input.user.id},
                  ${input.user.name}, ${target.chatId}, ${idempotencyKey}, 'intent', ${day}::date,
                  ${new Date().toISOString()}::timestamptz)`,
    );
    // The person has taken over: the lead's automated sequence on this seat ends here.
    await endEnrollments(
      tx,
      sql`select id from enrollment where lead_id = ${target.leadId}
             and account_id = ${target.accountId} and state = 'active'`,
      { outcome: "taken_over", reason: "a person took over the conversation", at: input.now },
    );
    return true;
  });
  if (!created) {
    const row = await existing();
    if (!row) throw new Error("answer vanished");
    return toResult(row, false);
  }

  await input.beforeSend?.();
  let outcome: ProviderOutcome;
  try {
    outcome = await provider.perform(
      "message",
      { accountId: target.accountId, providerAccountId: target.providerAccountId },
      {
        leadId: target.leadId,
        publicIdentifier: target.publicIdentifier,
        providerId: target.providerId,
      },
      { text: input.text, chatId: target.chatId },
      { idempotencyKey, at: input.now },
    );
  } catch (error) {
    outcome = { status: "unknown", detail: error instanceof Error ? error.message : String(error) };
  }
  return toResult(await markAnswer(db, messageId, outcome), true);
}

const NOT_SENT_WORDS: Record<string, string> = {
  not_connected: "the lead is not a connection of this seat",
  not_reachable: "LinkedIn says the lead cannot be reached",
  replied: "the lead cannot receive messages now",
};

function failureOf(outcome: ProviderOutcome): string {
  switch (outcome.status) {
    case "not_sent":
      return `Not sent: ${NOT_SENT_WORDS[outcome.reason] ?? outcome.reason.replaceAll("_", " ")}.`;
    case "limited":
      return "Not sent: LinkedIn limited the seat for now. Try again later.";
    case "restricted":
      return "Not sent: LinkedIn restricted the seat.";
    case "disconnected":
      return "Not sent: the seat needs reconnecting.";
    case "credentials":
      return "Not sent: the workspace's Unipile API key was refused.";
    case "wait":
      return "Not sent: LinkedIn does not allow this message yet.";
    default:
      return `Not sent: LinkedIn refused the message${"detail" in outcome && outcome.detail ? ` (${outcome.detail.slice(0, 200)})` : ""}.`;
  }
}

/** Marks an answer from LinkedIn's outcome; an unknown outcome leaves it for reconciliation. */
async function markAnswer(
  db: Database,
  messageId: string,
  outcome: ProviderOutcome,
): Promise<MessageRow> {
  if (outcome.status === "unknown") {
    const [row] = await queryRows<MessageRow>(
      db,
      sql`select id, status, error, at from message where id = ${messageId}`,
    );
    if (!row) throw new Error("answer vanished");
    return row;
  }
  if (outcome.status === "sent") return settleAnswer(db, messageId, { sent: true, ...outcome });
  return settleAnswer(db, messageId, { sent: false, error: failureOf(outcome) });
}

async function settleAnswer(
  db: Database,
  messageId: string,
  result:
    | { sent: true; reference?: string | null; chatId?: string | null }
    | { sent: false; error: string },
): Promise<MessageRow> {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<MessageRow & { conversation_id: string }>(
      tx,
      result.sent
        ? sql`update message set status = 'sent', provider_message_id = ${result.reference ?? null},
                     chat_id = coalesce(${result.chatId ?? null}, chat_id)
               where id = ${messageId} and status = 'intent'
              returning id, status, error, at, conversation_id`
        : sql`update message set status = 'failed', error = ${result.error}
               where id = ${messageId} and status = 'intent'
              returning id, status, error, at, conversation_id`,
    );
    if (!row) {
      const [current] = await queryRows<MessageRow>(
        tx,
        sql`select id, status, error, at from message where id = ${messageId}`,
      );
      if (!current) throw new Error("answer vanished");
      return current;
    }
    if (result.sent && result.chatId) {
      await tx.execute(
        sql`update conversation set chat_id = coalesce(chat_id, ${result.chatId})
             where id = ${row.conversation_id}`,
      );
    }
    if (!result.sent) {
      // The message never reached LinkedIn: its slot goes back to the seat.
      await tx.execute(
        sql`update usage_counter u set used = greatest(u.used - 1, 0)
              from message m join conversation c on c.id = m.conversation_id
             where m.id = ${messageId} and u.account_id = c.account_id
               and u.local_date = m.local_date and u.kind in ('message', 'total')`,
      );
    }
    return row;
  });
}

/**
 * Answers left as `intent` by a crash or a timeout: once older than `settleMs` (no request
 * can still be sending them), LinkedIn is asked whether each went through, by its key. Sent:
 * marked sent. Not there: marked failed and its slot given back; nothing is ever sent again
 * for it (the person sees the failure and answers anew). Unknown: asked again later.
 */
export async function reconcileAnswers(
  db: Database,
  provider: Provider,
  options: { settleMs?: number; limit?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const settleMs = options.settleMs ?? ANSWER_SETTLE_MS;
  const cutoff = new Date(Date.now() - settleMs).toISOString();
  const rows = await queryRows<{
    id: string;
    idempotency_key: string;
    at: Date;
    account_id: string;
    provider_account_id: string;
    lead_id: string;
    public_identifier: string;
    provider_id: string | null;
  }>(
    db,
    sql`select m.id, m.idempotency_key, m.at, a.id as account_id,
               a.provider_account_id, l.id as lead_id, l.public_identifier, l.provider_id
          from message m
          join conversation c on c.id = m.conversation_id
          join sender_account a on a.id = c.account_id
          join lead l on l.id = c.lead_id
         where m.status = 'intent' and m.created_at <= ${cutoff}::timestamptz
         order by m.created_at limit ${options.limit ?? 50}`,
  );
  let sent = 0;
  let failed = 0;
  for (const row of rows) {
    const found = await provider.reconcile(
      { accountId: row.account_id, providerAccountId: row.provider_account_id },
      { leadId: row.lead_id, publicIdentifier: row.public_identifier, providerId: row.provider_id },
      { kind: "message", idempotencyKey: row.idempotency_key, since: new Date(row.at) },
    );
    if (found.status === "sent") {
      await settleAnswer(db, row.id, { sent: true, ...found });
      sent++;
    } else if (found.status === "not_sent") {
      await settleAnswer(db, row.id, {
        sent: false,
        error: "Not sent: the send was interrupted and LinkedIn never got it. Answer again.",
      });
      failed++;
    }
  }
  return { sent, failed };
}
