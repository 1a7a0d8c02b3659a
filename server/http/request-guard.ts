import "server-only";

/**
 * Cross-site request forgery guard for the app's route handlers. A write (any method but GET,
 * HEAD and OPTIONS) under /api must come from the app's own pages: its Origin is the app's
 * origin and the browser calls it same-origin, and its body, if it has one, is JSON — a type no
 * cross-site form can send without a CORS preflight, which the app never grants. Routes with
 * authentication of their own are exempt: Unipile's webhooks and hosted sign-in callback (a
 * signed token in the URL) and the API-key REST API.
 *
 * It runs in the two entry points every route handler goes through — `withWorkspace`
 * (server/http/guard.ts) and the /api/auth route (server/auth/auth-endpoints.ts) — rather
 * than in proxy.ts: a proxy that matches a route makes Next.js buffer the request body (cut at
 * 10 MB) and stops the handler from seeing the client cancel, which lead imports rely on.
 *
 * Server actions are not routes under /api: Next.js compares their Origin with the Host
 * itself and refuses a mismatch.
 */

export const ORIGIN_CHECK_EXEMPT_PREFIXES = [
  "/api/webhooks/",
  "/api/v1/",
  "/api/accounts/unipile/callback",
] as const;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The origins the app is served from: the request's own and the configured public URLs. */
export function appOrigins(requestUrl: string, env: NodeJS.ProcessEnv = process.env): Set<string> {
  const origins = [requestUrl, env.BETTER_AUTH_URL, env.OUTFLOW_PUBLIC_URL].map(originOf);
  return new Set(origins.filter((origin): origin is string => origin !== null));
}

function refuse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

function hasBody(headers: Headers): boolean {
  const length = headers.get("content-length");
  return headers.has("transfer-encoding") || (length !== null && length !== "0");
}

/** Answers the refusal for a forged or non-JSON write, or null when the request may go on. */
export function guardApiWrite(
  request: Request,
  env: NodeJS.ProcessEnv = process.env,
): Response | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith("/api/")) return null;
  if (ORIGIN_CHECK_EXEMPT_PREFIXES.some((prefix) => pathname.startsWith(prefix))) return null;

  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const sameOrigin =
    (origin !== null || fetchSite !== null) &&
    (origin === null || appOrigins(request.url, env).has(origin)) &&
    (fetchSite === null || fetchSite === "same-origin");
  if (!sameOrigin) {
    return refuse(403, "cross_origin", "This request must come from Outflow's own pages.");
  }

  const contentType = request.headers.get("content-type");
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  if (contentType !== null ? mediaType !== "application/json" : hasBody(request.headers)) {
    return refuse(415, "unsupported_media_type", "Send the request body as JSON.");
  }
  return null;
}
