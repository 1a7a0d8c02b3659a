import { describe, expect, it } from "vitest";
import {
  dueWithdrawals,
  InvitationHygieneSchema,
  pendingCeilingWait,
} from "../../engine/invitations";
import type { ProviderAccountRef } from "../types";
import { InMemorySandboxStore } from "./store";
import { SandboxWorld } from "./world";

const DAY = 86_400_000;
const T0 = new Date("2025-03-03T09:00:00Z");
const acc: ProviderAccountRef = { accountId: "acc-1", providerAccountId: "sbx-acc-1" };
const at = (days: number) => new Date(T0.getTime() + days * DAY);

function world() {
  return new SandboxWorld({
    seed: "withdraw-seed",
    // Everyone accepts, but only 25 to 30 days later: invitations withdrawn at 21 days never are.
    settings: {
      defaults: {
        acceptance: { probability: 1, minDelayHours: 25 * 24, maxDelayHours: 30 * 24 },
        safety: { invitationsPerDay: 1000, invitationsPer7Days: 1000, actionsPerDay: 1000 },
      },
    },
    store: new InMemorySandboxStore(),
  });
}

async function inviteAll(w: SandboxWorld, people: string[], when: Date) {
  const references = new Map<string, string>();
  for (const id of people) {
    const outcome = await w.invite(
      acc,
      { leadId: id, publicIdentifier: id },
      { note: null },
      { idempotencyKey: `inv-${id}-${when.getTime()}`, at: when },
    );
    if (outcome.status === "sent" && outcome.reference) references.set(id, outcome.reference);
  }
  return references;
}

/** The seat's pending invitations as the world records them. */
async function pending(w: SandboxWorld, now: Date) {
  const withdrawn = new Set(
    (await w.withdrawals(acc.providerAccountId)).map((x) => x.invitationKey),
  );
  const out: Array<{ leadId: string; sentAt: Date; reference: string }> = [];
  for (const r of await w.received({ providerAccountId: acc.providerAccountId, kind: "connect" })) {
    if (withdrawn.has(r.idempotencyKey)) continue;
    if (await w.isConnected(acc.providerAccountId, r.leadPublicIdentifier, now)) continue;
    out.push({ leadId: r.leadPublicIdentifier, sentAt: r.at, reference: r.reference });
  }
  return out;
}

describe("invitation withdrawal in the sandbox", () => {
  it("withdraws after N days under the daily cap; withdrawn people never accept", async () => {
    const w = world();
    const settings = InvitationHygieneSchema.parse({ withdrawPerDay: 7 });
    const candidates = Array.from({ length: 20 }, (_, i) => `p-${i}`);
    // Those already connected or out of reach get no invitation.
    const people = [...(await inviteAll(w, candidates, T0)).keys()];
    expect(people.length).toBeGreaterThan(10);
    for (let day = 1; day <= 35; day++) {
      const now = at(day);
      await w.dueEvents(now);
      const open = await pending(w, now);
      const withdrawnAt = (await w.withdrawals(acc.providerAccountId)).map((x) => x.at);
      const dayStart = new Date(Math.floor(now.getTime() / DAY) * DAY);
      for (const invitation of dueWithdrawals(open, { now, settings, withdrawnAt, dayStart })) {
        const ref = open.find((o) => o.leadId === invitation.leadId)?.reference as string;
        expect(
          (await w.withdrawInvitation(acc, ref, { idempotencyKey: `w-${ref}`, at: now })).status,
        ).toBe("sent");
      }
    }
    const record = await w.withdrawals(acc.providerAccountId);
    // Every invitation still pending was withdrawn, none before 21 days, at most 7 a day.
    const withdrawnPeople = new Set(record.map((x) => x.leadPublicIdentifier));
    expect(withdrawnPeople.size).toBe(record.length);
    expect(record.length).toBeGreaterThan(7);
    const perDay = new Map<number, number>();
    for (const x of record) {
      expect(x.at.getTime() - T0.getTime()).toBeGreaterThanOrEqual(21 * DAY);
      const day = Math.floor(x.at.getTime() / DAY);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(7);
    expect(perDay.size).toBe(Math.ceil(record.length / 7));
    // Withdrawn people never accept; the others accepted before their turn came.
    for (const id of people) {
      const connected = await w.isConnected(acc.providerAccountId, id, at(60));
      expect(connected).toBe(!withdrawnPeople.has(id));
    }
    expect(await w.dueEvents(at(60))).toEqual([]);
    // A second withdrawal of the same invitation is refused.
    const first = record[0];
    const ref = (await w.received({ kind: "connect" })).find(
      (r) => r.idempotencyKey === first?.invitationKey,
    )?.reference as string;
    expect(
      (await w.withdrawInvitation(acc, ref, { idempotencyKey: "again", at: at(40) })).status,
    ).toBe("not_sent");
  });

  it("answers cannot_resend_yet for 21 days after a withdrawal, then lets the invitation go", async () => {
    const w = world();
    const id = ["a", "b", "c", "d"].find((x) => w.person(x).unreachable !== true) as string;
    const refs = await inviteAll(w, [id], T0);
    const ref = refs.get(id) as string;
    const withdrawnOn = at(22);
    await w.withdrawInvitation(acc, ref, { idempotencyKey: "w", at: withdrawnOn });
    const again = await w.invite(
      acc,
      { leadId: id, publicIdentifier: id },
      { note: null },
      { idempotencyKey: "again-1", at: at(30) },
    );
    expect(again).toEqual({
      status: "wait",
      until: new Date(withdrawnOn.getTime() + 21 * DAY),
      detail: "cannot_resend_yet",
    });
    const later = await w.invite(
      acc,
      { leadId: id, publicIdentifier: id },
      { note: null },
      { idempotencyKey: "again-2", at: at(43) },
    );
    expect(later.status).toBe("sent");
    // Only two invitations reached LinkedIn.
    expect(await w.received({ kind: "connect", leadPublicIdentifier: id })).toHaveLength(2);
  });

  it("holds the pending ceiling when the seat's own record is counted", async () => {
    const w = world();
    const settings = InvitationHygieneSchema.parse({ pendingCeiling: 5 });
    const people = Array.from({ length: 12 }, (_, i) => `q-${i}`).filter(
      (id) => w.person(id).unreachable !== true,
    );
    let waited = 0;
    let refused = 0;
    for (const id of people) {
      const open = await pending(w, T0);
      const wait = pendingCeilingWait(open.length, settings);
      if (wait) {
        expect(wait.detail).toBe("pending invitations at the ceiling (5/5)");
        waited++;
        continue;
      }
      if ((await inviteAll(w, [id], T0)).size === 0) refused++;
    }
    expect(await pending(w, T0)).toHaveLength(5);
    expect(waited).toBe(people.length - 5 - refused);
    expect(waited).toBeGreaterThan(0);
  });
});
