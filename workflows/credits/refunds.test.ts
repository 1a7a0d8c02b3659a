import { describe, expect, it } from "vitest";
import {
  type InmailResponse,
  type RefundPolicy,
  RefundPolicySchema,
  refundDecision,
} from "./refunds";

const onReply: RefundPolicy = RefundPolicySchema.parse({ type: "on_reply" });
const inmailSentAt = new Date("2025-01-10T10:00:00Z");
const daysAfterSend = (days: number) => new Date(inmailSentAt.getTime() + days * 86_400_000);
const message = (days: number): InmailResponse => ({
  at: daysAfterSend(days),
  kind: "message",
  inThread: true,
});
const decide = (
  reply: InmailResponse | null,
  extra: { policy?: RefundPolicy; restricted?: boolean; alreadyRefunded?: boolean } = {},
) =>
  refundDecision({
    policy: extra.policy ?? onReply,
    inmailSentAt,
    reply,
    recipientRestrictedOrClosed: extra.restricted ?? false,
    alreadyRefunded: extra.alreadyRefunded ?? false,
  });

describe("RefundPolicySchema", () => {
  it("defaults to a 90-day window and a 1-day posting delay", () => {
    expect(onReply).toEqual({ type: "on_reply", windowDays: 90, delayDays: 1 });
  });
});

describe("refundDecision", () => {
  it("refunds a reply in the InMail's thread, posted after the delay", () => {
    expect(decide(message(10))).toEqual({ refund: true, postAt: daysAfterSend(11) });
  });

  it("refunds up to the last moment of the window and not after", () => {
    expect(decide(message(90)).refund).toBe(true);
    expect(decide({ ...message(90), at: new Date(daysAfterSend(90).getTime() + 1) })).toEqual({
      refund: false,
      reason: "outside_window",
    });
  });

  it("honours a pool's own window and delay", () => {
    const policy = RefundPolicySchema.parse({ type: "on_reply", windowDays: 30, delayDays: 3 });
    expect(decide(message(31), { policy }).refund).toBe(false);
    expect(decide(message(29), { policy })).toEqual({ refund: true, postAt: daysAfterSend(32) });
  });

  it("refunds once only", () => {
    expect(decide(message(5), { alreadyRefunded: true })).toEqual({
      refund: false,
      reason: "already_refunded",
    });
  });

  it("never refunds on a plan without a refund policy", () => {
    expect(decide(message(1), { policy: { type: "none" } })).toEqual({
      refund: false,
      reason: "no_refund_policy",
    });
  });

  it("does not refund when the recipient's account became restricted or closed", () => {
    expect(decide(message(1), { restricted: true })).toEqual({
      refund: false,
      reason: "recipient_restricted_or_closed",
    });
  });

  it("does not count an accepted connection, a reaction or a message outside the thread", () => {
    expect(decide({ ...message(1), kind: "connection_accepted", inThread: false })).toEqual({
      refund: false,
      reason: "connection_accepted_not_reply",
    });
    expect(decide({ ...message(1), kind: "reaction" })).toEqual({
      refund: false,
      reason: "reaction_not_reply",
    });
    expect(decide({ ...message(1), inThread: false })).toEqual({
      refund: false,
      reason: "outside_thread",
    });
  });

  it("does not refund without a reply, or for a reply dated before the send", () => {
    expect(decide(null)).toEqual({ refund: false, reason: "no_reply" });
    expect(decide(message(-1))).toEqual({ refund: false, reason: "outside_window" });
  });
});
