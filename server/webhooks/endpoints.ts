import "server-only";

import { randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { closeNotifications } from "@/db/queries/notifications";
import { webhookDelivery, webhookEndpoint } from "@/db/schema/index";
import { endpointDisabledKey } from "@/db/webhooks/delivery";
import { WEBHOOK_EVENT_TYPES } from "@/db/webhooks/events";
import { replayDeliveries } from "@/db/webhooks/outbox";
import { badRequest, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { assertPublicWebhookUrl } from "./address";

/** A workspace registers at most this many endpoints. */
export const MAX_WEBHOOK_ENDPOINTS = 20;
/** A replay of a time range resends at most this many deliveries. */
export const MAX_REPLAY = 10_000;

export const createWebhookEndpointInput = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  eventTypes: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .min(1, "Pick at least one event.")
    .max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().trim().max(500).optional(),
});

export const webhookEndpointIdInput = z.object({ endpointId: z.string().min(1).max(100) });

const replayFields = {
  /** One delivery to send again… */
  deliveryId: z.string().min(1).max(100).optional(),
  /** …or every delivery created in this range. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};
const oneOrRange = <T extends { deliveryId?: string; from?: string }>(input: T) =>
  (input.deliveryId === undefined) !== (input.from === undefined);
const oneOrRangeMessage = {
  message: "Give a delivery, or the start of a time range (one of the two).",
  path: ["deliveryId"],
};

/** What to replay: one delivery, or a time range. */
export const replayWebhooksBody = z.object(replayFields).refine(oneOrRange, oneOrRangeMessage);
export const replayWebhooksInput = z
  .object({ endpointId: z.string().min(1).max(100), ...replayFields })
  .refine(oneOrRange, oneOrRangeMessage);

export type WebhookEndpointView = Omit<
  typeof webhookEndpoint.$inferSelect,
  "secret" | "workspaceId" | "failingSince"
>;

function viewOf(row: typeof webhookEndpoint.$inferSelect): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    createdAt: row.createdAt,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
  };
}

export async function listWebhookEndpoints(caller: Caller) {
  const rows = await caller.db
    .select()
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.workspaceId, caller.workspace.workspaceId))
    .orderBy(desc(webhookEndpoint.createdAt));
  return { endpoints: rows.map(viewOf) };
}

/** Registers an endpoint; its secret (`whsec_…`) is returned here and shown in settings. */
export async function createWebhookEndpoint(
  caller: Caller,
  input: z.infer<typeof createWebhookEndpointInput>,
) {
  const url = await assertPublicWebhookUrl(input.url);
  const [{ count } = { count: 0 }] = await caller.db
    .select({ count: sql<number>`count(*)::int` })
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.workspaceId, caller.workspace.workspaceId));
  if (count >= MAX_WEBHOOK_ENDPOINTS) {
    throw badRequest(`A workspace has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints.`);
  }
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const [row] = await caller.db
    .insert(webhookEndpoint)
    .values({
      id: randomUUID(),
      workspaceId: caller.workspace.workspaceId,
      url: url.toString(),
      description: input.description || null,
      eventTypes: [...new Set(input.eventTypes)],
      secret,
    })
    .returning();
  if (!row) throw new Error("The endpoint was not stored.");
  return { ...viewOf(row), secret };
}

async function requireEndpoint(caller: Caller, endpointId: string) {
  const [row] = await caller.db
    .select()
    .from(webhookEndpoint)
    .where(
      and(
        eq(webhookEndpoint.id, endpointId),
        eq(webhookEndpoint.workspaceId, caller.workspace.workspaceId),
      ),
    );
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

/** The endpoint's secret, for the settings page (admins only). */
export async function webhookEndpointSecret(caller: Caller, input: { endpointId: string }) {
  const row = await requireEndpoint(caller, input.endpointId);
  return { secret: row.secret };
}

/** The "endpoint turned off" notice about this endpoint is dealt with. */
async function settleNotices(caller: Caller, endpointId: string) {
  await closeNotifications(
    caller.db,
    caller.workspace.workspaceId,
    endpointDisabledKey(endpointId),
    new Date(),
  );
}

export async function deleteWebhookEndpoint(caller: Caller, input: { endpointId: string }) {
  const endpoint = await requireEndpoint(caller, input.endpointId);
  await settleNotices(caller, endpoint.id);
  await caller.db
    .delete(webhookEndpoint)
    .where(
      and(
        eq(webhookEndpoint.id, input.endpointId),
        eq(webhookEndpoint.workspaceId, caller.workspace.workspaceId),
      ),
    );
  return { id: input.endpointId, deleted: true as const };
}

/** Turns an endpoint back on after it was disabled: deliveries start again from now. */
export async function enableWebhookEndpoint(caller: Caller, input: { endpointId: string }) {
  const endpoint = await requireEndpoint(caller, input.endpointId);
  await settleNotices(caller, endpoint.id);
  await caller.db
    .update(webhookEndpoint)
    .set({ disabledAt: null, disabledReason: null, failingSince: null })
    .where(
      and(
        eq(webhookEndpoint.id, input.endpointId),
        eq(webhookEndpoint.workspaceId, caller.workspace.workspaceId),
      ),
    );
  return { id: input.endpointId, enabled: true as const };
}

export async function replayWebhookDeliveries(
  caller: Caller,
  input: z.infer<typeof replayWebhooksInput>,
) {
  await requireEndpoint(caller, input.endpointId);
  const replayed = await replayDeliveries(caller.db, {
    workspaceId: caller.workspace.workspaceId,
    endpointId: input.endpointId,
    deliveryId: input.deliveryId,
    from: input.from ? new Date(input.from) : undefined,
    to: input.to ? new Date(input.to) : undefined,
    limit: MAX_REPLAY,
  });
  if (input.deliveryId && replayed === 0) throw notFound("Delivery");
  return { replayed };
}

/** The endpoint's delivery log: newest attempts first. */
export async function webhookDeliveryLog(caller: Caller, input: { endpointId: string }) {
  await requireEndpoint(caller, input.endpointId);
  const deliveries = await caller.db
    .select({
      id: webhookDelivery.id,
      eventId: webhookDelivery.eventId,
      eventType: webhookDelivery.eventType,
      status: webhookDelivery.status,
      attempts: webhookDelivery.attempts,
      nextAttemptAt: webhookDelivery.nextAttemptAt,
      lastStatusCode: webhookDelivery.lastStatusCode,
      lastLatencyMs: webhookDelivery.lastLatencyMs,
      lastResponse: webhookDelivery.lastResponse,
      lastError: webhookDelivery.lastError,
      createdAt: webhookDelivery.createdAt,
      deliveredAt: webhookDelivery.deliveredAt,
      replayOf: webhookDelivery.replayOf,
    })
    .from(webhookDelivery)
    .where(
      and(
        eq(webhookDelivery.workspaceId, caller.workspace.workspaceId),
        eq(webhookDelivery.endpointId, input.endpointId),
      ),
    )
    .orderBy(desc(webhookDelivery.createdAt))
    .limit(100);
  return { deliveries };
}
