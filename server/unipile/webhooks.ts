import "server-only";

import type { Database } from "@/db/client";
import { ingestEvent } from "@/db/engine/events";
import { requestInboxBackfill } from "@/db/inbox/backfill";
import {
  findContactedLeadByProviderId,
  findLeadByChat,
  findUnipileAccount,
  findWebhookDelivery,
  firstContactAt,
  markWebhookDeliveryProcessed,
  moveAccountStatus,
  storeWebhookDelivery,
  unprocessedWebhookDeliveries,
} from "@/db/queries/unipile";
import {
  deliveryKey,
  describeFailure,
  messageEventId,
  parseUnipileWebhook,
  relationEventId,
  type UnipileWebhook,
  withTimeout,
} from "@/workflows/providers/unipile/index";
import { badRequest } from "../http/errors";
import type { Caller } from "../http/guard";
import { isLocalHostName } from "../net/public-host";
import { deriveSecret, encryptionKeyFrom, requireEncryptionKey, secretsMatch } from "./crypto";
import { requireWorkspaceUnipile } from "./workspace-unipile";

// Unipile's webhooks: checked (secret header, constant time), stored once, answered at once,
// then processed apart from the request. Processing twice is harmless (events are stored under
// their own ids), so a crash between storing and processing only delays an event.

/** The header Unipile sends with every delivery; its value is set when the webhook is made. */
export const WEBHOOK_SECRET_HEADER = "Unipile-Auth";

/** The app's public address, for the URLs handed to Unipile. */
export function appBaseUrl(env: Partial<NodeJS.ProcessEnv> = process.env): string {
  const configured = env.OUTFLOW_PUBLIC_URL || env.BETTER_AUTH_URL;
  const base = configured || `http://localhost:${env.PORT || 3000}`;
  return base.replace(/\/+$/, "");
}

/** Each workspace has its own webhook secret, so one workspace cannot speak for another. */
export function webhookSecretFor(
  workspaceId: string,
  key: Buffer = requireEncryptionKey(),
): string {
  return deriveSecret(key, `unipile-webhook|${workspaceId}`);
}

export function webhookUrlFor(
  workspaceId: string,
  env: Partial<NodeJS.ProcessEnv> = process.env,
): string {
  return `${appBaseUrl(env)}/api/webhooks/unipile?workspace=${encodeURIComponent(workspaceId)}`;
}

export interface WebhookReceipt {
  status: 200 | 400 | 401;
  body: Record<string, unknown>;
  /** The stored delivery to process after answering; null when there is nothing to do. */
  deliveryId: number | null;
}

const unauthorized: WebhookReceipt = {
  status: 401,
  body: { error: { code: "unauthorized", message: "Missing or wrong webhook secret." } },
  deliveryId: null,
};

/** Checks the secret header, then stores the delivery once. Does no processing. */
export async function receiveUnipileWebhook(
  db: Database,
  input: { workspaceId: string | null; secret: string | null; body: () => Promise<string> },
  now: Date,
): Promise<WebhookReceipt> {
  let key: Buffer | null = null;
  try {
    key = encryptionKeyFrom();
  } catch {
    key = null;
  }
  if (!key || !input.workspaceId) return unauthorized;
  if (!secretsMatch(input.secret, webhookSecretFor(input.workspaceId, key))) return unauthorized;

  let payload: unknown;
  try {
    payload = JSON.parse(await input.body());
  } catch {
    return {
      status: 400,
      body: { error: { code: "invalid_json", message: "The delivery is not JSON." } },
      deliveryId: null,
    };
  }
  const webhook = parseUnipileWebhook(payload);
  const storeKey = deliveryKey(webhook, now);
  if (webhook.kind === "ignored" || storeKey === null) {
    return { status: 200, body: { received: true, ignored: true }, deliveryId: null };
  }
  const id = await storeWebhookDelivery(db, {
    workspaceId: input.workspaceId,
    // Unipile instances are per workspace: their ids are only unique within one.
    key: `${input.workspaceId}|${storeKey}`,
    providerAccountId: webhook.providerAccountId,
    occurredAt: (webhook.kind === "message" ? webhook.sentAt : null) ?? now,
    receivedAt: now,
    payload,
  });
  return {
    status: 200,
    body: { received: true, ...(id === null ? { duplicate: true } : {}) },
    deliveryId: id,
  };
}

export type DeliveryOutcome =
  | "reply"
  | "not_a_reply"
  | "old_message"
  | "accepted"
  | "status_changed"
  | "status_unchanged"
  | "unknown_account"
  | "ignored"
  | "already_processed";

