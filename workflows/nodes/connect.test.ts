import { describe, expect, it } from "vitest";
import { type ConnectConfig, connectNode, hasNote } from "./connect";

const context = { template: {} };
const withNotes = (...texts: string[]): ConnectConfig => ({
  noteVariants: texts.map((text, index) => ({ id: `v${index}`, weight: 1, text })),
  skipIfConnected: true,
});
const codes = (config: unknown) =>
  connectNode.checkConfig(config, context).issues.map((issue) => issue.code);

describe("connect step", () => {
  it("sends no note by default", () => {
    expect(hasNote(connectNode.defaults())).toBe(false);
    expect(connectNode.summary(connectNode.defaults())).toBe("Connect · no note");
  });

  it("shows the note's worst-case length against the 300 limit", () => {
    expect(connectNode.summary(withNotes("Hi {{firstName}}"))).toBe("Connect · note 23/300");
    expect(connectNode.summary(withNotes("Hi", "Hello"))).toBe("Connect · note 5/300 · A/B 2");
  });

  it("accepts a note of exactly 300 characters", () => {
    expect(codes(withNotes("x".repeat(300)))).toEqual([]);
  });

  it("rejects a note over 300 characters", () => {
    expect(codes(withNotes("x".repeat(301)))).toEqual(["text_too_long"]);
  });

  it("warns when long names could push the note over 300", () => {
    expect(codes(withNotes(`${"x".repeat(290)} {{company}}`))).toEqual(["text_may_exceed_limit"]);
  });

  it("allows a blank variant in an A/B test, meaning no note for those leads", () => {
    expect(codes(withNotes("Hi {{firstName|there}}", ""))).toEqual([]);
  });

  it("rejects an unknown variable in the note", () => {
    expect(codes(withNotes("Hi {{name}}"))).toEqual(["unknown_template_variable"]);
  });

  it("records an invitation, and a message only when every variant has a note", () => {
    expect(connectNode.effectsOf(withNotes("Hi"))).toEqual({ next: ["invited", "contacted"] });
    expect(connectNode.effectsOf(withNotes("Hi", ""))).toEqual({ next: ["invited"] });
    expect(connectNode.effectsOf(withNotes())).toEqual({ next: ["invited"] });
  });

  it("moves on or stops for a lead who is already connected, as configured", () => {
    expect(connectNode.send.action).toBe("connect");
    expect(connectNode.engine.whenAlreadyConnected(withNotes())).toBe("continue");
    expect(
      connectNode.engine.whenAlreadyConnected({ ...withNotes(), skipIfConnected: false }),
    ).toBe("stop");
  });
});
