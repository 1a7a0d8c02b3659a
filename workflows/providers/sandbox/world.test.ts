import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProviderAccountRef, ProviderLeadRef, ProviderOutcome } from "../types";
import { baseNetworkDistance, type SandboxPerson } from "./people";
import { InMemorySandboxStore } from "./store";
import { SandboxWorld, type SandboxWorldOptions } from "./world";
import type {
  SandboxAccountSettingsInput,
  SandboxCall,
  SandboxWorldSettingsInput,
} from "./world-settings";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date("2025-03-03T09:00:00Z");
const acc: ProviderAccountRef = { accountId: "acc-1", providerAccountId: "sbx-acc-1" };
const acc2: ProviderAccountRef = { accountId: "acc-2", providerAccountId: "sbx-acc-2" };

function makeWorld(
  settings: SandboxWorldSettingsInput = {},
  extra: Partial<SandboxWorldOptions> = {},
): SandboxWorld {
  return new SandboxWorld({
    seed: "test-seed",
    settings,
    store: new InMemorySandboxStore(),
    ...extra,
  });
}

const leadRef = (publicIdentifier: string): ProviderLeadRef => ({
  leadId: `lead-${publicIdentifier}`,
  publicIdentifier,
});

const ctx = (key: string, at: Date | number = T0) => ({
  idempotencyKey: key,
  at: new Date(typeof at === "number" ? at : at.getTime()),
});

/** The first people of the world (in identifier order) who match. */
function findPeople(
  world: SandboxWorld,
  count: number,
  matches: (person: SandboxPerson, distance: 1 | 2 | 3 | null) => boolean,
  account = acc,
): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) {
    if (i > 100_000) throw new Error("no such people in this world");
    const id = `person-${i}`;
    const distance = baseNetworkDistance(world.seed, account.providerAccountId, id, world.settings);
    if (matches(world.person(id), distance)) found.push(id);
  }
  return found;
}

const distanceTo = (world: SandboxWorld, account: ProviderAccountRef, person: SandboxPerson) =>
  baseNetworkDistance(
    world.seed,
    account.providerAccountId,
    person.publicIdentifier,
    world.settings,
  );

const ordinary = (p: SandboxPerson, d: 1 | 2 | 3 | null) =>
  d !== 1 && !p.unreachable && !p.refusesInmail && !p.isOpenProfile;

const always = {
  acceptance: { probability: 1 },
  reply: { afterMessage: 1, afterInmail: 1, afterNote: 1 },
} satisfies SandboxAccountSettingsInput;
const never = {
  acceptance: { probability: 0 },
  reply: { afterMessage: 0, afterInmail: 0, afterNote: 0 },
} satisfies SandboxAccountSettingsInput;

/** A small campaign for one lead: visit, invite with a note, message two days later, InMail. */
async function campaignFor(world: SandboxWorld, id: string): Promise<ProviderOutcome[]> {
  const lead = leadRef(id);
  return [
    await world.visit(acc, lead, ctx(`${id}:visit`, T0)),
    await world.invite(acc, lead, { note: "Hi!" }, ctx(`${id}:invite`, T0.getTime() + HOUR)),
    await world.message(acc, lead, { text: "Hello" }, ctx(`${id}:msg`, T0.getTime() + 5 * DAY)),
    await world.inmail(
      acc,
      lead,
      { subject: "S", body: "B" },
      ctx(`${id}:inmail`, T0.getTime() + 6 * DAY),
    ),
  ];
}

afterEach(() => {
  vi.useRealTimers();
});

