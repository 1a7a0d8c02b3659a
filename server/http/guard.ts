import "server-only";

import { headers as nextHeaders } from "next/headers";
import type { z } from "zod";
import { type Database, getDb } from "@/db/client";
import {
  listMembershipsOf,
  type Membership,
  roleAtLeast,
  type WorkspaceRole,
} from "@/db/queries/workspaces";
import type { ApiKeyScope } from "../api-keys/api-key-shared";
import { authenticateApiKey, RateLimitedError } from "../api-keys/authenticate-api-key";
import { getAuth } from "../auth/auth";
import { forbidden, HttpError, invalidInput, toErrorBody } from "./errors";
import {
  checkInputShape,
  DEFAULT_MAX_BODY_BYTES,
  parseJsonText,
  parseJsonYielding,
  readBodyText,
} from "./request-body";
import { guardApiWrite } from "./request-guard";

/** The signed-in user, the workspace they act in and their role there. */
export interface Caller {
  db: Database;
  headers: Headers;
  sessionId: string;
  user: { id: string; name: string; email: string };
  workspace: Membership;
  memberships: Membership[];
  /** Set when the request authenticated with an API key instead of a session. */
  apiKey?: { id: string; name: string; scope: ApiKeyScope };
}

const SESSION_COOKIE = "better-auth.session_token";

function carriesSessionCookie(headers: Headers): boolean {
  return (headers.get("cookie") ?? "").includes(SESSION_COOKIE);
}

/** Resolves who is calling from the request headers, or throws a 401/403 HttpError. */
export async function resolveCaller(headers: Headers): Promise<Caller> {
  const auth = await getAuth();
  const result = await auth.api.getSession({ headers });
  if (!result) {
    throw carriesSessionCookie(headers)
      ? new HttpError(401, "session_expired", "Your session has expired. Sign in again.")
      : new HttpError(401, "unauthenticated", "Sign in to continue.");
  }
  const db = await getDb();
  const memberships = await listMembershipsOf(db, result.user.id);
  const active = result.session.activeOrganizationId as string | null | undefined;
  const workspace = memberships.find((m) => m.workspaceId === active) ?? memberships[0];
  if (!workspace) {
    throw new HttpError(403, "no_workspace", "You do not belong to any workspace.");
  }
  return {
    db,
    headers,
    sessionId: result.session.id,
    user: { id: result.user.id, name: result.user.name, email: result.user.email },
    workspace,
    memberships,
  };
}

function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/** Resolves the workspace and scope of an `Authorization: Bearer` API key. */
export async function resolveKeyCaller(headers: Headers): Promise<Caller> {
  const token = bearerToken(headers);
  if (!token) {
    throw new HttpError(401, "unauthenticated", "Send an API key: Authorization: Bearer <key>.");
  }
  const db = await getDb();
  const identity = await authenticateApiKey(db, token);
  return {
    db,
    headers,
    sessionId: "",
    user: identity.user,
    workspace: identity.workspace,
    memberships: [identity.workspace],
    apiKey: { id: identity.keyId, name: identity.name, scope: identity.scope },
  };
}

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function requireRole(caller: Caller, role: WorkspaceRole | undefined): void {
  if (role && !roleAtLeast(caller.workspace.role, role)) {
    throw forbidden(`This needs the ${role} role in ${caller.workspace.workspaceName}.`);
  }
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  // Every route's and action's input: no NUL in any text, no absurd nesting (400, not a 500).
  checkInputShape(input);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/** The JSON body, refused (413) once more than `maxBytes` arrived, before any parsing. */
export async function readJson(
  request: Request,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<unknown> {
  return parseJsonText(await readBodyText(request, maxBytes));
}

/** readJson for large bodies: parsed in slices, with turns for other requests in between. */
export async function readJsonYielding(request: Request, maxBytes: number): Promise<unknown> {
  return parseJsonYielding(await readBodyText(request, maxBytes));
}

export function jsonError(error: unknown): Response {
  const { status, body } = toErrorBody(error);
  return Response.json(body, { status, headers: retryAfterHeader(error) });
}

function retryAfterHeader(error: unknown): Record<string, string> {
  return error instanceof RateLimitedError
    ? { "Retry-After": String(error.retryAfterSeconds) }
    : {};
}

/** The same errors as RFC 9457 problem details (`application/problem+json`), for the public API. */
export function problemResponse(error: unknown): Response {
  const { status, body } = toErrorBody(error);
  const { code, message, ...rest } = body.error;
  return new Response(
    JSON.stringify({
      type: `https://outflow.dev/problems/${code}`,
      title: code.replaceAll("_", " "),
      status,
      detail: message,
      code,
      ...rest,
    }),
    {
      status,
      headers: { "content-type": "application/problem+json", ...retryAfterHeader(error) },
    },
  );
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: resolves the caller and their workspace, checks the role, and turns
 * thrown HttpErrors into JSON responses. Every route under app/api that touches workspace data
 * goes through here, so none can forget the scope.
 */
export function withWorkspace<P = Record<string, never>>(
  handler: (request: Request, caller: Caller, params: P) => Promise<Response>,
  options: {
    role?: WorkspaceRole;
    /** `key`: the public API, authenticated by API key, errors as problem details. */
    auth?: "session" | "key";
  } = {},
) {
  const onError = options.auth === "key" ? problemResponse : jsonError;
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    const forged = guardApiWrite(request);
    if (forged) return forged;
    try {
      const caller =
        options.auth === "key"
          ? await resolveKeyCaller(request.headers)
          : await resolveCaller(request.headers);
      if (caller.apiKey?.scope === "read" && !READ_METHODS.has(request.method)) {
        throw forbidden("This API key can only read: create a read and write key to change data.");
      }
      requireRole(caller, options.role);
      const params = (await context?.params) ?? ({} as P);
      return await handler(request, caller, params);
    } catch (error) {
      return onError(error);
    }
  };
}

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fieldErrors?: Record<string, string[]> } };

/**
 * Wraps a server action: parses its input with the schema, resolves the caller and checks the
 * role before the body runs, and returns errors as values the form can show.
 */
export function workspaceAction<S extends z.ZodType, T>(
  schema: S,
  handler: (caller: Caller, input: z.infer<S>) => Promise<T>,
  options: { role?: WorkspaceRole } = {},
) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    try {
      const caller = await resolveCaller(await nextHeaders());
      requireRole(caller, options.role);
      const parsed = parseInput(schema, input);
      return { ok: true, data: await handler(caller, parsed) };
    } catch (error) {
      return { ok: false, error: toErrorBody(error).body.error };
    }
  };
}

/**
 * A route handler for one operation: the JSON body and the path parameters are merged and
 * parsed with the schema, the operation runs for the caller, and its result is the JSON reply.
 */
export function workspaceRoute<S extends z.ZodType, T>(
  schema: S,
  operation: (caller: Caller, input: z.infer<S>) => Promise<T>,
  options: { role?: WorkspaceRole; status?: number; maxBodyBytes?: number } = {},
) {
  return withWorkspace<Record<string, string>>(async (request, caller, params) => {
    const hasBody = request.method !== "GET" && request.method !== "DELETE";
    const body = hasBody ? await readJson(request, options.maxBodyBytes) : {};
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new HttpError(400, "invalid_json", "The request body must be a JSON object.");
    }
    const input = parseInput(schema, { ...body, ...params });
    return Response.json(await operation(caller, input), { status: options.status ?? 200 });
  }, options);
}
