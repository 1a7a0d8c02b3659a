import "server-only";

import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { rateLimit } from "@/db/schema/index";

/** Sign-in attempts allowed per account (email address) per window, whatever the address. */
export const SIGN_IN_ACCOUNT_RATE_LIMIT = { window: 60, max: 10 } as const;

/**
 * Counts one sign-in attempt for `email` and answers whether it is within the limit. The count
 * lives in better-auth's rate-limit table (one atomic upsert), so every app server shares it;
 * the key holds a hash of the address, never the address itself.
 */
export async function takeSignInAttempt(
  db: Database,
  email: string,
  now = Date.now(),
  rule: { window: number; max: number } = SIGN_IN_ACCOUNT_RATE_LIMIT,
): Promise<{ allowed: boolean; retryAfter: number }> {
  const digest = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
  const key = `account:${digest}|/sign-in/email`;
  const windowStart = now - rule.window * 1000;
  const expired = sql`${rateLimit.lastRequest} <= ${windowStart}`;
  const [row] = await db
    .insert(rateLimit)
    .values({ id: randomUUID(), key, count: 1, lastRequest: now })
    .onConflictDoUpdate({
      target: rateLimit.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimit.count} + 1 end`,
        lastRequest: sql`case when ${expired} then ${now} else ${rateLimit.lastRequest} end`,
      },
    })
    .returning({ count: rateLimit.count, lastRequest: rateLimit.lastRequest });
  const count = row?.count ?? 1;
  const started = row?.lastRequest ?? now;
  return {
    allowed: count <= rule.max,
    retryAfter: Math.max(1, Math.ceil((started + rule.window * 1000 - now) / 1000)),
  };
}
