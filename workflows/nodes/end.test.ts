import { describe, expect, it } from "vitest";
import { endNode } from "./end";

const context = { template: {} };

describe("end step", () => {
  it("has no exits", () => {
    expect(endNode.exits).toEqual([]);
  });

  it("shows its outcome label, trimmed", () => {
    const check = endNode.configSchema.parse({ outcome: "  not interested " });
    expect(endNode.summary(check)).toBe("End · not interested");
  });

  it("rejects a blank or overlong outcome", () => {
    expect(endNode.checkConfig({ outcome: "  " }, context).issues.map((i) => i.code)).toEqual([
      "invalid_config",
    ]);
    expect(endNode.checkConfig({ outcome: "x".repeat(61) }, context).valid).toBe(false);
  });
});
