import { describe, expect, it } from "vitest";
import { InMemorySandboxStore, type SandboxEvent, type SandboxReceived } from "./store";

const record = (
  key: string,
  at: string,
  kind: SandboxReceived["kind"] = "visit",
): SandboxReceived => ({
  at: new Date(at),
  providerAccountId: "acc",
  leadPublicIdentifier: "ada",
  providerId: "sbx_1",
  kind,
  idempotencyKey: key,
  reference: `ref-${key}`,
  chatId: null,
});

const event = (externalId: string, occurredAt: string): SandboxEvent => ({
  externalId,
  type: "replied",
  providerAccountId: "acc",
  leadPublicIdentifier: "ada",
  leadProviderId: "sbx_1",
  chatId: "chat",
  occurredAt: new Date(occurredAt),
  causeKey: "k",
  deliveredAt: null,
});

describe("InMemorySandboxStore", () => {
  it("keeps one delivery per idempotency key", async () => {
    const store = new InMemorySandboxStore();
    expect(await store.appendReceived(record("k1", "2025-01-01T10:00:00Z"))).toBe(true);
    expect(await store.appendReceived(record("k1", "2025-01-02T10:00:00Z", "follow"))).toBe(false);
    expect(await store.listReceived()).toHaveLength(1);
    expect((await store.findReceivedByKey("k1"))?.kind).toBe("visit");
    expect(await store.findReceivedByKey("nope")).toBeNull();
  });

  it("filters deliveries by account, lead, kind and a [since, until) window", async () => {
    const store = new InMemorySandboxStore();
    await store.appendReceived(record("a", "2025-01-01T00:00:00Z", "connect"));
    await store.appendReceived(record("b", "2025-01-01T12:00:00Z", "connect"));
    await store.appendReceived(record("c", "2025-01-02T00:00:00Z", "connect"));
    await store.appendReceived(record("d", "2025-01-01T13:00:00Z", "visit"));
    const day = {
      since: new Date("2025-01-01T00:00:00Z"),
      until: new Date("2025-01-02T00:00:00Z"),
    };
    expect(await store.countReceived({ ...day, kind: "connect" })).toBe(2);
    expect(await store.countReceived({ ...day })).toBe(3);
    expect(await store.countReceived({ providerAccountId: "other" })).toBe(0);
    expect((await store.listReceived({ kind: "connect" })).map((r) => r.idempotencyKey)).toEqual([
      "a",
      "b",
      "c",
    ]);
  });

  it("hands out each due event once, by time then id, and keeps later ones", async () => {
    const store = new InMemorySandboxStore();
    await store.scheduleEvent(event("e3", "2025-01-03T00:00:00Z"));
    await store.scheduleEvent(event("e2b", "2025-01-02T00:00:00Z"));
    await store.scheduleEvent(event("e2a", "2025-01-02T00:00:00Z"));
    await store.scheduleEvent(event("e1", "2025-01-01T00:00:00Z"));
    expect(await store.scheduleEvent(event("e1", "2025-01-05T00:00:00Z"))).toBe(false);
    const now = new Date("2025-01-02T00:00:00Z");
    const due = await store.takeDueEvents(now);
    expect(due.map((e) => e.externalId)).toEqual(["e1", "e2a", "e2b"]);
    expect(due.every((e) => e.deliveredAt?.getTime() === now.getTime())).toBe(true);
    expect(await store.takeDueEvents(now)).toEqual([]);
    expect((await store.takeDueEvents(new Date("2030-01-01"))).map((e) => e.externalId)).toEqual([
      "e3",
    ]);
    expect(await store.listEvents({ chatId: "chat" })).toHaveLength(4);
  });

  it("returns copies, so callers cannot change what it remembers", async () => {
    const store = new InMemorySandboxStore();
    await store.appendReceived(record("k1", "2025-01-01T10:00:00Z"));
    const copy = await store.findReceivedByKey("k1");
    if (copy) copy.reference = "tampered";
    expect((await store.findReceivedByKey("k1"))?.reference).toBe("ref-k1");
    await store.putAccountState({
      providerAccountId: "acc",
      inmailBalance: 3,
      restricted: false,
      restrictedAt: null,
      restrictedReason: null,
    });
    const state = await store.getAccountState("acc");
    if (state) state.inmailBalance = 99;
    expect((await store.getAccountState("acc"))?.inmailBalance).toBe(3);
    expect(await store.getAccountState("unknown")).toBeNull();
  });
});
