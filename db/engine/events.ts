import "server-only";

import { and, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { InboundEvent } from "@/workflows/providers/types";
import { type ReplyClassification, readInboundEvent } from "@/workflows/replies/index";
import type { Database } from "../client";
import { blocklistForUnsubscribe, pauseForOutOfOffice } from "../inbox/effects";
import { recordInboundMessage } from "../inbox/messages";
import { enrollment, inboundEvent, lead, senderAccount } from "../schema/index";
import { type OutboxEventInput, recordOutboxEvents } from "../webhooks/outbox";

export type IngestResult = "stored" | "duplicate" | "unknown_account";

const ACCOUNT_STATUS: Record<string, string> = {
  OK: "active",
  RECONNECTED: "active",
  CREATION_SUCCESS: "active",
  SYNC_SUCCESS: "active",
  CREDENTIALS: "needs_reconnect",
  ERROR: "needs_reconnect",
  STOPPED: "needs_reconnect",
  DELETED: "needs_reconnect",
};

/**
 * Stores an event from LinkedIn (webhook or sandbox) once, then processes it: resolves the
 * account and the lead, and wakes the lead's enrollments so conditions are decided at once.
 * Conditions read stored events, so an event that arrives early, twice or late is harmless.
 */
export async function ingestEvent(
  db: Database,
  provider: string,
  event: InboundEvent,
  receivedAt: Date,
): Promise<IngestResult> {
  const [account] = await db
    .select({
      id: senderAccount.id,
      workspaceId: senderAccount.workspaceId,
      status: senderAccount.status,
    })
    .from(senderAccount)
    .where(
      and(
        eq(senderAccount.provider, provider),
        eq(senderAccount.providerAccountId, event.providerAccountId),
      ),
    )
    .limit(1);
  if (!account) return "unknown_account";

  let leadId: string | null = null;
  let leadIdentity: { publicIdentifier: string; firstName: string; lastName: string } | null = null;
  if (event.leadProviderId || event.leadPublicIdentifier) {
    const identity = [
      event.leadProviderId ? eq(lead.providerId, event.leadProviderId) : undefined,
      event.leadPublicIdentifier
        ? eq(lead.publicIdentifier, event.leadPublicIdentifier)
        : undefined,
    ].filter((c) => c !== undefined);
    const [found] = await db
      .select({
        id: lead.id,
        publicIdentifier: lead.publicIdentifier,
        firstName: lead.firstName,
        lastName: lead.lastName,
      })
      .from(lead)
      .where(and(eq(lead.workspaceId, account.workspaceId), or(...identity)))
      .limit(1);
    leadId = found?.id ?? null;
    leadIdentity = found ?? null;
  }

  const { classification, type } = readInboundEvent(event);

  // The event, its message in the inbox and the webhooks that announce it commit together.
  const stored = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(inboundEvent)
      .values({
        workspaceId: account.workspaceId,
        provider,
        externalId: event.externalId,
        type,
        providerAccountId: event.providerAccountId,
        accountId: account.id,
        leadId,
        chatId: event.chatId ?? null,
        occurredAt: event.occurredAt,
        receivedAt,
        payload: event.accountStatus ? { accountStatus: event.accountStatus } : null,
      })
      .onConflictDoNothing()
      .returning({ id: inboundEvent.id });
    const row = inserted[0];
    if (row && leadId && leadIdentity && event.type === "replied" && event.text) {
      await recordInboundMessage(tx, {
        workspaceId: account.workspaceId,
        accountId: account.id,
        leadId,
        chatId: event.chatId ?? null,
        providerMessageId: event.externalId,
        text: event.text,
        at: event.occurredAt,
        senderName: `${leadIdentity.firstName} ${leadIdentity.lastName}`.trim(),
        classification,
      });
    }
    if (row && leadId && leadIdentity && (event.type === "replied" || event.type === "accepted")) {
      await recordOutboxEvents(tx, [
        leadWebhookEvent(account, { id: leadId, ...leadIdentity }, event, classification),
      ]);
    }
    return row;
  });
  if (!stored) return "duplicate";

  if (event.type === "account_status" && event.accountStatus) {
    const status = ACCOUNT_STATUS[event.accountStatus];
    if (status) {
      // A working session only ends a "needs reconnecting": it never lifts a person's pause,
      // a restriction or a safety pause.
      const from = status === "active" ? ["needs_reconnect"] : ["active", "cooling_down"];
      await db.transaction(async (tx) => {
        const changed = await tx
          .update(senderAccount)
          .set({ status, statusReason: `LinkedIn status ${event.accountStatus}` })
          .where(and(eq(senderAccount.id, account.id), inArray(senderAccount.status, from)))
          .returning({ id: senderAccount.id, name: senderAccount.name });
        const seat = changed[0];
        if (seat && status === "needs_reconnect") {
          await recordOutboxEvents(tx, [
            {
              workspaceId: account.workspaceId,
              type: "account.needs_reconnect",
              // The shape the engine's own pauses give it (db/webhooks/events.ts).
              payload: {
                accountId: seat.id,
                accountName: seat.name,
                status: "needs_reconnect",
                reason: `LinkedIn status ${event.accountStatus}`,
                linkedinStatus: event.accountStatus,
              },
              occurredAt: event.occurredAt,
            },
          ]);
        }
      });
    }
  } else if (leadId && type === "out_of_office") {
    await pauseForOutOfOffice(db, {
      accountId: account.id,
      leadId,
      returnDate: classification?.returnDate ?? null,
      at: receivedAt,
    });
  } else if (leadId) {
    if (classification?.category === "unsubscribe" && leadIdentity) {
      await blocklistForUnsubscribe(
        db,
        account.workspaceId,
        leadIdentity.publicIdentifier,
        receivedAt,
      );
    }
    if (event.type === "replied" && event.chatId)
      await oweRefundForReply(db, account.id, leadId, event);
    await db
      .update(enrollment)
      .set({ nextRunAt: receivedAt })
      .where(
        and(
          eq(enrollment.leadId, leadId),
          eq(enrollment.accountId, account.id),
          eq(enrollment.state, "active"),
          gt(enrollment.nextRunAt, receivedAt),
          or(isNull(enrollment.leaseExpiresAt), lt(enrollment.leaseExpiresAt, receivedAt)),
        ),
      );
  }
  await db
    .update(inboundEvent)
    .set({ processedAt: sql`${receivedAt.toISOString()}` })
    .where(eq(inboundEvent.id, stored.id));
  return "stored";
}

