import { describe, expect, it } from "vitest";
import { PacingSettingsSchema } from "./pacing/settings";
import {
  type WaitingFacts,
  type WaitingStep,
  waitingReason,
  waitingStepOf,
} from "./waiting-reason";

// 2025-01-06 is a Monday; Paris is UTC+1 in winter, so 10:00Z is 11:00 on the seat's clock.
const monday11 = new Date("2025-01-06T10:00:00Z");
const paris = PacingSettingsSchema.parse({ timeZone: "Europe/Paris" });

const invite: WaitingStep = {
  kind: "send",
  action: "invitations",
  usesCredits: false,
  isInvitation: true,
};
const inmail: WaitingStep = {
  kind: "send",
  action: "InMails",
  usesCredits: true,
  isInvitation: false,
};

function facts(change: {
  now?: Date;
  step?: WaitingStep;
  nextRunAt?: Date;
  seat?: Partial<WaitingFacts["seat"]>;
  pool?: WaitingFacts["pool"];
  budgetReached?: boolean;
  campaignPaused?: boolean;
}): WaitingFacts {
  const now = change.now ?? monday11;
  return {
    now,
    step: change.step ?? invite,
    nextRunAt: change.nextRunAt ?? now,
    seat: {
      name: "Alice",
      status: "active",
      coolingUntil: null,
      hours: paris,
      cap: { used: 3, limit: 25 },
      queuedAhead: 0,
      pendingInvitations: null,
      ...change.seat,
    },
    pool: change.pool ?? null,
    budgetReached: change.budgetReached ?? false,
    campaignPaused: change.campaignPaused ?? false,
  };
}

const thursday = new Date("2025-01-09T13:30:00Z");

