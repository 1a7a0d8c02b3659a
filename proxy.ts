import { type NextRequest, NextResponse } from "next/server";

// Pages that anyone may open. Everything else needs a session cookie; the app layout then
// checks that the session is real (an expired one is sent back here with a message).
const PUBLIC_PREFIXES = ["/sign-in", "/sign-up", "/invite/", "/developers/"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-outflow-path", `${pathname}${search}`);
  const isPublic = PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
  const hasSession = request.cookies
    .getAll()
    .some((cookie) => cookie.name.endsWith("better-auth.session_token"));
  if (!isPublic && !hasSession) {
    const target = new URL("/sign-in", request.url);
    if (pathname !== "/") target.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(target);
  }
  return NextResponse.next({ request: { headers: requestHeaders } });
}

export const config = {
  // Pages only: API routes answer 401 JSON themselves, and static files need no session.
  matcher: ["/((?!api/|_next/|favicon.ico|.*\\.(?:svg|png|ico|txt)$).*)"],
};
