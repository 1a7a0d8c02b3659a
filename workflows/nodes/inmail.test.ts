import { describe, expect, it } from "vitest";
import { INMAIL_NOT_SENT_REASONS, type InMailConfig, inmailNode } from "./inmail";

const context = { template: {} };
const inmail = (subject: string, body: string): InMailConfig => ({
  variants: [{ id: "a", weight: 1, subject, body }],
  firstDegree: "send_message",
});
const codes = (config: unknown) =>
  inmailNode.checkConfig(config, context).issues.map((issue) => issue.code);

describe("InMail step", () => {
  it("accepts a 200-character subject and rejects 201", () => {
    expect(codes(inmail("s".repeat(200), "Hello"))).toEqual([]);
    expect(codes(inmail("s".repeat(201), "Hello"))).toEqual(["text_too_long"]);
  });

  it("rejects a body over 1,900 characters without also hinting at its length", () => {
    expect(codes(inmail("Hi", "b".repeat(1901)))).toEqual(["text_too_long"]);
  });

  it("hints that bodies under 400 characters perform better", () => {
    expect(codes(inmail("Hi", "b".repeat(400)))).toEqual([]);
    expect(codes(inmail("Hi", "b".repeat(401)))).toEqual(["inmail_body_long"]);
    const hint = inmailNode.checkConfig(inmail("Hi", "b".repeat(401)), context).issues[0];
    expect(hint?.severity).toBe("warning");
  });

  it("rejects an empty subject or body", () => {
    expect(codes(inmail("", "Hello"))).toEqual(["empty_text"]);
    expect(codes(inmail("Hi", " "))).toEqual(["empty_text"]);
  });

  it("rejects an unknown choice for 1st-degree connections", () => {
    expect(codes({ ...inmail("Hi", "Hello"), firstDegree: "inmail_anyway" })).toEqual([
      "invalid_config",
    ]);
  });

  it("summarises subject and body length", () => {
    expect(inmailNode.summary(inmail("Quick question", "x".repeat(148)))).toBe(
      "InMail · 'Quick question' · 148 chars",
    );
  });

  it("leaves by sent or not sent, and counts as contact only when sent", () => {
    expect(inmailNode.exits.map((exit) => exit.handle)).toEqual(["sent", "not_sent"]);
    expect(inmailNode.effectsOf(inmail("Hi", "Hello"))).toEqual({ sent: ["contacted"] });
  });

  it("names every reason an InMail can leave unsent", () => {
    expect(inmailNode.engine.notSentReasons).toEqual([
      "no_credit",
      "budget_reached",
      "recipient_refuses_inmail",
      "not_reachable",
      "first_degree_skipped",
    ]);
    expect(Object.keys(INMAIL_NOT_SENT_REASONS)).toEqual(inmailNode.engine.notSentReasons);
    expect(inmailNode.engine.firstDegree(inmail("Hi", "Hello"))).toBe("send_message");
  });
});
