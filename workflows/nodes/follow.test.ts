import { describe, expect, it } from "vitest";
import { followNode } from "./follow";

describe("follow step", () => {
  it("performs a follow, drawing on the follow cap", () => {
    expect(followNode.send.action).toBe("follow");
  });

  it("has one exit and a plain summary", () => {
    expect(followNode.exits.map((exit) => exit.handle)).toEqual(["next"]);
    expect(followNode.summary({})).toBe("Follow profile");
  });
});