describe("determinism", () => {
  const ids = Array.from({ length: 60 }, (_, i) => `person-${i}`);

  it("gives the same record, answers and event schedule for the same seed and calls", async () => {
    const run = async () => {
      const world = makeWorld();
      const answers = [];
      for (const id of ids) answers.push(...(await campaignFor(world, id)));
      return { answers, received: await world.received(), events: await world.scheduledEvents() };
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first.events.length).toBeGreaterThan(5);
  });

  it("gives another world for another seed", async () => {
    const schedule = async (seed: string) => {
      const world = new SandboxWorld({ seed, store: new InMemorySandboxStore() });
      for (const id of ids) await campaignFor(world, id);
      return (await world.scheduledEvents()).map((event) => event.externalId);
    };
    expect(await schedule("seed-a")).not.toEqual(await schedule("seed-b"));
  });

  it("gives each person the same outcome whatever order the leads are processed in", async () => {
    // Enough credits that the shared InMail balance never decides an outcome.
    const forward = makeWorld({ defaults: { inmailBalance: 1_000 } });
    const backward = makeWorld({ defaults: { inmailBalance: 1_000 } });
    const answersForward = new Map<string, ProviderOutcome[]>();
    const answersBackward = new Map<string, ProviderOutcome[]>();
    for (const id of ids) answersForward.set(id, await campaignFor(forward, id));
    for (const id of [...ids].reverse()) answersBackward.set(id, await campaignFor(backward, id));
    for (const id of ids) {
      expect(answersBackward.get(id)).toEqual(answersForward.get(id));
      const filter = { leadPublicIdentifier: id };
      expect(await backward.received(filter)).toEqual(await forward.received(filter));
      expect(await backward.scheduledEvents(filter)).toEqual(await forward.scheduledEvents(filter));
    }
  });

  it("never reads the system clock: the same calls give the same world at any wall time", async () => {
    const run = async (wallTime: string) => {
      vi.useFakeTimers({ now: new Date(wallTime) });
      try {
        const world = makeWorld();
        for (const id of ids.slice(0, 20)) await campaignFor(world, id);
        return {
          received: await world.received(),
          events: await world.scheduledEvents(),
          due: await world.dueEvents(new Date(T0.getTime() + 3 * DAY)),
        };
      } finally {
        // The pure tests share a worker (vitest.config.ts): never leave it on a fake clock.
        vi.useRealTimers();
      }
    };
    expect(await run("2001-01-01T00:00:00Z")).toEqual(await run("2040-06-01T12:00:00Z"));
  });
});

describe("visit and follow", () => {
  it("a visit answers the profile and is recorded; a follow is recorded", async () => {
    const world = makeWorld();
    const [id] = findPeople(world, 1, (p, d) => d === 2 && p.isPremium && !p.unreachable);
    const visit = await world.visit(acc, leadRef(id!), ctx("v1"));
    const person = world.person(id!);
    expect(visit).toMatchObject({
      status: "sent",
      profile: {
        providerId: person.providerId,
        networkDistance: 2,
        isPremium: true,
        isOpenProfile: person.isOpenProfile,
        canSendInmail: !person.refusesInmail,
      },
    });
    expect(await world.follow(acc, leadRef(id!), ctx("f1"))).toMatchObject({ status: "sent" });
    const received = await world.received();
    expect(received.map((r) => [r.kind, r.leadPublicIdentifier, r.providerId])).toEqual([
      ["visit", id, person.providerId],
      ["follow", id, person.providerId],
    ]);
    expect(received[0]?.at).toEqual(T0);
  });
});

