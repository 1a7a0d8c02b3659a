import "server-only";

/**
 * Content-Security-Policy for every page, with a fresh nonce per request: Next.js reads the
 * nonce from the request's policy and puts it on the scripts it renders, and 'strict-dynamic'
 * lets those scripts load the app's chunks. Inline style attributes stay allowed: React Flow
 * and recharts position and colour their elements with them (a nonce cannot cover attributes).
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { dev?: boolean; https?: boolean } = {},
) {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export const HSTS_HEADER = "max-age=63072000; includeSubDomains";

/**
 * Whether the request reached the app over https: its own URL, the proxy's
 * X-Forwarded-Proto, or a public URL that is https. HSTS is sent only then (browsers ignore
 * it over plain http anyway).
 */
export function isHttpsRequest(request: Request, env: NodeJS.ProcessEnv = process.env): boolean {
  if (new URL(request.url).protocol === "https:") return true;
  if (request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https") return true;
  return (env.BETTER_AUTH_URL ?? "").startsWith("https://");
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
