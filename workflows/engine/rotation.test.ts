import { describe, expect, it } from "vitest";
import { buildGraph } from "../graph/builder";
import { PacingSettingsSchema } from "./pacing/settings";
import {
  assignBySeatRoom,
  firstSendKind,
  handoverReason,
  planHandover,
  type RotationSeat,
  readSeatMoveNote,
  seatCapacity,
  seatHealthOf,
  seatMoveNote,
} from "./rotation";

// A Monday.
const now = new Date("2026-03-30T08:00:00Z");
const HOUR_MS = 3_600_000;

function seat(accountId: string, overrides: Partial<RotationSeat> = {}, pacing = {}): RotationSeat {
  return {
    accountId,
    pacing: PacingSettingsSchema.parse({ timeZone: "Europe/Paris", ...pacing }),
    health: { status: "active" },
    queued: 0,
    ...overrides,
  };
}

describe("seatCapacity", () => {
  it("counts the working days of the coming week, and warm-up lowers it", () => {
    const full = seatCapacity(seat("a"), "connect", now);
    const caps = { caps: { perDay: { connect: 10 } } };
    expect(seatCapacity(seat("a", {}, caps), "connect", now)).toBe(50);
    const warming = seat("b", {}, { ...caps, warmup: { startDate: "2026-03-30" } });
    // The first warm-up week runs at 20 %: 2 a day over the five working days.
    expect(seatCapacity(warming, "connect", now)).toBe(10);
    expect(full).toBeGreaterThan(0);
  });
});

describe("assignBySeatRoom", () => {
  it("gives each lead to the seat with the most room, not in turns", () => {
    const warm = seat("a", {}, { caps: { perDay: { connect: 10 } } });
    const fresh = seat(
      "b",
      {},
      { caps: { perDay: { connect: 10 } }, warmup: { startDate: "2026-03-30" } },
    );
    const leads = Array.from({ length: 50 }, (_, i) => `l${i}`);
    const assigned = assignBySeatRoom(leads, [warm, fresh], { kind: "connect", now });
    const counts = { a: 0, b: 0 };
    for (const accountId of assigned.values()) counts[accountId as "a" | "b"]++;
    // Room 50 against 10: after 40 leads on "a" both have 10 left, then they alternate.
    expect(counts).toEqual({ a: 45, b: 5 });
  });

  it("counts the leads already queued on a seat and skips unhealthy seats", () => {
    const caps = { caps: { perDay: { connect: 10 } } };
    const busy = seat("a", { queued: 45 }, caps);
    const idle = seat("b", {}, caps);
    const restricted = seat("c", { health: { status: "restricted" } }, caps);
    const assigned = assignBySeatRoom(["x", "y", "z"], [busy, idle, restricted], {
      kind: "connect",
      now,
    });
    expect([...assigned.values()]).toEqual(["b", "b", "b"]);
    expect(assignBySeatRoom(["x"], [restricted], { kind: "connect", now }).size).toBe(0);
  });
});

describe("handoverReason", () => {
  it("hands over on a restriction, a lost connection, or a pause longer than the setting", () => {
    expect(handoverReason({ status: "active" }, now)).toBeNull();
    expect(handoverReason({ status: "restricted" }, now)).toBe("is restricted");
    expect(handoverReason({ status: "disconnected" }, now)).toBe("needs reconnecting");
    const recent = { status: "paused" as const, since: new Date(now.getTime() - 23 * HOUR_MS) };
    const old = { status: "paused" as const, since: new Date(now.getTime() - 25 * HOUR_MS) };
    expect(handoverReason(recent, now)).toBeNull();
    expect(handoverReason(old, now)).toBe("has been paused for more than 24 hours");
    expect(handoverReason(recent, now, 12)).toBe("has been paused for more than 12 hours");
  });
});