describe("waitingReason", () => {
  it.each([
    {
      situation: "an invitation not answered yet",
      facts: facts({ step: { kind: "if_accepted" }, nextRunAt: thursday }),
      code: "acceptance",
      text: "Waiting for acceptance until Thu 9 Jan, 14:30 (Europe/Paris)",
      until: thursday,
    },
    {
      situation: "a wait step not over",
      facts: facts({ step: { kind: "wait" }, nextRunAt: thursday }),
      code: "wait_step",
      text: "Within a wait step until Thu 9 Jan, 14:30 (Europe/Paris)",
      until: thursday,
    },
    {
      situation: "a reply window still open",
      facts: facts({ step: { kind: "if_replied" }, nextRunAt: thursday }),
      code: "reply_window",
      text: "Waiting for a reply until Thu 9 Jan, 14:30 (Europe/Paris)",
      until: thursday,
    },
    {
      situation: "a send on a Saturday",
      facts: facts({ now: new Date("2025-01-11T10:00:00Z") }),
      code: "outside_hours",
      text: "Outside working hours, resumes Mon 13 Jan, 09:00 (Europe/Paris)",
      until: new Date("2025-01-13T08:00:00Z"),
    },
    {
      situation: "today's invitations all sent",
      facts: facts({ seat: { cap: { used: 25, limit: 25 } } }),
      code: "cap_full",
      text: "Today's cap for invitations is full (25/25), next place Tue 7 Jan, 09:00 (Europe/Paris)",
      until: new Date("2025-01-07T08:00:00Z"),
    },
    {
      situation: "other sends ahead on the seat",
      facts: facts({ seat: { queuedAhead: 3 } }),
      code: "queued",
      text: "Queued behind 3 sends on seat Alice",
      until: null,
    },
    {
      situation: "a send due while the seat's gap since its last send runs",
      facts: facts({ seat: { nextFreeAt: new Date("2025-01-09T13:42:00Z") } }),
      code: "next_slot",
      text: "Waiting for seat Alice's next send slot, Thu 9 Jan, 14:42 (Europe/Paris)",
      until: new Date("2025-01-09T13:42:00Z"),
    },
    {
      situation: "a queue past the counting limit ahead on the seat",
      facts: facts({ seat: { queuedAhead: 100 } }),
      code: "queued",
      text: "Queued behind 100+ sends on seat Alice",
      until: null,
    },
    {
      situation: "one send ahead on the seat",
      facts: facts({ seat: { queuedAhead: 1 } }),
      code: "queued",
      text: "Queued behind 1 send on seat Alice",
      until: null,
    },
    {
      situation: "a paused seat",
      facts: facts({ seat: { status: "paused" } }),
      code: "seat_paused",
      text: "Seat Alice paused",
      until: null,
    },
    {
      situation: "a condition due on a paused seat (the engine takes none of its leads)",
      facts: facts({ step: { kind: "other" }, seat: { status: "paused" } }),
      code: "seat_paused",
      text: "Seat Alice paused",
      until: null,
    },
    {
      situation: "a seat LinkedIn restricted",
      facts: facts({ seat: { status: "restricted" } }),
      code: "seat_paused",
      text: "Seat Alice restricted by LinkedIn",
      until: null,
    },
    {
      situation: "a seat cooling down",
      facts: facts({
        seat: { status: "cooling_down", coolingUntil: new Date("2025-01-07T08:00:00Z") },
      }),
      code: "seat_cooling",
      text: "Seat Alice cooling down after a LinkedIn limit until Tue 7 Jan, 09:00 (Europe/Paris)",
      until: new Date("2025-01-07T08:00:00Z"),
    },
    {
      situation: "a disconnected seat",
      facts: facts({ seat: { status: "needs_reconnect" } }),
      code: "seat_reconnect",
      text: "Seat Alice needs reconnecting",
      until: null,
    },
    {
      situation: "a seat LinkedIn restricted",
      facts: facts({ seat: { status: "restricted" } }),
      code: "seat_paused",
      text: "Seat Alice restricted by LinkedIn",
      until: null,
    },
    {
      situation: "a lead whose window closed, on a seat that needs reconnecting",
      facts: facts({ step: { kind: "if_accepted" }, seat: { status: "needs_reconnect" } }),
      code: "seat_reconnect",
      text: "Seat Alice needs reconnecting",
      until: null,
    },
    {
      situation: "an InMail with the pool empty",
      facts: facts({
        step: inmail,
        pool: { balance: 0, nextRenewalAt: new Date("2025-02-01T00:00:00Z") },
      }),
      code: "pool_empty",
      text: "Credit pool empty until the renewal on Sat 1 Feb, 01:00 (Europe/Paris)",
      until: new Date("2025-02-01T00:00:00Z"),
    },
    {
      situation: "a campaign over its budget",
      facts: facts({ step: inmail, budgetReached: true }),
      code: "budget_reached",
      text: "Campaign budget reached",
      until: null,
    },
    {
      situation: "pending invitations at the seat's ceiling",
      facts: facts({ seat: { pendingInvitations: { pending: 400, ceiling: 400 } } }),
      code: "pending_ceiling",
      text: "Pending invitations at the ceiling (400/400)",
      until: null,
    },
    {
      situation: "a send with nothing in its way",
      facts: facts({}),
      code: "due",
      text: "Due now",
      until: null,
    },
    {
      situation: "a send drawn for later today",
      facts: facts({ nextRunAt: new Date("2025-01-06T14:05:00Z") }),
      code: "due",
      text: "Next send planned for Mon 6 Jan, 15:05 (Europe/Paris)",
      until: new Date("2025-01-06T14:05:00Z"),
    },
  ])("$situation: $code", ({ facts, code, text, until }) => {
    expect(waitingReason(facts)).toEqual({ code, text, until });
  });

  it("puts a timed wait before the seat's state: the timer runs whatever the seat does", () => {
    const reason = waitingReason(
      facts({ step: { kind: "wait" }, nextRunAt: thursday, seat: { status: "paused" } }),
    );
    expect(reason.code).toBe("wait_step");
  });

  it("puts the seat's state before the caps, and the caps before the queue", () => {
    const blocked = { cap: { used: 25, limit: 25 }, queuedAhead: 4 };
    expect(waitingReason(facts({ seat: { ...blocked, status: "paused" } })).code).toBe(
      "seat_paused",
    );
    expect(waitingReason(facts({ seat: blocked })).code).toBe("cap_full");
  });

  it("says a due lead of a paused campaign waits for the campaign, before the seat's state", () => {
    expect(waitingReason(facts({ campaignPaused: true, seat: { status: "paused" } }))).toEqual({
      code: "campaign_paused",
      text: "Campaign paused",
      until: null,
    });
    // A timer still runs while the campaign is paused.
    const until = new Date(monday11.getTime() + 3_600_000);
    expect(
      waitingReason(facts({ campaignPaused: true, step: { kind: "wait" }, nextRunAt: until })).code,
    ).toBe("wait_step");
  });

  it("reads a cooling that has already ended as no blocker", () => {
    const ended = facts({
      seat: { status: "cooling_down", coolingUntil: new Date("2025-01-06T09:00:00Z") },
    });
    expect(waitingReason(ended).code).toBe("due");
  });

  it("ignores an empty pool for a step that costs no credit", () => {
    const reason = waitingReason(facts({ pool: { balance: 0, nextRenewalAt: null } }));
    expect(reason.code).toBe("due");
  });

  it("writes times in the seat's own zone", () => {
    const tokyo = PacingSettingsSchema.parse({ timeZone: "Asia/Tokyo" });
    const reason = waitingReason(
      facts({ step: { kind: "wait" }, nextRunAt: thursday, seat: { hours: tokyo } }),
    );
    expect(reason.text).toBe("Within a wait step until Thu 9 Jan, 22:30 (Asia/Tokyo)");
  });
});

describe("waitingStepOf", () => {
  it("names each step kind's waiting face from the catalog", () => {
    expect(waitingStepOf("wait")).toEqual({ kind: "wait" });
    expect(waitingStepOf("if_accepted")).toEqual({ kind: "if_accepted" });
    expect(waitingStepOf("connect")).toEqual({
      kind: "send",
      action: "invitations",
      usesCredits: false,
      isInvitation: true,
    });
    expect(waitingStepOf("inmail")).toEqual({
      kind: "send",
      action: "InMails",
      usesCredits: true,
      isInvitation: false,
    });
    expect(waitingStepOf("end")).toEqual({ kind: "other" });
    expect(waitingStepOf("teleport")).toEqual({ kind: "other" });
  });
});
