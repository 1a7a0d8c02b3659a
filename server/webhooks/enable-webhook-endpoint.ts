import "server-only";

import { and, eq } from "drizzle-orm";
import { webhookEndpoint } from "@/db/schema/index";
import type { Caller } from "../http/guard";
import { requireEndpoint, settleNotices } from "./webhook-endpoint-shared";

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
