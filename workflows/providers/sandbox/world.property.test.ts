import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ProviderAccountRef } from "../types";
import { baseNetworkDistance } from "./people";
import { InMemorySandboxStore } from "./store";
import { SandboxWorld } from "./world";

const HOUR = 3_600_000;
const T0 = Date.parse("2025-03-03T09:00:00Z");
const accounts: ProviderAccountRef[] = [
  { accountId: "a", providerAccountId: "sbx-a" },
  { accountId: "b", providerAccountId: "sbx-b" },
];
const people = Array.from({ length: 8 }, (_, i) => `p${i}`);

const operation = fc.record({
  method: fc.constantFrom("visit", "follow", "invite", "message", "inmail"),
  account: fc.integer({ min: 0, max: accounts.length - 1 }),
  person: fc.integer({ min: 0, max: people.length - 1 }),
  /** Hours since the previous call: time only moves forward. */
  gapHours: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 0, max: 72 }),
  ),
  /** Reuse an earlier key now and then, as a confused caller would. */
  reuseKey: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

function newWorld() {
  return new SandboxWorld({
    seed: "prop",
    settings: {
      defaults: {
        acceptance: { probability: 0.7 },
        reply: { afterMessage: 0.6, afterInmail: 0.6, afterNote: 0.6 },
        inmailBalance: 3,
        safety: { actionsPerDay: 6, invitationsPerDay: 2, invitationsPer7Days: 3 },
      },
    },
    store: new InMemorySandboxStore(),
  });
}

async function play(world: SandboxWorld, ops: Operation[]) {
  let at = T0;
  const answers = [];
  for (const [i, op] of ops.entries()) {
    at += op.gapHours * HOUR;
    const account = accounts[op.account]!;
    const lead = { leadId: people[op.person]!, publicIdentifier: people[op.person]! };
    const ctx = { idempotencyKey: op.reuseKey && i > 0 ? "k0" : `k${i}`, at: new Date(at) };
    switch (op.method) {
      case "visit":
        answers.push(await world.visit(account, lead, ctx));
        break;
      case "follow":
        answers.push(await world.follow(account, lead, ctx));
        break;
      case "invite":
        answers.push(await world.invite(account, lead, { note: i % 2 ? "Hi" : null }, ctx));
        break;
      case "message":
        answers.push(await world.message(account, lead, { text: `m${i}` }, ctx));
        break;
      case "inmail":
        answers.push(await world.inmail(account, lead, { subject: "s", body: `b${i}` }, ctx));
        break;
    }
  }
  return answers;
}

describe("the sandbox world under any sequence of calls", () => {
  it("keeps its invariants and replays identically", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 20, maxLength: 80 }), async (ops) => {
        const world = newWorld();
        const answers = await play(world, ops);
        const received = await world.received();
        const events = await world.scheduledEvents();

        // One delivery per idempotency key.
        expect(new Set(received.map((r) => r.idempotencyKey)).size).toBe(received.length);

        for (const account of accounts) {
          const id = account.providerAccountId;
          const mine = received.filter((r) => r.providerAccountId === id);
          // Credits: the balance is what the paid InMails left.
          const paid = mine.filter((r) => r.kind === "inmail" && r.creditUsed).length;
          const balance = await world.inmailBalance(account);
          if (!(await world.isRestricted(id))) expect(balance).toBe(3 - paid);
          // Never more deliveries in a UTC day than the safe limit.
          const perDay = new Map<string, number>();
          for (const r of mine) {
            const day = r.at.toISOString().slice(0, 10);
            perDay.set(day, (perDay.get(day) ?? 0) + 1);
          }
          for (const n of perDay.values()) expect(n).toBeLessThanOrEqual(6);
        }

        for (const r of received) {
          const accepted = events.filter(
            (e) =>
              e.type === "accepted" &&
              e.providerAccountId === r.providerAccountId &&
              e.leadPublicIdentifier === r.leadPublicIdentifier,
          );
          // A message only ever reaches a connection.
          if (r.kind === "message") {
            const firstDegree =
              baseNetworkDistance(
                world.seed,
                r.providerAccountId,
                r.leadPublicIdentifier,
                world.settings,
              ) === 1;
            const acceptedBefore = accepted.some((e) => e.occurredAt <= r.at);
            expect(firstDegree || acceptedBefore).toBe(true);
          }
          if (r.kind === "connect") expect(accepted.length).toBeLessThanOrEqual(1);
        }

        // Once an account is restricted, it answers nothing else.
        for (const [index] of accounts.entries()) {
          const statuses = answers.filter((_, i) => ops[i]?.account === index).map((a) => a.status);
          const first = statuses.indexOf("restricted");
          if (first >= 0) expect(new Set(statuses.slice(first))).toEqual(new Set(["restricted"]));
        }

        // Every event follows the delivery that caused it.
        for (const event of events) {
          const cause = received.find((r) => r.idempotencyKey === event.causeKey);
          expect(cause).toBeDefined();
          expect(event.occurredAt.getTime()).toBeGreaterThan(cause!.at.getTime());
        }

        // The same calls on a fresh world give the same answers, record and schedule.
        const replay = newWorld();
        expect(await play(replay, ops)).toEqual(answers);
        expect(await replay.received()).toEqual(received);
        expect(await replay.scheduledEvents()).toEqual(events);
      }),
      { numRuns: 60 },
    );
  });
});
