import { describe, expect, it } from "vitest";
import type { ProviderAccountRef } from "../types";
import { InMemorySandboxStore } from "./store";
import { SandboxWorld } from "./world";

const DAY = 86_400_000;
const T0 = new Date("2025-03-03T09:00:00Z");
const acc: ProviderAccountRef = { accountId: "acc-1", providerAccountId: "sbx-acc-1" };
const world = (seed = "test-seed") => new SandboxWorld({ seed, store: new InMemorySandboxStore() });
const lead = (publicIdentifier: string) => ({
  leadId: `lead-${publicIdentifier}`,
  publicIdentifier,
});
const people = Array.from({ length: 400 }, (_, i) => `person-${i}`);
const ctx = (key: string, at = T0) => ({ idempotencyKey: key, at });

describe("posts and likes in the sandbox", () => {
  it("draws each person's latest post from the seed: the same for the same seed and date", () => {
    const a = world();
    const b = world();
    for (const id of people.slice(0, 50))
      expect(a.latestPost(id, T0)).toEqual(b.latestPost(id, T0));
    const other = world("another-seed");
    expect(people.some((id) => other.latestPost(id, T0)?.id !== a.latestPost(id, T0)?.id)).toBe(
      true,
    );
  });

  it("gives some people a post in the last 90 days and others none (a quarter never post)", () => {
    const w = world();
    const recent = people.filter((id) => {
      const post = w.latestPost(id, T0);
      return post !== null && T0.getTime() - post.at.getTime() <= 90 * DAY;
    });
    const never = people.filter((id) => w.latestPost(id, T0) === null);
    expect(recent.length / people.length).toBeGreaterThan(0.4);
    expect(recent.length).toBeLessThan(people.length - never.length);
    expect(never.length / people.length).toBeGreaterThan(0.15);
    expect(never.length / people.length).toBeLessThan(0.35);
    for (const id of people) {
      const post = w.latestPost(id, T0);
      if (post) expect(post.at.getTime()).toBeLessThanOrEqual(T0.getTime());
    }
  });

  it("likes the latest post of someone who posted lately, once per key", async () => {
    const w = world();
    const id = people.find((p) => {
      const post = w.latestPost(p, T0);
      return post && T0.getTime() - post.at.getTime() <= 90 * DAY && !w.person(p).unreachable;
    })!;
    const request = { withinDays: 90 };
    const outcome = await w.perform("like_post", acc, lead(id), request, ctx("k1"));
    expect(outcome).toEqual({ status: "sent", reference: w.latestPost(id, T0)!.id, chatId: null });
    expect(await w.perform("like_post", acc, lead(id), request, ctx("k1"))).toEqual(outcome);
    const received = await w.received({ kind: "like_post" });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      leadPublicIdentifier: id,
      reference: outcome.status === "sent" ? outcome.reference : "",
    });
    expect(
      await w.reconcile(acc, lead(id), { kind: "like_post", idempotencyKey: "k1", since: T0 }),
    ).toMatchObject({ status: "sent" });
  });

  it("answers no_recent_post, and records nothing, for someone quiet for 90 days", async () => {
    const w = world();
    const quiet = people.filter((p) => {
      const post = w.latestPost(p, T0);
      return (
        (post === null || T0.getTime() - post.at.getTime() > 90 * DAY) && !w.person(p).unreachable
      );
    });
    expect(quiet.length).toBeGreaterThan(0);
    for (const id of quiet.slice(0, 5)) {
      expect(
        await w.perform("like_post", acc, lead(id), { withinDays: 90 }, ctx(`q-${id}`)),
      ).toEqual({
        status: "not_sent",
        reason: "no_recent_post",
      });
    }
    expect(await w.received({ kind: "like_post" })).toEqual([]);
  });
});