describe("invitations", () => {
  it("answers already_connected for a 1st-degree connection, and records nothing", async () => {
    const world = makeWorld();
    const [id] = findPeople(world, 1, (_, d) => d === 1);
    expect(await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"))).toEqual({
      status: "not_sent",
      reason: "already_connected",
    });
    expect(await world.received()).toEqual([]);
  });

  it("answers already_invited to a second invitation while the first is pending", async () => {
    const world = makeWorld({ defaults: never });
    const [id] = findPeople(world, 1, ordinary);
    expect(await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"))).toMatchObject({
      status: "sent",
    });
    const again = await world.invite(
      acc,
      leadRef(id!),
      { note: null },
      ctx("i2", T0.getTime() + 20 * DAY),
    );
    expect(again).toEqual({ status: "not_sent", reason: "already_invited" });
    // Another account may still invite the same person.
    expect(await world.invite(acc2, leadRef(id!), { note: null }, ctx("i3"))).toMatchObject({
      status: "sent",
    });
    expect(
      await world.received({ kind: "connect", providerAccountId: acc.providerAccountId }),
    ).toHaveLength(1);
  });

  it("answers already_connected once the invitation has been accepted", async () => {
    const world = makeWorld({ defaults: always });
    const [id] = findPeople(world, 1, ordinary);
    await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"));
    const [accepted] = await world.scheduledEvents({ type: "accepted" });
    const after = accepted!.occurredAt.getTime();
    expect(await world.invite(acc, leadRef(id!), { note: null }, ctx("i2", after))).toEqual({
      status: "not_sent",
      reason: "already_connected",
    });
  });

  it("answers not_reachable for an unreachable person", async () => {
    const world = makeWorld();
    const [id] = findPeople(world, 1, (p, d) => p.unreachable && d !== 1);
    expect(await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"))).toEqual({
      status: "not_sent",
      reason: "not_reachable",
    });
  });

  it("schedules the acceptance inside the configured delay, and a reply to the note after it", async () => {
    const world = makeWorld({ defaults: always });
    const [id] = findPeople(world, 1, ordinary);
    const sent = await world.invite(acc, leadRef(id!), { note: "Hello there" }, ctx("i1"));
    expect(sent).toMatchObject({ status: "sent", reference: expect.stringMatching(/^sbx_inv_/) });
    const [accepted, replied] = await world.scheduledEvents();
    expect(accepted).toMatchObject({ type: "accepted", leadPublicIdentifier: id, causeKey: "i1" });
    const acceptDelay = accepted!.occurredAt.getTime() - T0.getTime();
    expect(acceptDelay).toBeGreaterThanOrEqual(2 * HOUR);
    expect(acceptDelay).toBeLessThanOrEqual(5 * DAY);
    expect(replied).toMatchObject({
      type: "replied",
      chatId: world.connectionChatId(acc.providerAccountId, id!),
    });
    const replyDelay = replied!.occurredAt.getTime() - accepted!.occurredAt.getTime();
    expect(replyDelay).toBeGreaterThanOrEqual(HOUR);
    expect(replyDelay).toBeLessThanOrEqual(4 * DAY);
  });

  it("schedules no reply for an invitation without a note", async () => {
    const world = makeWorld({ defaults: always });
    const [id] = findPeople(world, 1, ordinary);
    await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"));
    expect((await world.scheduledEvents()).map((event) => event.type)).toEqual(["accepted"]);
  });

  it("uses each account's own acceptance settings", async () => {
    const world = makeWorld({
      defaults: never,
      accounts: { [acc2.providerAccountId]: { acceptance: { probability: 1 } } },
    });
    const ids = findPeople(world, 10, (p, d) => ordinary(p, d) && distanceTo(world, acc2, p) !== 1);
    for (const id of ids) {
      await world.invite(acc, leadRef(id), { note: null }, ctx(`a:${id}`));
      await world.invite(acc2, leadRef(id), { note: null }, ctx(`b:${id}`));
    }
    expect(await world.scheduledEvents({ providerAccountId: acc.providerAccountId })).toHaveLength(
      0,
    );
    expect(await world.scheduledEvents({ providerAccountId: acc2.providerAccountId })).toHaveLength(
      10,
    );
  });
});

describe("messages", () => {
  it("answers not_connected to a message for someone who is not a connection", async () => {
    const world = makeWorld();
    const [id] = findPeople(world, 1, (p, d) => d === 2 && !p.unreachable);
    expect(await world.message(acc, leadRef(id!), { text: "Hi" }, ctx("m1"))).toEqual({
      status: "not_sent",
      reason: "not_connected",
    });
    expect(await world.received()).toEqual([]);
  });

  it("lets a message through after an acceptance only once the acceptance time has passed", async () => {
    const world = makeWorld({ defaults: { acceptance: { probability: 1 } } });
    const [id] = findPeople(world, 1, (p, d) => ordinary(p, d) && distanceTo(world, acc2, p) !== 1);
    await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"));
    const [accepted] = await world.scheduledEvents({ type: "accepted" });
    const acceptedAt = accepted!.occurredAt.getTime();
    expect(
      await world.message(acc, leadRef(id!), { text: "Hi" }, ctx("m1", acceptedAt - 1)),
    ).toEqual({
      status: "not_sent",
      reason: "not_connected",
    });
    expect(await world.message(acc, leadRef(id!), { text: "Hi" }, ctx("m2", acceptedAt))).toEqual({
      status: "sent",
      reference: expect.stringMatching(/^sbx_msg_/),
      chatId: world.connectionChatId(acc.providerAccountId, id!),
    });
    const visit = await world.visit(acc, leadRef(id!), ctx("v1", acceptedAt));
    expect(visit).toMatchObject({ profile: { networkDistance: 1 } });
    // The acceptance makes a connection with this account only.
    expect(await world.message(acc2, leadRef(id!), { text: "Hi" }, ctx("m3", acceptedAt))).toEqual({
      status: "not_sent",
      reason: "not_connected",
    });
  });

  it("keeps one chat per account and person, and schedules at most one reply per burst", async () => {
    const world = makeWorld({ defaults: always });
    const [id] = findPeople(world, 1, (p, d) => d === 1 && !p.unreachable);
    const lead = leadRef(id!);
    const first = await world.message(acc, lead, { text: "1" }, ctx("m1"));
    const second = await world.message(
      acc,
      lead,
      { text: "2", chatId: "whatever" },
      ctx("m2", T0.getTime() + 1),
    );
    expect(
      first.status === "sent" && second.status === "sent" && first.chatId === second.chatId,
    ).toBe(true);
    const replies = await world.scheduledEvents({ type: "replied" });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ causeKey: "m1" });
    // After the reply came, a new message may get a new reply.
    const later = replies[0]!.occurredAt.getTime() + HOUR;
    await world.message(acc, lead, { text: "3" }, ctx("m3", later));
    expect((await world.scheduledEvents({ type: "replied" })).map((e) => e.causeKey)).toEqual([
      "m1",
      "m3",
    ]);
  });

  it("records the text of every delivered message", async () => {
    const world = makeWorld({ defaults: never });
    const [id] = findPeople(world, 1, (p, d) => d === 1 && !p.unreachable);
    await world.message(acc, leadRef(id!), { text: "Hello Ada" }, ctx("m1"));
    expect(await world.received()).toMatchObject([
      { kind: "message", text: "Hello Ada", idempotencyKey: "m1" },
    ]);
  });
});

