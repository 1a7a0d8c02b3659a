import { UnipileClient } from "unipile-node-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeUnipile } from "@/test/fake-unipile/server";
import type { ProviderAccountRef } from "../types";
import { UnipileProvider } from "./adapter";

const account: ProviderAccountRef = { accountId: "seat-1", providerAccountId: "uni-acc-1" };
const at = new Date("2026-03-02T09:00:00Z");
const ctx = { idempotencyKey: "k-like", at };
const lead = { leadId: "lead-1", publicIdentifier: "ada", providerId: "ACoAda" };
const daysAgo = (days: number) => new Date(at.getTime() - days * 86_400_000).toISOString();

/** A client answering the post list with `items` and recording every call. */
function stub(items: unknown[]) {
  const calls: Array<{ call: string; input: Record<string, unknown> }> = [];
  const client = {
    users: {
      getAllPosts: async (input: Record<string, unknown>) => {
        calls.push({ call: "list", input });
        return { object: "PostList", items, cursor: null };
      },
      sendPostReaction: async (input: Record<string, unknown>) => {
        calls.push({ call: "react", input });
        return { object: "ReactionAdded" };
      },
    },
  } as unknown as UnipileClient;
  return { calls, provider: new UnipileProvider({ client, timeoutMs: 1_000 }) };
}

describe("liking a recent post through Unipile", () => {
  it("lists the user's posts and likes the newest own post of the last 90 days", async () => {
    const { calls, provider } = stub([
      { id: "p-old", social_id: "urn:li:activity:1", parsed_datetime: daysAgo(30) },
      {
        id: "p-repost",
        social_id: "urn:li:activity:2",
        parsed_datetime: daysAgo(1),
        is_repost: true,
      },
      { id: "p-new", social_id: "urn:li:activity:3", parsed_datetime: daysAgo(5) },
    ]);
    const outcome = await provider.perform("like_post", account, lead, { withinDays: 90 }, ctx);
    expect(outcome).toEqual({ status: "sent", reference: "urn:li:activity:3" });
    expect(calls).toEqual([
      { call: "list", input: { account_id: "uni-acc-1", identifier: "ACoAda", limit: 10 } },
      {
        call: "react",
        input: { account_id: "uni-acc-1", post_id: "urn:li:activity:3", reaction_type: "like" },
      },
    ]);
  });

  it("answers no_recent_post, and reacts to nothing, when the latest post is older than 90 days", async () => {
    const { calls, provider } = stub([
      { id: "p-older", social_id: "urn:li:activity:4", parsed_datetime: daysAgo(91) },
    ]);
    expect(await provider.perform("like_post", account, lead, { withinDays: 90 }, ctx)).toEqual({
      status: "not_sent",
      reason: "no_recent_post",
    });
    expect(calls.map((c) => c.call)).toEqual(["list"]);
  });

  it("counts a like whose outcome was unknown as done: liking the post again changes nothing", async () => {
    const { provider } = stub([]);
    expect(
      await provider.reconcile(account, lead, {
        kind: "like_post",
        idempotencyKey: "k",
        since: at,
      }),
    ).toEqual({ status: "sent" });
  });
});

describe("liking a recent post against the fake Unipile", () => {
  let fake: FakeUnipile;
  beforeAll(async () => {
    fake = await new FakeUnipile({ now: () => at }).start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  const provider = () =>
    new UnipileProvider({ client: new UnipileClient(fake.baseUrl, fake.apiKey), timeoutMs: 2_000 });
  const DAY = 86_400_000;

  it("reads the profile, lists the posts over HTTP and likes the newest recent one", async () => {
    const person = fake.person("bea-posts", { postedAgoMs: [3 * DAY, 40 * DAY] });
    const outcome = await provider().perform(
      "like_post",
      account,
      { leadId: "lead-bea", publicIdentifier: "bea-posts" },
      { withinDays: 90 },
      ctx,
    );
    expect(outcome).toMatchObject({ status: "sent", profile: { providerId: person.providerId } });
    expect(fake.sends).toEqual([
      expect.objectContaining({
        kind: "like",
        accountId: "uni-acc-1",
        publicIdentifier: "bea-posts",
        reaction: "like",
        postId: outcome.status === "sent" ? outcome.reference : "",
      }),
    ]);
  });

  it("likes nothing for someone whose posts are all older than 90 days", async () => {
    fake.sends.length = 0;
    fake.person("cal-quiet", { postedAgoMs: [120 * DAY] });
    const outcome = await provider().perform(
      "like_post",
      account,
      { leadId: "lead-cal", publicIdentifier: "cal-quiet" },
      { withinDays: 90 },
      ctx,
    );
    expect(outcome).toEqual({ status: "not_sent", reason: "no_recent_post" });
    expect(fake.sends).toEqual([]);
  });
});
