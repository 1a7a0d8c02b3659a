import { describe, expect, it } from "vitest";
import { decideIfReplied, knownFirstDegree } from "./decide";
import type { StoredAction, StoredEvent } from "./ports";

const T = new Date("2026-03-02T10:00:00Z");
const at = (ms: number) => new Date(T.getTime() + ms);

function sent(
  kind: StoredAction["kind"],
  when: Date,
  extra: Partial<StoredAction> = {},
): StoredAction {
  return {
    id: `${kind}-${when.getTime()}`,
    idempotencyKey: `e:${when.getTime()}:0`,
    nodeId: kind,
    kind,
    hasText: kind !== "visit" && kind !== "follow",
    status: "sent",
    reason: null,
    credits: 0,
    chatId: null,
    createdAt: when,
    sentAt: when,
    ...extra,
  };
}
const replied = (when: Date): StoredEvent => ({ type: "replied", occurredAt: when, chatId: null });

describe("decideIfReplied", () => {
  it("does not take a reply at the very instant of the send as its answer", () => {
    // The reply that woke the lead into this follow-up came in at the same millisecond.
    const decision = decideIfReplied({
      windowDays: 2,
      actions: [sent("inmail", at(-86_400_000)), sent("inmail", T)],
      events: [replied(T)],
      now: at(1000),
    });
    expect(decision).toEqual({ wakeAt: at(2 * 86_400_000) });
  });

  it("takes a reply one millisecond after the send, and none after the window", () => {
    const base = { windowDays: 2, actions: [sent("message", T)], now: at(3 * 86_400_000) };
    expect(decideIfReplied({ ...base, events: [replied(at(1))] })).toEqual({ exit: "yes" });
    expect(decideIfReplied({ ...base, events: [replied(at(2 * 86_400_000 + 1))] })).toEqual({
      exit: "no",
    });
  });
});

describe("knownFirstDegree", () => {
  const none = { profile: null, actions: [], events: [] };
  it("knows a connection from the seat's own invitation answered “already connected”", () => {
    const answer = sent("connect", T, { status: "not_sent", reason: "already_connected" });
    expect(knownFirstDegree({ ...none, actions: [answer] })).toBe(true);
    const pending = sent("connect", T, { status: "not_sent", reason: "already_invited" });
    expect(knownFirstDegree({ ...none, actions: [pending] })).toBe(false);
  });

  it("knows one from the profile or an acceptance, and nothing from nothing", () => {
    const profile = {
      providerId: "p",
      networkDistance: 1 as const,
      isPremium: false,
      isOpenProfile: false,
      canSendInmail: true,
    };
    expect(knownFirstDegree({ ...none, profile })).toBe(true);
    expect(knownFirstDegree({ ...none, profile: { ...profile, networkDistance: 2 } })).toBe(false);
    expect(
      knownFirstDegree({ ...none, events: [{ type: "accepted", occurredAt: T, chatId: null }] }),
    ).toBe(true);
    expect(knownFirstDegree(none)).toBe(false);
  });
});
