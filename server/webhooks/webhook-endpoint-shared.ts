import "server-only";

import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { closeNotifications } from "@/db/queries/notifications";
import { webhookEndpoint } from "@/db/schema/index";
import { endpointDisabledKey } from "@/db/webhooks/delivery";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";

export const webhookEndpointIdInput = z.object({ endpointId: z.string().min(1).max(100) });

export type WebhookEndpointView = Omit<
  typeof webhookEndpoint.$inferSelect,
  "secret" | "workspaceId" | "failingSince"
>;

export function viewOf(row: typeof webhookEndpoint.$inferSelect): WebhookEndpointView {
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

export async function requireEndpoint(caller: Caller, endpointId: string) {
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

/** The "endpoint turned off" notice about this endpoint is dealt with. */
export async function settleNotices(caller: Caller, endpointId: string) {
  await closeNotifications(
    caller.db,
    caller.workspace.workspaceId,
    endpointDisabledKey(endpointId),
    new Date(),
  );
}
