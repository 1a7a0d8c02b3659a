import "server-only";

import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKey } from "@/db/schema/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { viewOf } from "./api-key-shared";

export const apiKeyIdInput = z.object({ keyId: z.string().min(1).max(100) });

export async function revokeApiKey(caller: Caller, input: z.infer<typeof apiKeyIdInput>) {
  const [row] = await caller.db
    .update(apiKey)
    .set({ revokedAt: sql`coalesce(${apiKey.revokedAt}, now())` })
    .where(and(eq(apiKey.id, input.keyId), eq(apiKey.workspaceId, caller.workspace.workspaceId)))
    .returning();
  if (!row) throw notFound("API key");
  return viewOf(row);
}