describe("InMail", () => {
  it("uses a credit for a non-open profile and decrements the seat's balance", async () => {
    const world = makeWorld({ defaults: never });
    const [id] = findPeople(world, 1, ordinary);
    expect(await world.inmailBalance(acc)).toBe(50);
    const sent = await world.inmail(acc, leadRef(id!), { subject: "S", body: "B" }, ctx("im1"));
    expect(sent).toMatchObject({
      status: "sent",
      creditUsed: true,
      chatId: expect.stringMatching(/^sbx_chat_/),
    });
    expect(await world.inmailBalance(acc)).toBe(49);
    expect(await world.inmailBalance(acc2)).toBe(50);
    expect(await world.received()).toMatchObject([
      { kind: "inmail", subject: "S", text: "B", creditUsed: true },
    ]);
  });

  it("sends to an open profile for free", async () => {
    const world = makeWorld();
    const [id] = findPeople(world, 1, (p) => p.isOpenProfile && !p.unreachable);
    await world.setInmailBalance(acc.providerAccountId, 0);
    expect(
      await world.inmail(acc, leadRef(id!), { subject: "S", body: "B" }, ctx("im1")),
    ).toMatchObject({
      status: "sent",
      creditUsed: false,
    });
    expect(await world.inmailBalance(acc)).toBe(0);
  });

  it("answers no_credit when the balance is 0, and records nothing", async () => {
    const world = makeWorld({ accounts: { [acc.providerAccountId]: { inmailBalance: 1 } } });
    const [a, b] = findPeople(world, 2, ordinary);
    expect(
      await world.inmail(acc, leadRef(a!), { subject: "S", body: "B" }, ctx("im1")),
    ).toMatchObject({
      status: "sent",
    });
    expect(await world.inmail(acc, leadRef(b!), { subject: "S", body: "B" }, ctx("im2"))).toEqual({
      status: "not_sent",
      reason: "no_credit",
    });
    expect(await world.received({ kind: "inmail" })).toHaveLength(1);
  });

  it("answers recipient_refuses_inmail and not_reachable without using a credit", async () => {
    const world = makeWorld();
    const [refuser] = findPeople(world, 1, (p) => p.refusesInmail && !p.unreachable);
    const [unreachable] = findPeople(world, 1, (p) => p.unreachable);
    expect(
      await world.inmail(acc, leadRef(refuser!), { subject: "S", body: "B" }, ctx("im1")),
    ).toEqual({
      status: "not_sent",
      reason: "recipient_refuses_inmail",
    });
    expect(
      await world.inmail(acc, leadRef(unreachable!), { subject: "S", body: "B" }, ctx("im2")),
    ).toEqual({
      status: "not_sent",
      reason: "not_reachable",
    });
    expect(await world.inmailBalance(acc)).toBe(50);
  });

  it("opens a chat per InMail and schedules a possible reply there", async () => {
    const world = makeWorld({ defaults: always });
    const [id] = findPeople(world, 1, ordinary);
    const first = await world.inmail(acc, leadRef(id!), { subject: "S", body: "B" }, ctx("im1"));
    const second = await world.inmail(acc, leadRef(id!), { subject: "S2", body: "B2" }, ctx("im2"));
    const chats = [first, second].map((o) => (o.status === "sent" ? o.chatId : null));
    expect(chats[0]).not.toBe(chats[1]);
    expect((await world.scheduledEvents({ type: "replied" })).map((e) => e.chatId)).toEqual(
      expect.arrayContaining(chats),
    );
    expect(await world.inmailBalance(acc)).toBe(48);
  });

  it("refuses a negative or fractional balance", async () => {
    const world = makeWorld();
    await expect(world.setInmailBalance("x", -1)).rejects.toThrow(RangeError);
    await expect(world.setInmailBalance("x", 1.5)).rejects.toThrow(RangeError);
  });
});

