import "server-only";

import { and, eq } from "drizzle-orm";
import { webhookEndpoint } from "@/db/schema/index";
import type { Caller } from "../http/guard";
import { requireEndpoint, settleNotices } from "./webhook-endpoint-shared";

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
