import { describe, expect, it } from "vitest";
import { startNode } from "./start";

describe("start step", () => {
  it("lets every enrolled lead in by default", () => {
    expect(startNode.defaults()).toEqual({ leads: "all_enrolled" });
    expect(startNode.summary(startNode.defaults())).toBe("Start · all enrolled leads");
  });

  it("rejects an entry rule it does not know", () => {
    const check = startNode.checkConfig({ leads: "some" }, { template: {} });
    expect(check.issues.map((issue) => issue.code)).toEqual(["invalid_config"]);
  });

  it("has one exit and does nothing itself", () => {
    expect(startNode.exits.map((exit) => exit.handle)).toEqual(["next"]);
    expect(startNode.engine).toEqual({ isCondition: false, isWait: false });
    expect(startNode.send).toBeUndefined();
  });
});
