import { describe, expect, it } from "vitest";
import { ACTIONS } from "./catalog";
import { likePostNode, RECENT_POST_DAYS } from "./like-post";

const input = { lead: {}, roll: 0.5, firstDegree: false, isOpenProfile: false };

describe("the Like a recent post step", () => {
  it("asks the provider to like a post of the last 90 days, with no text and no credit", () => {
    expect(likePostNode.send.prepare({}, input)).toEqual({
      action: "like_post",
      request: { withinDays: RECENT_POST_DAYS },
      variant: null,
      hasText: false,
      credits: 0,
    });
    expect(RECENT_POST_DAYS).toBe(90);
  });

  it("passes a lead with no recent post on by “No post”, any other refusal by “Liked”", () => {
    expect(likePostNode.send.notSent({}, "no_recent_post")).toEqual({
      type: "exit",
      exit: "no_post",
      note: "no post in 90 days",
    });
    expect(likePostNode.send.notSent({}, "not_reachable")).toEqual({
      type: "exit",
      exit: "next",
      note: "not done: not_reachable",
    });
    expect(likePostNode.exits.map((exit) => exit.label)).toEqual(["Liked", "No post"]);
  });

  it("draws on its own daily cap of 40 and names it on the account screens", () => {
    expect(ACTIONS.like_post).toMatchObject({ defaultDailyCap: 40, capLabel: "Post likes a day" });
    expect(likePostNode.checkConfig({}, { template: {} })).toEqual({ valid: true, issues: [] });
  });
});