describe("idempotency and reconciliation", () => {
  it("answers a repeated idempotency key with the earlier result, without a second record", async () => {
    const world = makeWorld({ defaults: always });
    const [id] = findPeople(world, 1, ordinary);
    const first = await world.invite(acc, leadRef(id!), { note: "Hi" }, ctx("i1"));
    const repeat = await world.invite(
      acc,
      leadRef(id!),
      { note: "Hi" },
      ctx("i1", T0.getTime() + DAY),
    );
    expect(repeat).toEqual(first);
    expect(await world.received()).toHaveLength(1);
    expect(await world.scheduledEvents({ type: "accepted" })).toHaveLength(1);
    const inmail = await world.inmail(acc, leadRef(id!), { subject: "S", body: "B" }, ctx("im1"));
    expect(await world.inmail(acc, leadRef(id!), { subject: "S", body: "B" }, ctx("im1"))).toEqual(
      inmail,
    );
    expect(await world.inmailBalance(acc)).toBe(49);
  });

  it("reconcile finds a sent action by its key and says not_sent for one never sent", async () => {
    const world = makeWorld();
    const [id] = findPeople(world, 1, ordinary);
    const sent = await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"));
    const since = new Date(T0.getTime() - HOUR);
    expect(
      await world.reconcile(acc, leadRef(id!), { kind: "connect", idempotencyKey: "i1", since }),
    ).toEqual({
      status: "sent",
      reference: sent.status === "sent" ? sent.reference : "missing",
      chatId: null,
    });
    expect(
      await world.reconcile(acc, leadRef(id!), { kind: "connect", idempotencyKey: "never", since }),
    ).toEqual({
      status: "not_sent",
    });
    expect(
      await world.reconcile(acc, leadRef(id!), { kind: "message", idempotencyKey: "i1", since }),
    ).toEqual({
      status: "not_sent",
    });
    expect(
      await world.reconcile(acc2, leadRef(id!), { kind: "connect", idempotencyKey: "i1", since }),
    ).toEqual({
      status: "not_sent",
    });
  });
});

