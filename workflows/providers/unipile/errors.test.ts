import { describe, expect, it } from "vitest";
import { outcomeOfFailure, UnipileTimeoutError } from "./errors";

/** What the SDK throws on a non-2xx answer: an error carrying the JSON body. */
function answered(status: number, type: string) {
  return Object.assign(new Error(""), { body: { status, type: `errors/${type}`, title: type } });
}

describe("Unipile errors mapped to engine outcomes (the contract's table)", () => {
  it.each([
    [422, "insufficient_credits", "inmail", { status: "not_sent", reason: "no_credit" }],
    [
      422,
      "not_allowed_inmail",
      "inmail",
      { status: "not_sent", reason: "recipient_refuses_inmail" },
    ],
    [
      422,
      "no_connection_with_recipient",
      "message",
      { status: "not_sent", reason: "not_connected" },
    ],
    [422, "already_invited_recently", "connect", { status: "not_sent", reason: "already_invited" }],
    [422, "cannot_resend_yet", "connect", { status: "wait" }],
    [422, "limit_exceeded", "connect", { status: "limited" }],
    [429, "too_many_requests", "visit", { status: "limited" }],
    [422, "invalid_recipient", "message", { status: "not_sent", reason: "not_reachable" }],
    [422, "blocked_recipient", "message", { status: "not_sent", reason: "not_reachable" }],
    [422, "user_unreachable", "inmail", { status: "not_sent", reason: "not_reachable" }],
    [422, "cant_send_message", "message", { status: "not_sent", reason: "not_reachable" }],
    [403, "account_restricted", "connect", { status: "restricted" }],
    [401, "disconnected_account", "connect", { status: "disconnected" }],
    [401, "invalid_credentials", "visit", { status: "disconnected" }],
    [401, "checkpoint_error", "message", { status: "disconnected" }],
    [500, "unexpected_error", "message", { status: "unknown" }],
    [503, "network_down", "inmail", { status: "unknown" }],
    [504, "request_timeout", "connect", { status: "unknown" }],
    [400, "too_many_characters", "message", { status: "failed" }],
    [400, "invalid_parameters", "inmail", { status: "failed" }],
    [400, "malformed_request", "connect", { status: "failed" }],
    [400, "missing_parameters", "message", { status: "failed" }],
    [422, "unprocessable_entity", "inmail", { status: "failed" }],
    [422, "some_new_refusal", "connect", { status: "failed" }],
    [403, "feature_not_subscribed", "inmail", { status: "seat_unavailable" }],
    [422, "invalid_account", "connect", { status: "seat_unavailable" }],
    [401, "missing_credentials", "visit", { status: "credentials" }],
  ] as const)("%i %s on %s", (status, type, kind, expected) => {
    expect(outcomeOfFailure(answered(status, type), kind)).toMatchObject(expected);
  });

  it("a timeout, a dropped connection or a non-JSON answer is unknown: reconcile first", () => {
    expect(
      outcomeOfFailure(new UnipileTimeoutError("send invitation", 30_000), "connect"),
    ).toMatchObject({ status: "unknown" });
    expect(outcomeOfFailure(new TypeError("fetch failed"), "message")).toMatchObject({
      status: "unknown",
    });
    const blob = Object.assign(new Error(""), { body: new Blob(["<html>502</html>"]) });
    expect(outcomeOfFailure(blob, "inmail")).toMatchObject({ status: "unknown" });
  });

  it("a rotated API key is the workspace's credentials, a lost session is the seat's", () => {
    const key = Object.assign(new Error(""), {
      body: { status: 401, type: "errors/invalid_credentials", title: "Invalid API key" },
    });
    expect(outcomeOfFailure(key, "connect")).toMatchObject({ status: "credentials" });
    expect(outcomeOfFailure(answered(401, "invalid_credentials"), "connect")).toMatchObject({
      status: "disconnected",
    });
  });

  it("cannot_resend_yet makes the person wait three weeks; a seat-wide limit in its words cools the seat", () => {
    const now = new Date("2026-03-02T10:00:00Z");
    const outcome = outcomeOfFailure(answered(422, "cannot_resend_yet"), "connect", now);
    expect(outcome).toMatchObject({ status: "wait" });
    expect(outcome.status === "wait" && outcome.until.toISOString()).toBe(
      "2026-03-23T10:00:00.000Z",
    );
    const weekly = Object.assign(new Error(""), {
      body: {
        status: 422,
        type: "errors/cannot_resend_yet",
        title: "Weekly invitation limit reached",
      },
    });
    expect(outcomeOfFailure(weekly, "connect", now)).toMatchObject({ status: "limited" });
  });

  it("following someone already followed counts as done", () => {
    expect(outcomeOfFailure(answered(422, "action_already_performed"), "follow")).toEqual({
      status: "sent",
    });
  });
});
