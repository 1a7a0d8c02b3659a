import "server-only";

import { getDb } from "@/db/client";
import { guardApiWrite } from "../http/request-guard";
import { getAuth } from "./auth";
import { takeSignInAttempt } from "./sign-in-limit";

/**
 * The better-auth endpoints the app's pages call. Everything else under /api/auth answers 404:
 * the organization plugin's endpoints (roles, members, invitations, renaming a workspace) have
 * rules of their own that differ from the app's, so each operation has one path — the app's
 * own routes and actions in server/workspaces/ — and one rule.
 */
export const EXPOSED_AUTH_ENDPOINTS: ReadonlySet<string> = new Set([
  "POST /sign-up/email",
  "POST /sign-in/email",
  "POST /sign-out",
  "GET /get-session",
]);

const AUTH_BASE_PATH = "/api/auth";
const MAX_SIGN_IN_BODY_BYTES = 16 * 1024;

function notFound(): Response {
  return Response.json({ code: "NOT_FOUND", message: "Not found." }, { status: 404 });
}

function rateLimitOff(): boolean {
  return process.env.OUTFLOW_DISABLE_RATE_LIMIT === "1";
}

async function signInEmailOf(request: Request): Promise<string | null> {
  const text = await request.clone().text();
  if (text.length > MAX_SIGN_IN_BODY_BYTES) return null;
  try {
    const body = JSON.parse(text) as { email?: unknown };
    return typeof body.email === "string" ? body.email : null;
  } catch {
    return null;
  }
}

/** The /api/auth/* route: only the exposed endpoints reach better-auth. */
export async function handleAuthRequest(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const path = pathname.startsWith(AUTH_BASE_PATH)
    ? pathname.slice(AUTH_BASE_PATH.length).replace(/\/+$/, "")
    : pathname;
  if (!EXPOSED_AUTH_ENDPOINTS.has(`${request.method} ${path}`)) return notFound();
  const forged = guardApiWrite(request);
  if (forged) return forged;

  if (path === "/sign-in/email" && !rateLimitOff()) {
    // Per account as well as per address (better-auth's own limit): trying many passwords
    // on one account from many addresses is refused too.
    const email = await signInEmailOf(request);
    if (email) {
      const attempt = await takeSignInAttempt(await getDb(), email);
      if (!attempt.allowed) {
        return Response.json(
          {
            code: "TOO_MANY_REQUESTS",
            message: "Too many sign-in attempts for this account. Wait a minute, then try again.",
          },
          { status: 429, headers: { "retry-after": String(attempt.retryAfter) } },
        );
      }
    }
  }
  const auth = await getAuth();
  return auth.handler(request);
}
