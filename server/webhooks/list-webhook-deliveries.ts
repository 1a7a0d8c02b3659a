import "server-only";

import { and, desc, eq } from "drizzle-orm";
import { webhookDelivery } from "@/db/schema/index";
import type { Caller } from "../http/guard";
import { requireEndpoint } from "./webhook-endpoint-shared";

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
