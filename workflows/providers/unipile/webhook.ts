/**
 * Unipile's webhook deliveries, read into what Outflow acts on: a new message (maybe a reply),
 * a new relation (an accepted invitation) or a change of a seat's status. Everything else is
 * acknowledged and dropped.
 */
import { z } from "zod";

export type UnipileWebhook =
  | {
      kind: "message";
      providerAccountId: string;
      chatId: string;
      messageId: string;
      /** The member who wrote it: the lead, or the seat itself (its own messages come too). */
      senderProviderId: string | null;
      /** When it was written on LinkedIn; replayed old messages carry their old time. */
      sentAt: Date | null;
      /** The message's text, when the delivery carries one. */
      text: string | null;
    }
  | {
      kind: "relation";
      providerAccountId: string;
      leadProviderId: string | null;
      leadPublicIdentifier: string | null;
    }
  | { kind: "account_status"; providerAccountId: string; status: string }
  | { kind: "ignored"; reason: string };

const text = z.string().min(1);

const messageDelivery = z.looseObject({
  event: z.literal("message_received"),
  account_id: text,
  chat_id: text,
  message_id: text,
  message: z.string().nullish(),
  timestamp: z.string().nullish(),
  sender: z.looseObject({ attendee_provider_id: z.string().nullish() }).nullish(),
});

const relationDelivery = z.looseObject({
  event: z.literal("new_relation"),
  account_id: text,
  user_provider_id: z.string().nullish(),
  user_public_identifier: z.string().nullish(),
});

const statusDelivery = z.looseObject({
  AccountStatus: z.looseObject({ account_id: text, message: text }),
});

function instant(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function parseUnipileWebhook(body: unknown): UnipileWebhook {
  const status = statusDelivery.safeParse(body);
  if (status.success) {
    return {
      kind: "account_status",
      providerAccountId: status.data.AccountStatus.account_id,
      status: status.data.AccountStatus.message,
    };
  }
  const message = messageDelivery.safeParse(body);
  if (message.success) {
    return {
      kind: "message",
      providerAccountId: message.data.account_id,
      chatId: message.data.chat_id,
      messageId: message.data.message_id,
      senderProviderId: message.data.sender?.attendee_provider_id ?? null,
      sentAt: instant(message.data.timestamp),
      text: message.data.message || null,
    };
  }
  const relation = relationDelivery.safeParse(body);
  if (relation.success) {
    const leadProviderId = relation.data.user_provider_id || null;
    const leadPublicIdentifier = relation.data.user_public_identifier || null;
    if (!leadProviderId && !leadPublicIdentifier) {
      return { kind: "ignored", reason: "a relation without a member" };
    }
    return {
      kind: "relation",
      providerAccountId: relation.data.account_id,
      leadProviderId,
      leadPublicIdentifier,
    };
  }
  const event =
    typeof body === "object" && body !== null && "event" in body
      ? String((body as { event: unknown }).event)
      : "unknown";
  return { kind: "ignored", reason: `event ${event}` };
}

/** The id of an acceptance, the same whether the webhook or the relations poll found it. */
export function relationEventId(providerAccountId: string, lead: string): string {
  return `relation:${providerAccountId}:${lead}`;
}

/** The id of a reply: Unipile's message id, so a redelivery is the same event. */
export function messageEventId(messageId: string): string {
  return `message:${messageId}`;
}

/**
 * The key under which a delivery is stored once. Messages and relations have ids of their own;
 * a status has none, so repeats of the same status within a few minutes count as one delivery
 * (Unipile's retries), while a later change back to it is a new one.
 */
export function deliveryKey(webhook: UnipileWebhook, receivedAt: Date): string | null {
  switch (webhook.kind) {
    case "message":
      return messageEventId(webhook.messageId);
    case "relation":
      return relationEventId(
        webhook.providerAccountId,
        webhook.leadProviderId ?? webhook.leadPublicIdentifier ?? "",
      );
    case "account_status": {
      const window = Math.floor(receivedAt.getTime() / (5 * 60_000));
      return `status:${webhook.providerAccountId}:${webhook.status}:${window}`;
    }
    case "ignored":
      return null;
  }
}