/** Acts on one stored delivery and marks it processed. */
export async function processUnipileDelivery(
  db: Database,
  deliveryId: number,
  now: Date,
): Promise<DeliveryOutcome> {
  const row = await findWebhookDelivery(db, deliveryId);
  if (!row || row.processedAt) return "already_processed";
  const outcome = row.workspaceId
    ? await applyWebhook(db, row.workspaceId, parseUnipileWebhook(row.payload), {
        receivedAt: row.receivedAt,
        now,
      })
    : "unknown_account";
  await markWebhookDeliveryProcessed(db, deliveryId, now);
  return outcome;
}

/** Deliveries stored but never processed (the process stopped in between), oldest first. */
export async function processPendingUnipileDeliveries(
  db: Database,
  now: Date,
  options: { olderThanMs?: number; limit?: number } = {},
): Promise<number> {
  const before = new Date(now.getTime() - (options.olderThanMs ?? 60_000));
  const ids = await unprocessedWebhookDeliveries(db, before, options.limit ?? 100);
  for (const id of ids) await processUnipileDelivery(db, id, now);
  return ids.length;
}

async function applyWebhook(
  db: Database,
  workspaceId: string,
  webhook: UnipileWebhook,
  times: { receivedAt: Date; now: Date },
): Promise<DeliveryOutcome> {
  if (webhook.kind === "ignored") return "ignored";
  const account = await findUnipileAccount(db, webhook.providerAccountId);
  // A delivery can only speak for the workspace whose secret it carried.
  if (!account || account.workspaceId !== workspaceId) return "unknown_account";

  switch (webhook.kind) {
    case "message": {
      const sender = webhook.senderProviderId;
      if (!sender) return "not_a_reply";
      // In a chat Outflow wrote in, only the lead's own words count: the seat's messages (and
      // anyone else's in a group) come through the same webhook.
      const inChat = await findLeadByChat(db, account.id, webhook.chatId);
      const lead = inChat
        ? inChat.providerId === sender
          ? inChat
          : null
        : await findContactedLeadByProviderId(db, workspaceId, account.id, sender);
      if (!lead) return "not_a_reply";
      // After a reconnection Unipile replays old messages: only what the lead wrote after the
      // seat first reached them is a reply.
      const writtenAt = webhook.sentAt ?? times.receivedAt;
      const firstContact = await firstContactAt(db, account.id, lead.id);
      if (!firstContact || writtenAt.getTime() <= firstContact.getTime()) return "old_message";
      await ingestEvent(
        db,
        "unipile",
        {
          externalId: messageEventId(webhook.messageId),
          type: "replied",
          providerAccountId: webhook.providerAccountId,
          leadProviderId: lead.providerId,
          leadPublicIdentifier: lead.publicIdentifier,
          chatId: webhook.chatId,
          occurredAt: writtenAt,
          text: webhook.text,
        },
        times.now,
      );
      return "reply";
    }
    case "relation": {
      await ingestEvent(
        db,
        "unipile",
        {
          externalId: relationEventId(
            webhook.providerAccountId,
            webhook.leadProviderId ?? webhook.leadPublicIdentifier ?? "",
          ),
          type: "accepted",
          providerAccountId: webhook.providerAccountId,
          leadProviderId: webhook.leadProviderId,
          leadPublicIdentifier: webhook.leadPublicIdentifier,
          occurredAt: times.receivedAt,
        },
        times.now,
      );
      return "accepted";
    }
    case "account_status":
      return (await applyAccountStatus(db, account.id, webhook.status, times.now))
        ? "status_changed"
        : "status_unchanged";
  }
}

const WORKING = ["OK", "RECONNECTED", "CREATION_SUCCESS", "SYNC_SUCCESS"];
const NEEDS_RECONNECT = ["CREDENTIALS", "ERROR"];
const STOPPED = ["STOPPED", "DELETED"];

/**
 * A seat's status as Unipile reports it: needs reconnecting, stopped, or working again. A
 * person's pause and the engine's restriction are left as they are: only a person lifts those.
 */
