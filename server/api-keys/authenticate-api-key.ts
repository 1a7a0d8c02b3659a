import "server-only";

import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { findMembership, type Membership, type WorkspaceRole } from "@/db/queries/workspaces";
import { apiKey } from "@/db/schema/index";
import { HttpError } from "../http/errors";
import { API_KEY_PREFIX, type ApiKeyScope, hashApiKey } from "./api-key-shared";

/** Requests per minute per key: `OUTFLOW_API_RATE_LIMIT`, 600 by default. */
export function apiRateLimit(): number {
  const configured = Number(process.env.OUTFLOW_API_RATE_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? configured : 600;
}

const RATE_WINDOW_MS = 60_000;

/** A 429 with the seconds until the key's window starts again. */
export class RateLimitedError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      "rate_limited",
      `Too many requests for this key: try again in ${retryAfterSeconds} s.`,
    );
  }
}

export interface KeyIdentity {
  keyId: string;
  /** The name its creator gave it. */
  name: string;
  scope: ApiKeyScope;
  user: { id: string; name: string; email: string };
  workspace: Membership;
}

const invalidKey = () =>
  new HttpError(401, "invalid_api_key", "This API key is not valid or has been revoked.");

/**
 * Authenticates a bearer key and counts the request against its rate limit, in one statement
 * (so every app server shares the count). The key acts with its scope, never above the role its
 * creator still holds in the workspace: a write key of a creator demoted to member can no longer
 * do what needs an admin, and a key of someone who left stops working.
 */
export async function authenticateApiKey(
  db: Database,
  key: string,
  now = new Date(),
): Promise<KeyIdentity> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) throw invalidKey();
  const windowStart = new Date(now.getTime() - RATE_WINDOW_MS);
  const rows = await db
    .update(apiKey)
    .set({
      lastUsedAt: now,
      windowStartedAt: sql`case when ${apiKey.windowStartedAt} is null or ${apiKey.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz then ${now.toISOString()}::timestamptz else ${apiKey.windowStartedAt} end`,
      windowCount: sql`case when ${apiKey.windowStartedAt} is null or ${apiKey.windowStartedAt} <= ${windowStart.toISOString()}::timestamptz then 1 else ${apiKey.windowCount} + 1 end`,
    })
    .where(and(eq(apiKey.hash, hashApiKey(key)), isNull(apiKey.revokedAt)))
    .returning();
  const row = rows[0];
  if (!row) throw invalidKey();
  if (row.windowCount > apiRateLimit()) {
    const resetsAt = (row.windowStartedAt ?? now).getTime() + RATE_WINDOW_MS;
    throw new RateLimitedError(Math.max(1, Math.ceil((resetsAt - now.getTime()) / 1000)));
  }
  const membership = await findMembership(db, row.createdBy, row.workspaceId);
  if (!membership) throw invalidKey();
  const scopeRole: WorkspaceRole = row.scope === "write" ? membership.role : "member";
  return {
    keyId: row.id,
    name: row.name,
    scope: row.scope === "write" ? "write" : "read",
    user: { id: row.createdBy, name: `API key "${row.name}"`, email: "" },
    workspace: { ...membership, role: scopeRole },
  };
}
