import { describe, expect, it } from "vitest";
import { visitNode } from "./visit";

describe("visit step", () => {
  it("counts as a visit and refreshes the lead's profile flags", () => {
    expect(visitNode.send.action).toBe("visit");
    expect(visitNode.engine.refreshesProfile).toBe(true);
  });

  it("needs no settings and ignores unknown ones", () => {
    expect(visitNode.checkConfig({ extra: 1 }, { template: {} })).toEqual({
      valid: true,
      issues: [],
    });
    expect(visitNode.summary({})).toBe("Visit profile");
  });

  it("rejects settings that are not an object", () => {
    expect(visitNode.checkConfig("yes", { template: {} }).valid).toBe(false);
  });
});
