import "server-only";

import { randomBytes, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { webhookEndpoint } from "@/db/schema/index";
import { WEBHOOK_EVENT_TYPES } from "@/db/webhooks/events";
import { badRequest } from "../http/errors";
import type { Caller } from "../http/guard";
import { assertPublicWebhookUrl } from "./address";
import { viewOf } from "./webhook-endpoint-shared";

/** A workspace registers at most this many endpoints. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

export const createWebhookEndpointInput = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  eventTypes: z
    .array(z.enum(WEBHOOK_EVENT_TYPES))
    .min(1, "Pick at least one event.")
    .max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().trim().max(500).optional(),
});

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
