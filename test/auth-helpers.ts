import { handleAuthRequest } from "@/server/auth/auth-endpoints";

export const BASE_URL = "http://localhost:3000";
let addressCounter = 10;

/** A client address of its own, so tests do not share rate-limit buckets. */
export function nextClientAddress(): string {
  addressCounter += 1;
  return `10.1.${Math.floor(addressCounter / 250)}.${addressCounter % 250}`;
}

function sessionCookieFrom(response: Response): string {
  const cookies = response.headers.getSetCookie();
  const session = cookies.find((c) => c.startsWith("better-auth.session_token="));
  if (!session) throw new Error(`no session cookie (status ${response.status})`);
  return session.split(";")[0] ?? "";
}

export async function authRequest(
  path: string,
  body: unknown,
  address = nextClientAddress(),
): Promise<Response> {
  return handleAuthRequest(
    new Request(`${BASE_URL}/api/auth${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: BASE_URL,
        "x-forwarded-for": address,
      },
      body: JSON.stringify(body),
    }),
  );
}

/** Signs a new user up through the real HTTP handler and returns their session cookie. */
export async function signUp(name: string, email: string, password = "correct-horse-42") {
  const response = await authRequest("/sign-up/email", { name, email, password });
  if (response.status !== 200) {
    throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  }
  return { cookie: sessionCookieFrom(response) };
}

export async function signIn(email: string, password = "correct-horse-42") {
  const response = await authRequest("/sign-in/email", { email, password });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
  return { cookie: sessionCookieFrom(response) };
}

/** A request to one of the app's route handlers, as the holder of `cookie`. */
export function apiRequest(
  path: string,
  init: { method?: string; body?: unknown; cookie?: string } = {},
): Request {
  const headers: Record<string, string> = { "content-type": "application/json", origin: BASE_URL };
  if (init.cookie) headers.cookie = init.cookie;
  return new Request(`${BASE_URL}${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export const routeParams = <P extends Record<string, string>>(params: P) => ({
  params: Promise.resolve(params),
});

export type RouteHandler<P> = (
  request: Request,
  context: { params: Promise<P> },
) => Promise<Response>;

/** Calls a route handler as the holder of `cookie`; answers the status and the JSON body. */
export async function callRoute<P extends Record<string, string>>(
  handler: RouteHandler<P>,
  path: string,
  init: { method?: string; cookie?: string; body?: unknown; params?: P } = {},
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely on purpose.
): Promise<{ status: number; body: any }> {
  const response = await handler(
    apiRequest(path, { method: init.method, cookie: init.cookie, body: init.body }),
    routeParams(init.params ?? ({} as P)),
  );
  return { status: response.status, body: await response.json() };
}

/** The owner holding `ownerCookie` invites `email` as a member, who accepts with `memberCookie`. */
export async function joinAsMember(ownerCookie: string, memberCookie: string, email: string) {
  const invitations = await import("@/app/api/workspace/invitations/route");
  const accept = await import("@/app/api/invitations/[token]/accept/route");
  const invited = await callRoute(invitations.POST, "/api/workspace/invitations", {
    method: "POST",
    cookie: ownerCookie,
    body: { email, role: "member" },
  });
  return callRoute(accept.POST, `/api/invitations/${invited.body.token}/accept`, {
    method: "POST",
    cookie: memberCookie,
    params: { token: invited.body.token },
  });
}
