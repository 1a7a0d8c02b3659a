/**
 * Unipile's errors (`{status, type, title, detail?}`) mapped to what
 * the engine does with them. Anything that may have reached LinkedIn — a timeout, a 5xx, a
 * dropped connection — is "unknown", so the engine reconciles before it tries again.
 */
import type { ActionKind, NotSentReason, ProviderOutcome } from "../types";

export type FailedOutcome = Exclude<ProviderOutcome, { status: "sent" }>;

/** The JSON error body Unipile answers with; every field may be missing on odd answers. */
export interface UnipileErrorBody {
  status?: number;
  type?: string;
  title?: string;
  detail?: string;
}

/** Thrown by the adapter when Unipile did not answer in time: the outcome is unknown. */
export class UnipileTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`Unipile did not answer "${operation}" within ${timeoutMs} ms`);
    this.name = "UnipileTimeoutError";
  }
}

/**
 * The error body of a failed SDK call, or null when the failure is not an answer from Unipile
 * (a timeout, a network error, a non-JSON body). The SDK's `UnsuccessfulRequestError` carries
 * the body as `.body`; it is recognised by shape because the SDK ships two builds (ESM, CJS)
 * whose classes are not the same object.
 */
export function unipileErrorBody(error: unknown): UnipileErrorBody | null {
  if (error instanceof UnipileTimeoutError) return null;
  if (typeof error !== "object" || error === null || !("body" in error)) return null;
  const body = (error as { body: unknown }).body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  // A non-JSON answer arrives as a Blob (whose own `type` is a MIME type): not an error body.
  if (typeof Blob !== "undefined" && body instanceof Blob) return null;
  const fields = body as Record<string, unknown>;
  if (typeof fields.status !== "number" && !(typeof fields.type === "string" && fields.type)) {
    return null;
  }
  return {
    status: typeof fields.status === "number" ? fields.status : undefined,
    type: typeof fields.type === "string" ? fields.type : undefined,
    title: typeof fields.title === "string" ? fields.title : undefined,
    detail: typeof fields.detail === "string" ? fields.detail : undefined,
  };
}

