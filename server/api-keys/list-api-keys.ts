import "server-only";

import { desc, eq } from "drizzle-orm";
import { apiKey } from "@/db/schema/index";
import type { Caller } from "../http/guard";
import { type ApiKeyView, viewOf } from "./api-key-shared";

export async function listApiKeys(caller: Caller): Promise<{ keys: ApiKeyView[] }> {
  const rows = await caller.db
    .select()
    .from(apiKey)
    .where(eq(apiKey.workspaceId, caller.workspace.workspaceId))
    .orderBy(desc(apiKey.createdAt));
  return { keys: rows.map(viewOf) };
}