export async function applyAccountStatus(
  db: Database,
  accountId: string,
  status: string,
  now: Date = new Date(),
): Promise<boolean> {
  if (WORKING.includes(status)) {
    const revived = await moveAccountStatus(db, accountId, {
      from: ["needs_reconnect", "stopped"],
      to: "active",
      reason: null,
    });
    // Back after a lost session: read back what was written meanwhile.
    if (revived || status === "RECONNECTED") await requestInboxBackfill(db, accountId, now);
    return revived;
  }
  if (NEEDS_RECONNECT.includes(status)) {
    return moveAccountStatus(db, accountId, {
      from: ["active", "cooling_down", "stopped"],
      to: "needs_reconnect",
      reason: `Unipile reports ${status}: reconnect the LinkedIn account.`,
    });
  }
  if (STOPPED.includes(status)) {
    return moveAccountStatus(db, accountId, {
      from: ["active", "cooling_down", "needs_reconnect"],
      to: "stopped",
      reason: `Unipile reports ${status}: the account no longer syncs.`,
    });
  }
  // CONNECTING and anything new: a passing state, nothing to do.
  return false;
}

const WEBHOOK_SOURCES = [
  { source: "messaging", events: ["message_received"] },
  { source: "users", events: ["new_relation"] },
  { source: "account_status", events: null },
] as const;

/** The app's public URL, refused when Unipile could not reach it (a local or private host). */
export function assertReachablePublicUrl(env: Partial<NodeJS.ProcessEnv> = process.env): string {
  const base = appBaseUrl(env);
  let host: string;
  try {
    host = new URL(base).hostname;
  } catch {
    throw badRequest(`OUTFLOW_PUBLIC_URL (${base}) is not a URL.`, "public_url_unreachable");
  }
  if (isLocalHostName(host)) {
    throw badRequest(
      `Unipile cannot reach ${base}: it is a local or private address. Set OUTFLOW_PUBLIC_URL to the app's public address (on a laptop, a tunnel's) and restart, then register again.`,
      "public_url_unreachable",
    );
  }
  return base;
}

/** Outflow's own webhooks for this workspace, whatever public URL they were made with. */
function isOwnWebhook(item: { request_url?: unknown }, workspaceId: string): boolean {
  if (typeof item.request_url !== "string") return false;
  try {
    const url = new URL(item.request_url);
    return (
      url.pathname.replace(/\/+$/, "") === "/api/webhooks/unipile" &&
      url.searchParams.get("workspace") === workspaceId
    );
  } catch {
    return false;
  }
}

const LIST_PAGES = 10;

/**
 * Registers the three webhooks (messages, relations, account status) on the workspace's
 * Unipile, pointing at this app with the workspace's secret header. Unipile's webhooks cannot
 * be updated, so registering again lists them, deletes Outflow's old ones for this workspace
 * (any public URL) and creates the current three: always exactly three. The secret goes to
 * Unipile only.
 */
export async function registerUnipileWebhooks(caller: Caller) {
  const workspaceId = caller.workspace.workspaceId;
  assertReachablePublicUrl();
  const unipile = await requireWorkspaceUnipile(caller.db, workspaceId);
  const secret = webhookSecretFor(workspaceId);
  const url = webhookUrlFor(workspaceId);
  const refused = (what: string) => (error: unknown) => {
    throw badRequest(`Unipile did not ${what}: ${describeFailure(error)}.`, "unipile_refused");
  };

  const old: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < LIST_PAGES; page++) {
    const answer = (await withTimeout("list webhooks", 15_000, () =>
      unipile.client.webhook.getAll({
        extra_params: { limit: "100", ...(cursor ? { cursor } : {}) },
      }),
    ).catch(refused("list the webhooks"))) as { items?: unknown; cursor?: unknown };
    const items = Array.isArray(answer.items)
      ? (answer.items as Array<Record<string, unknown>>)
      : [];
    for (const item of items) {
      if (typeof item.id === "string" && isOwnWebhook(item, workspaceId)) old.push(item.id);
    }
    cursor = typeof answer.cursor === "string" && answer.cursor ? answer.cursor : null;
    if (!cursor) break;
  }
  for (const id of old) {
    await withTimeout("delete webhook", 15_000, () => unipile.client.webhook.delete(id)).catch(
      refused("delete an old webhook"),
    );
  }
  for (const { source, events } of WEBHOOK_SOURCES) {
    await withTimeout(`create ${source} webhook`, 15_000, () =>
      unipile.client.request.send({
        path: ["webhooks"],
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: {
          name: `Outflow ${source}`,
          request_url: url,
          source,
          format: "json",
          headers: [{ key: WEBHOOK_SECRET_HEADER, value: secret }],
          ...(events ? { events } : {}),
        },
      }),
    ).catch(refused(`create the ${source} webhook`));
  }
  return {
    ok: true,
    replaced: old.length,
    message: `Unipile now sends messages, new relations and account status changes to ${url}${old.length > 0 ? ` (${old.length} older webhook${old.length === 1 ? "" : "s"} replaced)` : ""}.`,
  };
}
