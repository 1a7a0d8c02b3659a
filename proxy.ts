import { type NextRequest, NextResponse } from "next/server";
import {
  contentSecurityPolicy,
  HSTS_HEADER,
  isHttpsRequest,
  newNonce,
} from "@/server/http/security-headers";

// Pages that anyone may open. Everything else needs a session cookie; the app layout then
// checks that the session is real (an expired one is sent back here with a message).
const PUBLIC_PREFIXES = ["/sign-in", "/sign-up", "/invite/", "/developers/"];

function withTransportSecurity(response: NextResponse, https: boolean): NextResponse {
  if (https) response.headers.set("strict-transport-security", HSTS_HEADER);
  return response;
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const https = isHttpsRequest(request);

  const nonce = newNonce();
  const policy = contentSecurityPolicy(nonce, {
    dev: process.env.NODE_ENV === "development",
    https,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-outflow-path", `${pathname}${search}`);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);

  const isPublic = PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
  const hasSession = request.cookies
    .getAll()
    .some((cookie) => cookie.name.endsWith("better-auth.session_token"));
  let response: NextResponse;
  if (!isPublic && !hasSession) {
    const target = new URL("/sign-in", request.url);
    if (pathname !== "/") target.searchParams.set("next", `${pathname}${search}`);
    response = NextResponse.redirect(target);
  } else {
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set("content-security-policy", policy);
  return withTransportSecurity(response, https);
}

export const config = {
  // Pages only: route handlers answer 401 JSON and check writes themselves (server/http/guard.ts),
  // and static files need no session.
  matcher: ["/((?!api/|_next/|favicon.ico|.*\\.(?:svg|png|ico|txt)$).*)"],
};
