import "server-only";

import { desc, eq } from "drizzle-orm";
import { webhookEndpoint } from "@/db/schema/index";
import type { Caller } from "../http/guard";
import { viewOf } from "./webhook-endpoint-shared";

export async function listWebhookEndpoints(caller: Caller) {
  const rows = await caller.db
    .select()
    .from(webhookEndpoint)
    .where(eq(webhookEndpoint.workspaceId, caller.workspace.workspaceId))
    .orderBy(desc(webhookEndpoint.createdAt));
  return { endpoints: rows.map(viewOf) };
}