describe("scripted failures", () => {
  it("timeout-after-send records the delivery but answers unknown; reconcile then says sent", async () => {
    const world = makeWorld(
      {},
      { script: (call) => (call.method === "message" ? "timeout-after-send" : null) },
    );
    const [id] = findPeople(world, 1, (p, d) => d === 1 && !p.unreachable);
    expect(await world.message(acc, leadRef(id!), { text: "Hi" }, ctx("m1"))).toMatchObject({
      status: "unknown",
    });
    expect(await world.received()).toMatchObject([{ kind: "message", idempotencyKey: "m1" }]);
    expect(
      await world.reconcile(acc, leadRef(id!), {
        kind: "message",
        idempotencyKey: "m1",
        since: T0,
      }),
    ).toMatchObject({ status: "sent", chatId: world.connectionChatId(acc.providerAccountId, id!) });
  });

  it("a scripted unknown is a timeout before the send: nothing recorded, reconcile says not_sent", async () => {
    const world = makeWorld(
      {},
      { script: (call) => (call.method === "invite" ? { status: "unknown" } : null) },
    );
    const [id] = findPeople(world, 1, ordinary);
    expect(await world.invite(acc, leadRef(id!), { note: null }, ctx("i1"))).toEqual({
      status: "unknown",
    });
    expect(await world.received()).toEqual([]);
    expect(await world.scheduledEvents()).toEqual([]);
    expect(
      await world.reconcile(acc, leadRef(id!), {
        kind: "connect",
        idempotencyKey: "i1",
        since: T0,
      }),
    ).toEqual({ status: "not_sent" });
  });

  it("answers the scripted outcome on the chosen call only", async () => {
    const calls: SandboxCall[] = [];
    const world = makeWorld(
      {},
      {
        script: (call) => {
          calls.push(call);
          if (calls.length === 2) return { status: "limited", detail: "cannot_resend_yet" };
          if (calls.length === 3) return { status: "not_sent", reason: "not_reachable" };
          return null;
        },
      },
    );
    const [a, b, c, d] = findPeople(world, 4, ordinary);
    const outcomes = [];
    for (const [i, id] of [a, b, c, d].entries()) {
      outcomes.push((await world.follow(acc, leadRef(id!), ctx(`f${i}`))).status);
    }
    expect(outcomes).toEqual(["sent", "limited", "not_sent", "sent"]);
    expect((await world.received()).map((r) => r.leadPublicIdentifier)).toEqual([a, d]);
    expect(calls[0]).toMatchObject({ method: "follow", idempotencyKey: "f0", at: T0 });
  });

  it("a scripted restriction restricts the account for good", async () => {
    const world = makeWorld(
      {},
      { script: (call) => (call.method === "visit" ? { status: "restricted" } : null) },
    );
    const [id] = findPeople(world, 1, ordinary);
    expect(await world.visit(acc, leadRef(id!), ctx("v1"))).toEqual({ status: "restricted" });
    expect(await world.isRestricted(acc.providerAccountId)).toBe(true);
    expect(await world.follow(acc, leadRef(id!), ctx("f1"))).toMatchObject({
      status: "restricted",
    });
    expect(await world.isRestricted(acc2.providerAccountId)).toBe(false);
  });

  it("a scripted failure of reconcile answers unknown, and of the balance query null", async () => {
    const world = makeWorld(
      {},
      {
        script: (call) =>
          call.method === "reconcile" || call.method === "inmailBalance"
            ? { status: "unknown" }
            : null,
      },
    );
    expect(
      await world.reconcile(acc, leadRef("x"), { kind: "visit", idempotencyKey: "k", since: T0 }),
    ).toEqual({ status: "unknown" });
    expect(await world.inmailBalance(acc)).toBeNull();
  });
});

describe("restriction", () => {
  it("restricts an account past 60 invitations in a UTC day; everything after answers restricted", async () => {
    const world = makeWorld({ defaults: never });
    const ids = findPeople(world, 62, ordinary);
    const outcomes: string[] = [];
    for (const [i, id] of ids.entries()) {
      const at = T0.getTime() + i * 60_000;
      outcomes.push(
        (await world.invite(acc, leadRef(id), { note: null }, ctx(`i${i}`, at))).status,
      );
    }
    expect(outcomes.slice(0, 60).every((status) => status === "sent")).toBe(true);
    expect(outcomes.slice(60)).toEqual(["restricted", "restricted"]);
    expect(await world.isRestricted(acc.providerAccountId)).toBe(true);
    const later = T0.getTime() + 30 * DAY;
    const lead = leadRef(ids[0]!);
    expect(await world.visit(acc, lead, ctx("v", later))).toMatchObject({ status: "restricted" });
    expect(await world.follow(acc, lead, ctx("f", later))).toMatchObject({ status: "restricted" });
    expect(await world.message(acc, lead, { text: "x" }, ctx("m", later))).toMatchObject({
      status: "restricted",
    });
    expect(
      await world.inmail(acc, lead, { subject: "s", body: "b" }, ctx("im", later)),
    ).toMatchObject({
      status: "restricted",
    });
    expect(
      await world.reconcile(acc, lead, { kind: "connect", idempotencyKey: "i0", since: T0 }),
    ).toEqual({
      status: "unknown",
    });
    expect(await world.inmailBalance(acc)).toBeNull();
    expect(await world.received({ kind: "connect" })).toHaveLength(60);
    // Other accounts are not affected.
    expect(await world.follow(acc2, lead, ctx("f2", later))).toMatchObject({ status: "sent" });
  });

  it("counts invitations over a rolling 7 days, not per calendar week", async () => {
    const world = makeWorld({ defaults: { ...never, safety: { invitationsPer7Days: 5 } } });
    const ids = findPeople(world, 8, ordinary);
    const invite = (i: number, day: number) =>
      world.invite(acc, leadRef(ids[i]!), { note: null }, ctx(`i${i}`, T0.getTime() + day * DAY));
    for (let i = 0; i < 5; i++) expect((await invite(i, i)).status).toBe("sent");
    // Day 7 is 7 days after day 0: the first invitation has left the window.
    expect((await invite(5, 7)).status).toBe("sent");
    expect((await invite(6, 7.5)).status).toBe("restricted");
  });

  it("restricts an account past its daily cap of all actions together", async () => {
    const world = makeWorld({
      accounts: { [acc.providerAccountId]: { safety: { actionsPerDay: 3 } } },
    });
    const [id] = findPeople(world, 1, ordinary);
    const lead = leadRef(id!);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await world.visit(acc, lead, ctx(`v${i}`, T0.getTime() + i))).status);
    statuses.push((await world.follow(acc, lead, ctx("f", T0.getTime() + 10))).status);
    expect(statuses).toEqual(["sent", "sent", "sent", "restricted"]);
    expect((await world.visit(acc2, lead, ctx("other"))).status).toBe("sent");
  });

  it("does not count calls that were not delivered", async () => {
    const world = makeWorld({ defaults: { safety: { actionsPerDay: 1 } } });
    const [stranger] = findPeople(world, 1, (p, d) => d === 2 && !p.unreachable);
    for (let i = 0; i < 5; i++) {
      expect(
        (await world.message(acc, leadRef(stranger!), { text: "x" }, ctx(`m${i}`))).status,
      ).toBe("not_sent");
    }
    expect((await world.visit(acc, leadRef(stranger!), ctx("v"))).status).toBe("sent");
  });
});

