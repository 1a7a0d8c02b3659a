/**
 * Unipile's errors (`{status, type, title, detail?}`, docs/unipile-contract.md) mapped to what
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

const LIMITED = new Set([
  "cannot_resend_yet",
  "cannot_resend_within_24hrs",
  "limit_exceeded",
  "too_many_requests",
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
/** The seat cannot do this (no Premium, no InMail feature): for an InMail, no credit to spend. */
const NOT_SUBSCRIBED = new Set([
  "feature_not_subscribed",
  "subscription_required",
  "invalid_account",
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

function notSent(reason: NotSentReason, detail: string): FailedOutcome {
  return { status: "not_sent", reason, detail };
}

/**
 * The engine outcome of a failed send of `kind`, following the contract's error table:
 * not-sent reasons route the lead, limits cool the account down, a restriction or a lost
 * session pauses it, and anything whose effect is unknown is reconciled first.
 */
export function outcomeOfFailure(error: unknown, kind: ActionKind): ProviderOutcome {
  const detail = describeFailure(error);
  const body = unipileErrorBody(error);
  if (!body) return { status: "unknown", detail };
  const type = errorType(body);
  const status = body.status ?? 0;

  if (status >= 500 || TRANSIENT.has(type)) return { status: "unknown", detail };
  if (status === 429 || LIMITED.has(type)) return { status: "limited", detail };
  if (type === "account_restricted") return { status: "restricted", detail };
  if (status === 401 || NEEDS_PERSON.has(type)) return { status: "disconnected", detail };

  switch (type) {
    case "insufficient_credits":
      return notSent("no_credit", detail);
    case "not_allowed_inmail":
      return notSent("recipient_refuses_inmail", detail);
    case "no_connection_with_recipient":
      return notSent("not_connected", detail);
    case "already_invited_recently":
      return notSent("already_invited", detail);
    case "action_already_performed":
      // Inviting someone already invited or connected; following someone already followed.
      return kind === "follow" ? { status: "sent" } : notSent("already_invited", detail);
  }
  if (NOT_SUBSCRIBED.has(type)) {
    return notSent(kind === "inmail" ? "no_credit" : "not_reachable", detail);
  }
  if (UNREACHABLE.has(type)) return notSent("not_reachable", detail);
  // Any other refusal (4xx) means LinkedIn did not take the action; it will not take it on a
  // retry either, so the lead leaves this step with the reason written down.
  return notSent("not_reachable", detail);
}

/** True when a failed read may simply be tried again (nothing was sent by reading). */
export function isTransientFailure(error: unknown): boolean {
  const body = unipileErrorBody(error);
  if (!body) return true;
  return (body.status ?? 0) >= 500 || TRANSIENT.has(errorType(body));
}
