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
    [422, "cannot_resend_yet", "connect", { status: "limited" }],
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
    [400, "too_many_characters", "message", { status: "not_sent", reason: "not_reachable" }],
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

  it("following someone already followed counts as done", () => {
    expect(outcomeOfFailure(answered(422, "action_already_performed"), "follow")).toEqual({
      status: "sent",
    });
  });
});
