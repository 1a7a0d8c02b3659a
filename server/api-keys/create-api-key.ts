import "server-only";

import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { apiKey } from "@/db/schema/index";
import type { Caller } from "../http/guard";
import {
  API_KEY_PREFIX,
  API_KEY_SCOPES,
  type ApiKeyView,
  hashApiKey,
  viewOf,
} from "./api-key-shared";

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(100),
  scope: z.enum(API_KEY_SCOPES),
});

/** Creates a key; the returned `key` is the only time it is ever seen. */
export async function createApiKey(
  caller: Caller,
  input: z.infer<typeof createApiKeyInput>,
): Promise<ApiKeyView & { key: string }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  const [row] = await caller.db
    .insert(apiKey)
    .values({
      id: randomUUID(),
      workspaceId: caller.workspace.workspaceId,
      name: input.name,
      scope: input.scope,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      hash: hashApiKey(key),
      createdBy: caller.user.id,
    })
    .returning();
  if (!row) throw new Error("The key was not stored.");
  return { ...viewOf(row), key };
}
