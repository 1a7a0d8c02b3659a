import { describe, expect, it } from "vitest";
import { deliveryKey, parseUnipileWebhook } from "./webhook";

describe("reading Unipile webhook deliveries", () => {
  it("reads a new message with its sender and the time it was written", () => {
    const parsed = parseUnipileWebhook({
      event: "message_received",
      account_id: "acc",
      chat_id: "chat-1",
      message_id: "msg-1",
      message: "Sounds good",
      timestamp: "2026-03-03T10:00:00.000Z",
      sender: { attendee_provider_id: "ACoLEAD", attendee_name: "Lea" },
    });
    expect(parsed).toEqual({
      kind: "message",
      providerAccountId: "acc",
      chatId: "chat-1",
      messageId: "msg-1",
      senderProviderId: "ACoLEAD",
      sentAt: new Date("2026-03-03T10:00:00.000Z"),
      text: "Sounds good",
    });
    expect(deliveryKey(parsed, new Date())).toBe("message:msg-1");
  });

  it("reads a new relation and an account status; ignores other events", () => {
    expect(
      parseUnipileWebhook({
        event: "new_relation",
        account_id: "acc",
        user_provider_id: "ACoLEAD",
        user_public_identifier: "lea",
        user_full_name: "Lea Example",
      }),
    ).toEqual({
      kind: "relation",
      providerAccountId: "acc",
      leadProviderId: "ACoLEAD",
      leadPublicIdentifier: "lea",
    });
    expect(
      parseUnipileWebhook({ AccountStatus: { account_id: "acc", message: "CREDENTIALS" } }),
    ).toEqual({ kind: "account_status", providerAccountId: "acc", status: "CREDENTIALS" });
    expect(parseUnipileWebhook({ event: "message_read", account_id: "acc" })).toMatchObject({
      kind: "ignored",
    });
  });

  it("a repeated status within minutes is one delivery, a later one is another", () => {
    const status = parseUnipileWebhook({ AccountStatus: { account_id: "a", message: "OK" } });
    const t = new Date("2026-03-03T10:00:00Z");
    expect(deliveryKey(status, new Date(t.getTime() + 30_000))).toBe(deliveryKey(status, t));
    expect(deliveryKey(status, new Date(t.getTime() + 3_600_000))).not.toBe(deliveryKey(status, t));
  });
});
