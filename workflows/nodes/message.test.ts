import { describe, expect, it } from "vitest";
import { type MessageConfig, messageNode } from "./message";

const context = { template: {} };
const withTexts = (...texts: string[]): MessageConfig => ({
  variants: texts.map((text, index) => ({ id: `v${index}`, weight: 1, text })),
});
const codes = (config: unknown) =>
  messageNode.checkConfig(config, context).issues.map((issue) => issue.code);

describe("message step", () => {
  it("accepts 8,000 characters and rejects 8,001", () => {
    expect(codes(withTexts("x".repeat(8000)))).toEqual([]);
    expect(codes(withTexts("x".repeat(8001)))).toEqual(["text_too_long"]);
  });

  it("rejects an empty message and a message with no text at all", () => {
    expect(codes(withTexts("   "))).toEqual(["empty_text"]);
    expect(codes({ variants: [] })).toEqual(["empty_text"]);
  });

  it("names the variant at fault in an A/B test", () => {
    const issues = messageNode.checkConfig(withTexts("Hi", ""), context).issues;
    expect(issues.map((issue) => issue.message)).toEqual(["Message, variant B is empty."]);
  });

  it("summarises length and A/B variants", () => {
    expect(messageNode.summary(withTexts("Hello there"))).toBe("Message · 11 chars");
    expect(messageNode.summary(withTexts("Hi", "Hello", "Hey"))).toBe(
      "Message · A/B 3 · up to 5 chars",
    );
  });

  it("requires a connection and continues the existing chat", () => {
    expect(messageNode.engine).toMatchObject({
      requiresConnection: true,
      continuesExistingChat: true,
    });
    expect(messageNode.effectsOf(withTexts("Hi"))).toEqual({ next: ["contacted"] });
  });
});
