import "server-only";

import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins";
import { asc, eq } from "drizzle-orm";
import { type Database, getDb } from "@/db/client";
import * as schema from "@/db/schema/index";
import { resolveAuthSecret } from "./secret";

export const PASSWORD_MIN_LENGTH = 10;
export const SESSION_EXPIRES_IN_SECONDS = 60 * 60 * 24 * 7;
/**
 * Reverse proxies whose X-Forwarded-For is believed (OUTFLOW_TRUSTED_PROXIES: addresses or
 * CIDR ranges, comma-separated). None by default: the client address is then the connection's
 * own (scripts/serve.mjs replaces whatever the client sent).
 */
export function trustedProxiesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.OUTFLOW_TRUSTED_PROXIES ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Whether the app is served over https: its cookies are then Secure. */
export function servedOverHttps(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.BETTER_AUTH_URL ?? "").startsWith("https://");
}

/** Sign-in attempts allowed per client address per window. */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 10 } as const;

/** Returns a message saying what is wrong with a password, or null when it is strong enough. */
export function passwordWeakness(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters for your password.`;
  }
  if (!/[A-Za-z]/.test(password) || !/[^A-Za-z]/.test(password)) {
    return "Use letters and at least one number or symbol in your password.";
  }
  if (new Set(password.toLowerCase()).size < 5) {
    return "That password is too easy to guess: use more different characters.";
  }
  return null;
}

export function workspaceSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "workspace"}-${randomBytes(3).toString("hex")}`;
}

async function firstWorkspaceOf(db: Database, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ organizationId: schema.member.organizationId })
    .from(schema.member)
    .where(eq(schema.member.userId, userId))
    .orderBy(asc(schema.member.createdAt))
    .limit(1);
  return row?.organizationId ?? null;
}

function createAuth(db: Database) {
  const auth = betterAuth({
    appName: "Outflow",
    // Failed sign-ins are expected traffic; keep the logs for what needs attention.
    logger: { level: process.env.VITEST ? "error" : "warn" },
    secret: resolveAuthSecret(),
    baseURL: process.env.BETTER_AUTH_URL,
    database: drizzleAdapter(db, { provider: "pg", schema }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: PASSWORD_MIN_LENGTH,
      maxPasswordLength: 128,
    },
    session: {
      expiresIn: SESSION_EXPIRES_IN_SECONDS,
      updateAge: 60 * 60 * 24,
    },
    rateLimit: {
      enabled: process.env.OUTFLOW_DISABLE_RATE_LIMIT !== "1",
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { ...SIGN_IN_RATE_LIMIT },
        "/sign-up/email": { window: 60, max: 10 },
      },
    },
    advanced: {
      // X-Forwarded-For is walked from the right past the trusted proxies only; a client
      // cannot choose its own address.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"], trustedProxies: trustedProxiesFromEnv() },
      // The session cookie is Secure (and __Secure- prefixed) when the app is served over https.
      useSecureCookies: servedOverHttps(),
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-up/email") return;
        const weakness = passwordWeakness(String(ctx.body?.password ?? ""));
        if (weakness)
          throw new APIError("BAD_REQUEST", { message: weakness, code: "WEAK_PASSWORD" });
      }),
    },
    databaseHooks: {
      user: {
        create: {
          // Signing up creates the user's own workspace, owned by them.
          after: async (user) => {
            const name = `${user.name.split(" ")[0] || "My"}'s workspace`;
            await auth.api.createOrganization({
              body: { name, slug: workspaceSlug(name), userId: user.id },
            });
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const active = await firstWorkspaceOf(db, session.userId);
            return { data: { ...session, activeOrganizationId: active } };
          },
        },
      },
    },
    plugins: [
      organization({
        creatorRole: "owner",
        allowUserToCreateOrganization: true,
        invitationExpiresIn: 60 * 60 * 24 * 7,
        // No mail goes out in development: the app shows the invitation link to the inviter.
        sendInvitationEmail: async () => {},
      }),
      nextCookies(),
    ],
  });
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { outflowAuth?: Promise<Auth> };

/** The process-wide better-auth instance over the process-wide database. */
export function getAuth(): Promise<Auth> {
  if (!globalForAuth.outflowAuth) {
    globalForAuth.outflowAuth = getDb().then(createAuth);
    globalForAuth.outflowAuth.catch(() => {
      globalForAuth.outflowAuth = undefined;
    });
  }
  return globalForAuth.outflowAuth;
}

/** Builds an auth instance over a given database, for tests. */
export const createAuthFor = createAuth;