/** `errors/insufficient_credits` → `insufficient_credits`. */
export function errorType(body: UnipileErrorBody): string {
  return (body.type ?? "").replace(/^errors\//, "");
}

/** A short, secret-free description of a failure for action rows and logs. */
export function describeFailure(error: unknown): string {
  const body = unipileErrorBody(error);
  if (body) {
    const parts = [body.status ? String(body.status) : null, body.type ?? null, body.title ?? null];
    return parts.filter((p) => p !== null && p !== "").join(" ");
  }
  if (error instanceof UnipileTimeoutError) return error.message;
  if (error instanceof Error) return `no answer from Unipile (${error.message})`;
  return "no answer from Unipile";
}

/** Seat-wide limits: the seat cools down until its next working day. */
const LIMITED = new Set(["limit_exceeded", "too_many_requests"]);
/** Limits about one person; seat-wide only when the error's words say so. */
const PERSON_LIMITS = new Set([
  "cannot_resend_yet",
  "cannot_resend_within_24hrs",
  "already_invited_recently",
]);
const UNREACHABLE = new Set([
  "invalid_recipient",
  "blocked_recipient",
  "user_unreachable",
  "cant_send_message",
  "cannot_invite_attendee",
  "recipient_rejected",
  "resource_not_found",
  "invalid_resource_identifier",
]);
/** The seat cannot do this at all (no such feature on its plan, an unusable account). */
const SEAT_LEVEL = new Set(["feature_not_subscribed", "subscription_required", "invalid_account"]);
/**
 * The request itself was refused: a bug or a drift between Outflow and Unipile. Nothing about
 * the lead; retried later, then the step is held for a person.
 */
const REQUEST_SHAPED = new Set([
  "invalid_parameters",
  "malformed_request",
  "missing_parameters",
  "too_many_characters",
  "unprocessable_entity",
  "invalid_request",
]);
/** Answers that say the provider side was momentarily unable: the send may or may not be done. */
const TRANSIENT = new Set([
  "network_down",
  "request_timeout",
  "provider_unreachable",
  "realtime_client_not_initialized",
]);
/** 403s that mean the seat's session needs a person, not that LinkedIn restricted it. */
const NEEDS_PERSON = new Set([
  "insufficient_permissions",
  "account_mismatch",
  "session_mismatch",
  "unknown_authentication_context",
  "action_required",
]);

/** A withdrawn invitation blocks re-inviting the same person for about three weeks. */
export const RESEND_WAIT_MS = 21 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Words in an error's title or detail that make a per-person refusal a seat-wide limit. */
const SEAT_LIMIT_WORDS = /\b(weekly|quota|limit reached|limit exceeded|too many|rate limit)\b/i;

function notSent(reason: NotSentReason, detail: string): FailedOutcome {
  return { status: "not_sent", reason, detail };
}

/**
 * A 401 about Unipile's API key (missing, wrong or rotated), as opposed to a seat's LinkedIn
 * session: the workspace's credentials need a person, the seats are fine.
 */
export function isCredentialsFailure(body: UnipileErrorBody): boolean {
  const type = errorType(body);
  if (type === "missing_credentials") return true;
  if (body.status !== 401) return false;
  const words = `${body.title ?? ""} ${body.detail ?? ""}`;
  return type === "invalid_credentials" && /api[ _-]?key|access token|x-api-key/i.test(words);
}

/**
 * The engine outcome of a failed send of `kind`, by what the error is about:
 * - the request (malformed, missing fields, too long): the action failed, the lead stays;
 * - the seat (restricted, session lost, plan lacks the feature, a seat-wide limit);
 * - the workspace's API key: credentials, nothing about seats or leads;
 * - the person (refuses InMail, unreachable, invited recently): the lead is routed or waits;
 * - unknown (timeout, 5xx): reconciled before anything is sent again.
 */
export function outcomeOfFailure(
  error: unknown,
  kind: ActionKind,
  now: Date = new Date(),
): ProviderOutcome {
  const detail = describeFailure(error);
  const body = unipileErrorBody(error);
  if (!body) return { status: "unknown", detail };
  const type = errorType(body);
  const status = body.status ?? 0;

  if (status >= 500 || TRANSIENT.has(type)) return { status: "unknown", detail };
  if (isCredentialsFailure(body)) return { status: "credentials", detail };
  if (status === 429 || LIMITED.has(type)) return { status: "limited", detail };
  if (PERSON_LIMITS.has(type)) {
    if (SEAT_LIMIT_WORDS.test(`${body.title ?? ""} ${body.detail ?? ""}`)) {
      return { status: "limited", detail };
    }
    if (type === "already_invited_recently") return notSent("already_invited", detail);
    const waitMs = type === "cannot_resend_within_24hrs" ? DAY_MS : RESEND_WAIT_MS;
    return { status: "wait", until: new Date(now.getTime() + waitMs), detail };
  }
  if (type === "account_restricted") return { status: "restricted", detail };
  if (status === 401 || NEEDS_PERSON.has(type)) return { status: "disconnected", detail };
  if (SEAT_LEVEL.has(type)) return { status: "seat_unavailable", detail };
  if (REQUEST_SHAPED.has(type)) return { status: "failed", detail };

  switch (type) {
    case "insufficient_credits":
      return notSent("no_credit", detail);
    case "not_allowed_inmail":
      return notSent("recipient_refuses_inmail", detail);
    case "no_connection_with_recipient":
      return notSent("not_connected", detail);
    case "action_already_performed":
      // Inviting someone already invited or connected; following someone already followed.
      return kind === "follow" ? { status: "sent" } : notSent("already_invited", detail);
  }
  if (UNREACHABLE.has(type)) return notSent("not_reachable", detail);
  // Anything else says nothing known about the person: never end a lead on a guess. The
  // action failed; it is retried, then the step is held with the error for a person to read.
  return { status: "failed", detail };
}

/** True when a failed read may simply be tried again (nothing was sent by reading). */
export function isTransientFailure(error: unknown): boolean {
  const body = unipileErrorBody(error);
  if (!body) return true;
  return (body.status ?? 0) >= 500 || TRANSIENT.has(errorType(body));
}