describe("planHandover", () => {
  it("moves a restricted seat's uncontacted leads to healthy seats; contacted ones stay", () => {
    const seats = [
      seat("a", { health: { status: "restricted" } }),
      seat("b", { queued: 2 }),
      seat("c"),
    ];
    const leads = [
      { leadId: "a1", accountId: "a", contacted: true },
      { leadId: "a2", accountId: "a", contacted: false },
      { leadId: "a3", accountId: "a", contacted: false },
      { leadId: "b1", accountId: "b", contacted: false },
    ];
    const plan = planHandover(seats, leads, { kind: "connect", now });
    expect(plan.waiting).toEqual([{ leadId: "a1", accountId: "a", reason: "is restricted" }]);
    expect(plan.moves).toEqual([
      { leadId: "a2", from: "a", to: "c", reason: "is restricted" },
      { leadId: "a3", from: "a", to: "c", reason: "is restricted" },
    ]);
    // Each lead is on exactly one seat afterwards, and nobody contacted changes seat.
    const moved = new Set(plan.moves.map((m) => m.leadId));
    expect(moved.has("a1")).toBe(false);
    expect(moved.has("b1")).toBe(false);
  });

  it("moves nothing when every seat is healthy, and waits when no seat is", () => {
    const leads = [{ leadId: "a1", accountId: "a", contacted: false }];
    expect(planHandover([seat("a"), seat("b")], leads, { kind: "connect", now })).toEqual({
      moves: [],
      waiting: [],
    });
    const down = [seat("a", { health: { status: "disconnected" } })];
    expect(planHandover(down, leads, { kind: "connect", now })).toEqual({
      moves: [],
      waiting: [{ leadId: "a1", accountId: "a", reason: "needs reconnecting" }],
    });
  });
});

describe("the seat's setting and status", () => {
  it("reads the pause limit from the seat's safety settings", () => {
    const since = new Date(now.getTime() - 30 * HOUR_MS);
    const leads = [{ leadId: "a1", accountId: "a", contacted: false }];
    const paused = (hours: number) =>
      seat(
        "a",
        { health: { status: "paused", since } },
        { safety: { handoverAfterPausedHours: hours } },
      );
    expect(planHandover([paused(24), seat("b")], leads, { kind: "connect", now }).moves).toEqual([
      { leadId: "a1", from: "a", to: "b", reason: "has been paused for more than 24 hours" },
    ]);
    expect(planHandover([paused(48), seat("b")], leads, { kind: "connect", now }).moves).toEqual(
      [],
    );
  });

  it("maps stored statuses to health: cooling down is healthy, a pause without a start never hands over", () => {
    expect(seatHealthOf("cooling_down", null)).toEqual({ status: "active" });
    expect(seatHealthOf("stopped", null)).toEqual({ status: "disconnected" });
    expect(handoverReason(seatHealthOf("paused", null), now)).toBeNull();
  });
});

describe("the first send and the history line", () => {
  it("counts room on the first step that sends, past waits and visits without a send", () => {
    const graph = buildGraph()
      .node("start", "start")
      .node("pause", "wait", { amount: 1, unit: "days" })
      .node("invite", "connect", { noteVariants: [], skipIfConnected: true })
      .node("done", "end", { outcome: "invited" })
      .edge("start", "next", "pause")
      .edge("pause", "next", "invite")
      .edge("invite", "next", "done")
      .build();
    expect(firstSendKind(graph)).toBe("connect");
  });

  it("says the move in words and reads it back, even when one name begins another", () => {
    const note = seatMoveNote("Ann", "Ann B", "needs reconnecting");
    expect(note).toBe("Moved from seat Ann to seat Ann B: Ann needs reconnecting");
    expect(readSeatMoveNote(note, ["Ann", "Ann B", "Zed"])).toEqual({
      from: "Ann",
      to: "Ann B",
      reason: "needs reconnecting",
    });
    expect(readSeatMoveNote("replied within 90 days", ["Ann"])).toBeNull();
  });
});
