import "server-only";

import { createHash } from "node:crypto";
import type { apiKey } from "@/db/schema/index";

/** Keys start with this, so a leaked one is easy to recognise (and to scan for). */
export const API_KEY_PREFIX = "ofk_";

export const API_KEY_SCOPES = ["read", "write"] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export function viewOf(row: typeof apiKey.$inferSelect): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope === "write" ? "write" : "read",
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
