import "server-only";

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { findMembership, type Membership, type WorkspaceRole } from "@/db/queries/workspaces";
import { apiKey } from "@/db/schema/index";
import { HttpError, notFound } from "./http/errors";
import type { Caller } from "./http/guard";

/** Keys start with this, so a leaked one is easy to recognise (and to scan for). */
export const API_KEY_PREFIX = "ofk_";
export const API_KEY_SCOPES = ["read", "write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Requests per minute per key: `OUTFLOW_API_RATE_LIMIT`, 600 by default. */
export function apiRateLimit(): number {
  const configured = Number(process.env.OUTFLOW_API_RATE_LIMIT);
  return Number.isInteger(configured) && configured > 0 ? configured : 600;
}
const RATE_WINDOW_MS = 60_000;

export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

export const createApiKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(100),
  scope: z.enum(API_KEY_SCOPES),
});
export const apiKeyIdInput = z.object({ keyId: z.string().min(1).max(100) });

export interface ApiKeyView {
  id: string;
  name: string;
  scope: ApiKeyScope;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

function viewOf(row: typeof apiKey.$inferSelect): ApiKeyView {
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

export async function listApiKeys(caller: Caller): Promise<{ keys: ApiKeyView[] }> {
  const rows = await caller.db
    .select()
    .from(apiKey)
    .where(eq(apiKey.workspaceId, caller.workspace.workspaceId))
    .orderBy(desc(apiKey.createdAt));
  return { keys: rows.map(viewOf) };
}

export async function revokeApiKey(caller: Caller, input: z.infer<typeof apiKeyIdInput>) {
  const [row] = await caller.db
    .update(apiKey)
    .set({ revokedAt: sql`coalesce(${apiKey.revokedAt}, now())` })
    .where(and(eq(apiKey.id, input.keyId), eq(apiKey.workspaceId, caller.workspace.workspaceId)))
    .returning();
  if (!row) throw notFound("API key");
  return viewOf(row);
}

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
    scope: row.scope === "write" ? "write" : "read",
    user: { id: row.createdBy, name: `API key "${row.name}"`, email: "" },
    workspace: { ...membership, role: scopeRole },
  };
}