/** `lead.replied` (with the reply's category) or `lead.accepted`, for the outbox. */
function leadWebhookEvent(
  account: { id: string; workspaceId: string },
  found: { id: string; publicIdentifier: string; firstName: string; lastName: string },
  event: InboundEvent,
  classification: ReplyClassification | null,
): OutboxEventInput {
  const leadData = {
    id: found.id,
    publicIdentifier: found.publicIdentifier,
    firstName: found.firstName,
    lastName: found.lastName,
  };
  if (event.type === "accepted") {
    return {
      workspaceId: account.workspaceId,
      type: "lead.accepted",
      payload: { lead: leadData, accountId: account.id },
      occurredAt: event.occurredAt,
    };
  }
  const text = event.text ?? null;
  return {
    workspaceId: account.workspaceId,
    type: "lead.replied",
    payload: {
      lead: leadData,
      accountId: account.id,
      chatId: event.chatId ?? null,
      text,
      category: classification?.category ?? null,
      language: classification?.language ?? null,
      returnDate: classification?.returnDate ?? null,
      referral: classification?.referral ?? null,
    },
    occurredAt: event.occurredAt,
  };
}

/**
 * A reply in a paid InMail's own thread, within the pool's refund window, earns that credit
 * back after the policy's delay: the refund is owed now and posted by the engine when due.
 * Once per InMail; nothing for a pool without a refund policy or a reply elsewhere. A reply
 * answers an InMail only when it comes after it.
 */
async function oweRefundForReply(
  db: Database,
  accountId: string,
  leadId: string,
  event: InboundEvent,
) {
  const at = event.occurredAt.toISOString();
  await db.execute(
    sql`insert into credit_refund (action_id, workspace_id, pool_id, replied_at, due_at)
        select a.id, a.workspace_id, l.pool_id, ${at}::timestamptz,
               ${at}::timestamptz + coalesce((p.refund_policy->>'delayDays')::int, 1) * interval '1 day'
          from action a
          join credit_ledger l on l.action_id = a.id and l.type = 'spend'
          join credit_pool p on p.id = l.pool_id
         where a.lead_id = ${leadId} and a.account_id = ${accountId}
           and a.kind = 'inmail' and a.status = 'sent' and a.credits > 0
           and a.chat_id = ${event.chatId}
           and p.refund_policy->>'type' = 'on_reply'
           and a.sent_at < ${at}::timestamptz
           and ${at}::timestamptz <= a.sent_at
                 + coalesce((p.refund_policy->>'windowDays')::int, 90) * interval '1 day'
        on conflict (action_id) do nothing`,
  );
}
