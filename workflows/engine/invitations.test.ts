import { describe, expect, it } from "vitest";
import {
  dueWithdrawals,
  InvitationHygieneSchema,
  pendingCeilingWait,
  REINVITE_BLOCK_DAYS,
  reinviteBlockedUntil,
} from "./invitations";

const DAY_MS = 86_400_000;
const now = new Date("2026-03-30T10:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
/** The seat's day holding `now` (a seat on UTC). */
const dayStart = new Date("2026-03-30T00:00:00Z");
const defaults = InvitationHygieneSchema.parse({});

describe("invitation hygiene settings", () => {
  it("defaults to 21 days, 40 withdrawals a day and a ceiling of 400", () => {
    expect(defaults).toEqual({ withdrawAfterDays: 21, withdrawPerDay: 40, pendingCeiling: 400 });
  });

  it("refuses values out of bounds", () => {
    expect(InvitationHygieneSchema.safeParse({ withdrawAfterDays: -1 }).success).toBe(false);
    expect(InvitationHygieneSchema.safeParse({ withdrawPerDay: 1.5 }).success).toBe(false);
    expect(InvitationHygieneSchema.safeParse({ pendingCeiling: 0 }).success).toBe(false);
  });
});

describe("dueWithdrawals", () => {
  it("withdraws only invitations pending for at least N days, oldest first", () => {
    const pending = [
      { leadId: "young", sentAt: daysAgo(20) },
      { leadId: "old", sentAt: daysAgo(30) },
      { leadId: "exact", sentAt: daysAgo(21) },
    ];
    const due = dueWithdrawals(pending, { now, settings: defaults, withdrawnAt: [], dayStart });
    expect(due.map((d) => d.leadId)).toEqual(["old", "exact"]);
  });

  it("never withdraws when the setting is 0", () => {
    const settings = InvitationHygieneSchema.parse({ withdrawAfterDays: 0 });
    const pending = [{ leadId: "a", sentAt: daysAgo(300) }];
    expect(dueWithdrawals(pending, { now, settings, withdrawnAt: [], dayStart })).toEqual([]);
  });

  it("holds the per-day cap, counting today's earlier withdrawals only", () => {
    const settings = InvitationHygieneSchema.parse({ withdrawPerDay: 5 });
    const pending = Array.from({ length: 12 }, (_, i) => ({
      leadId: `l${String(i).padStart(2, "0")}`,
      sentAt: daysAgo(40 - i),
    }));
    const yesterday = new Date("2026-03-29T23:59:00Z");
    const withdrawnAt = [dayStart, new Date(dayStart.getTime() + 3_600_000), yesterday];
    const due = dueWithdrawals(pending, { now, settings, withdrawnAt, dayStart });
    expect(due.map((d) => d.leadId)).toEqual(["l00", "l01", "l02"]);
    const full = [...withdrawnAt, ...due.map(() => now)];
    expect(
      dueWithdrawals(pending.slice(3), { now, settings, withdrawnAt: full, dayStart }),
    ).toEqual([]);
  });

  it("counts the cap from the start of the seat's own day, not the UTC day", () => {
    const settings = InvitationHygieneSchema.parse({ withdrawPerDay: 2 });
    const pending = [
      { leadId: "a", sentAt: daysAgo(30) },
      { leadId: "b", sentAt: daysAgo(29) },
    ];
    // Los Angeles: its Monday 30 March runs from 07:00 UTC; two withdrawals at 23:00 UTC on
    // the 30th fill it, whatever the UTC day says at 01:00 on the 31st (18:00 in Los Angeles).
    const laDayStart = new Date("2026-03-30T07:00:00Z");
    const lateInLa = new Date("2026-03-31T01:00:00Z");
    const withdrawnAt = [new Date("2026-03-30T23:00:00Z"), new Date("2026-03-30T23:05:00Z")];
    expect(
      dueWithdrawals(pending, { now: lateInLa, settings, withdrawnAt, dayStart: laDayStart }),
    ).toEqual([]);
    expect(
      dueWithdrawals(pending, {
        now: lateInLa,
        settings,
        withdrawnAt,
        dayStart: new Date("2026-03-31T00:00:00Z"),
      }).map((d) => d.leadId),
    ).toEqual(["a", "b"]);
  });
});

describe("pendingCeilingWait", () => {
  it("lets invitations out below the ceiling and says why they wait at it", () => {
    expect(pendingCeilingWait(399, defaults)).toBeNull();
    expect(pendingCeilingWait(400, defaults)).toEqual({
      reason: "pending_ceiling",
      pending: 400,
      ceiling: 400,
      detail: "pending invitations at the ceiling (400/400)",
    });
  });
});

describe("reinviteBlockedUntil", () => {
  it("blocks a person for 21 days after the latest withdrawal", () => {
    expect(REINVITE_BLOCK_DAYS).toBe(21);
    expect(reinviteBlockedUntil([], now)).toBeNull();
    expect(reinviteBlockedUntil([daysAgo(22)], now)).toBeNull();
    expect(reinviteBlockedUntil([daysAgo(22), daysAgo(5)], now)).toEqual(
      new Date(daysAgo(5).getTime() + 21 * DAY_MS),
    );
  });
});