describe("dueEvents", () => {
  it("returns every event due by now once, in time order, as InboundEvents", async () => {
    const world = makeWorld({ defaults: always });
    const ids = findPeople(world, 12, ordinary);
    for (const [i, id] of ids.entries()) {
      await world.invite(acc, leadRef(id), { note: "Hi" }, ctx(`i${i}`, T0.getTime() + i * HOUR));
    }
    const schedule = await world.scheduledEvents();
    expect(schedule).toHaveLength(24);
    const middle = new Date(schedule[11]!.occurredAt.getTime());
    const firstBatch = await world.dueEvents(middle);
    expect(firstBatch.map((e) => e.externalId)).toEqual(
      schedule.slice(0, 12).map((e) => e.externalId),
    );
    expect(await world.dueEvents(middle)).toEqual([]);
    const rest = await world.dueEvents(new Date(T0.getTime() + 365 * DAY));
    expect(rest.map((e) => e.externalId)).toEqual(schedule.slice(12).map((e) => e.externalId));
    const times = [...firstBatch, ...rest].map((e) => e.occurredAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(rest[0]).toEqual({
      externalId: schedule[12]!.externalId,
      type: schedule[12]!.type,
      providerAccountId: acc.providerAccountId,
      leadProviderId: world.person(schedule[12]!.leadPublicIdentifier).providerId,
      leadPublicIdentifier: schedule[12]!.leadPublicIdentifier,
      chatId: schedule[12]!.chatId,
      occurredAt: schedule[12]!.occurredAt,
      // A reply carries its text; an acceptance has none.
      ...(schedule[12]!.reply ? { text: schedule[12]!.reply.text } : {}),
    });
    expect(await world.dueEvents(new Date(T0.getTime() + 400 * DAY))).toEqual([]);
  });

  it("lets two worlds sharing one store hand out each event once", async () => {
    const store = new InMemorySandboxStore();
    const a = new SandboxWorld({ seed: "s", settings: { defaults: always }, store });
    const b = new SandboxWorld({ seed: "s", settings: { defaults: always }, store });
    const ids = findPeople(a, 4, ordinary);
    for (const [i, id] of ids.entries())
      await a.invite(acc, leadRef(id), { note: null }, ctx(`i${i}`));
    const far = new Date(T0.getTime() + 30 * DAY);
    const [fromA, fromB] = await Promise.all([a.dueEvents(far), b.dueEvents(far)]);
    expect(fromA.length + fromB.length).toBe(4);
  });
});
