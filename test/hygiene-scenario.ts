/**
 * The invitation-hygiene scenario shared by the database test (db/engine/hygiene.test.ts) and
 * the in-memory one (workflows/engine/hygiene.test.ts), and the checks both make on the
 * sandbox world's own record of what it received and what was withdrawn.
 */
import { expect } from "vitest";
import { localDate } from "@/workflows/engine/pacing/local-time";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import { isWithinWorkingHours, nextWorkingInstant } from "@/workflows/engine/pacing/working-hours";
import { withdrawalStartOffset } from "@/workflows/engine/withdrawals";
import { buildGraph } from "@/workflows/graph/builder";
import type { SandboxReceived, SandboxWithdrawal } from "@/workflows/providers/sandbox/store";
import type { SimulationSpec } from "@/workflows/simulation/assemble";

export const SEAT = "seat-hygiene";
export const START = new Date("2026-03-02T07:00:00Z"); // a Monday, before working hours
export const DAY_MS = 86_400_000;
export const HYGIENE = { withdrawAfterDays: 21, withdrawPerDay: 3, pendingCeiling: 8 };

/**
 * Invite; wait 30 days for an acceptance that never comes (nobody accepts); on "not accepted"
 * wait a day and invite again. 14 leads on a seat whose ceiling is 8 and whose withdrawals are
 * capped at 3 a day.
 */
export function hygieneSpec(days: number): SimulationSpec {
  const graph = buildGraph()
    .node("start", "start")
    .node("invite", "connect", { noteVariants: [], skipIfConnected: true })
    .node("accepted", "if_accepted", { withinDays: 30 })
    .node("again", "wait", { amount: 1, unit: "days", workingDaysOnly: false })
    .node("reinvite", "connect", { noteVariants: [], skipIfConnected: true })
    .node("connected", "end", { outcome: "connected" })
    .node("reinvited", "end", { outcome: "reinvited" })
    .edge("start", "next", "invite")
    .edge("invite", "next", "accepted")
    .edge("accepted", "yes", "connected")
    .edge("accepted", "no", "again")
    .edge("again", "next", "reinvite")
    .edge("reinvite", "next", "reinvited")
    .build();
  return {
    graph,
    accounts: [{ id: SEAT, pacing: { timeZone: "Europe/Paris", invitations: HYGIENE } }],
    leads: Array.from({ length: 14 }, (_, i) => ({
      publicIdentifier: `hygiene-${i}`,
      firstName: `Lead${i}`,
    })),
    seed: "hygiene",
    start: START,
    days,
    sandbox: {
      defaults: {
        acceptance: { probability: 0 },
        safety: { invitationsPerDay: 1000, invitationsPer7Days: 1000, actionsPerDay: 1000 },
      },
    },
  };
}

/** Invite, then end: a lead done as soon as its invitation is sent. */
const INVITE_THEN_END = buildGraph()
  .node("start", "start")
  .node("invite", "connect", { noteVariants: [], skipIfConnected: true })
  .node("invited", "end", { outcome: "invited" })
  .edge("start", "next", "invite")
  .edge("invite", "next", "invited")
  .build();

export const DONE_SEAT = "seat-done";
/** Withdrawn after 20 days: Monday's invitations fall due on a Sunday. */
export const DONE_HYGIENE = { withdrawAfterDays: 20, withdrawPerDay: 2 };
/**
 * When the finished leads' invitations are withdrawn: two at Monday 23 March's opening (09:00 in
 * Paris, a few minutes later by the seat's late start that day), the day's cap, and the third at
 * Tuesday's.
 */
const donePacing = PacingSettingsSchema.parse({
  timeZone: "Europe/Paris",
  invitations: DONE_HYGIENE,
});
const openingOf = (day: string) =>
  nextWorkingInstant(
    new Date(`${day}T00:00:00+01:00`),
    donePacing,
    withdrawalStartOffset(DONE_SEAT, donePacing),
  ).toISOString();
export const DONE_WITHDRAWALS = [
  openingOf("2026-03-23"),
  openingOf("2026-03-23"),
  openingOf("2026-03-24"),
];

/**
 * Invite, then end: the three leads are done on the first morning, after which nothing but the
 * seat's withdrawals can wake the engine. Nobody accepts.
 */
export function finishedLeadsSpec(days: number): SimulationSpec {
  const graph = INVITE_THEN_END;
  return {
    graph,
    accounts: [{ id: DONE_SEAT, pacing: { timeZone: "Europe/Paris", invitations: DONE_HYGIENE } }],
    leads: Array.from({ length: 3 }, (_, i) => ({
      publicIdentifier: `done-${i}`,
      firstName: `Done${i}`,
    })),
    seed: "finished-leads",
    start: START,
    days,
    sandbox: { defaults: { acceptance: { probability: 0 } } },
  };
}

/** Withdrawals by the invitation they withdrew, gathered from several readings of the world. */
export function mergeWithdrawals(...readings: SandboxWithdrawal[][]): SandboxWithdrawal[] {
  const byKey = new Map<string, SandboxWithdrawal>();
  for (const reading of readings) for (const w of reading) byKey.set(w.invitationKey, w);
  return [...byKey.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}

const pacing = PacingSettingsSchema.parse(hygieneSpec(1).accounts[0]!.pacing);
const seatDate = (at: Date) => localDate(at, pacing.timeZone);

/**
 * Checks the world's record: withdrawals after 21 days and on time, inside the seat's working
 * hours, at most 3 a day of the seat's (and the cap reached), never more than 8 pending (and the
 * ceiling reached, with invitations held back past it), and no person invited again within 21
 * days of a withdrawal (but invited again after it).
 */
export function checkHygieneRecord(
  received: SandboxReceived[],
  withdrawals: SandboxWithdrawal[],
): void {
  const invitations = received.filter((r) => r.kind === "connect");
  const byKey = new Map(invitations.map((r) => [r.idempotencyKey, r]));
  expect(withdrawals.length).toBeGreaterThanOrEqual(HYGIENE.pendingCeiling);

  // After N days: never before, and no later than the cap makes it wait.
  for (const w of withdrawals) {
    const invitation = byKey.get(w.invitationKey);
    expect(invitation, w.invitationKey).toBeDefined();
    const age = w.at.getTime() - invitation!.at.getTime();
    expect(age).toBeGreaterThanOrEqual(HYGIENE.withdrawAfterDays * DAY_MS);
    expect(age).toBeLessThan((HYGIENE.withdrawAfterDays + 4) * DAY_MS);
    expect(isWithinWorkingHours(w.at, pacing), w.at.toISOString()).toBe(true);
  }

  // The per-day withdrawal cap holds, and binds.
  const perDay = new Map<string, number>();
  for (const w of withdrawals) perDay.set(seatDate(w.at), (perDay.get(seatDate(w.at)) ?? 0) + 1);
  expect(Math.max(...perDay.values())).toBe(HYGIENE.withdrawPerDay);

  // The pending ceiling holds (nobody accepts: pending = invited − withdrawn), and binds.
  const moves = [
    ...invitations.map((r) => ({ at: r.at.getTime(), step: 1 })),
    ...withdrawals.map((w) => ({ at: w.at.getTime(), step: -1 })),
  ].sort((a, b) => a.at - b.at || a.step - b.step);
  let pending = 0;
  let highest = 0;
  for (const move of moves) {
    pending += move.step;
    highest = Math.max(highest, pending);
  }
  expect(highest).toBe(HYGIENE.pendingCeiling);
  const people = new Set(invitations.map((r) => r.leadPublicIdentifier));
  expect(people.size).toBeGreaterThan(HYGIENE.pendingCeiling);

  // No re-invitation within 21 days of a withdrawal; re-invited once the block is over.
  let reinvited = 0;
  for (const w of withdrawals) {
    const later = invitations.filter(
      (r) => r.leadPublicIdentifier === w.leadPublicIdentifier && r.at.getTime() > w.at.getTime(),
    );
    for (const r of later)
      expect(r.at.getTime() - w.at.getTime()).toBeGreaterThanOrEqual(21 * DAY_MS);
    if (later.length > 0) reinvited++;
  }
  expect(reinvited).toBeGreaterThan(0);
}

export const REINVITE_SEAT = "seat-reinvite";

/**
 * One person in two campaigns on one seat: the first invites and ends, and its invitation is
 * withdrawn a day later; the second, launched two days after that, reaches its invitation while
 * LinkedIn still refuses a new one from the seat (three weeks after the withdrawal).
 */
export function reinviteAcrossCampaignsSpec(days: number): SimulationSpec {
  const graph = INVITE_THEN_END;
  const lead = { publicIdentifier: "twice-asked", firstName: "Twice" };
  const campaign = (id: string, start: Date) => ({
    id,
    template: null,
    graph,
    leads: [lead],
    start,
    weight: 1,
    seats: null,
    stopOnReply: true,
  });
  return {
    graph,
    accounts: [
      {
        id: REINVITE_SEAT,
        pacing: {
          timeZone: "UTC",
          invitations: { withdrawAfterDays: 1, withdrawPerDay: 10, pendingCeiling: 400 },
        },
      },
    ],
    leads: [],
    campaigns: [
      campaign("first", START),
      campaign("second", new Date(START.getTime() + 3 * DAY_MS)),
    ],
    seed: "reinvite-across-campaigns",
    start: START,
    days,
    sandbox: { defaults: { acceptance: { probability: 0 } } },
  };
}

/**
 * Checks a trace of reinviteAcrossCampaignsSpec: both campaigns' invitations sent, none refused
 * on the way (no attempt while LinkedIn would refuse it), the second only once three weeks have
 * passed since the first one's withdrawal.
 */
export function checkReinviteTrace(
  actions: ReadonlyArray<{
    at: string;
    campaign: string | null;
    kind: string;
    outcome: string;
    reason: string | null;
  }>,
): void {
  const invitations = actions.filter((a) => a.kind === "connect");
  const withdrawals = actions.filter((a) => a.kind === "withdraw");
  // The first campaign's invitation is withdrawn a day after it went (the second's too, later).
  expect(withdrawals[0]?.campaign).toBe("first");
  expect(
    invitations.map((a) => ({ campaign: a.campaign, outcome: a.outcome, reason: a.reason })),
  ).toEqual([
    { campaign: "first", outcome: "sent", reason: null },
    { campaign: "second", outcome: "sent", reason: null },
  ]);
  const withdrawnAt = new Date(withdrawals[0]!.at).getTime();
  expect(new Date(invitations[1]!.at).getTime()).toBeGreaterThanOrEqual(withdrawnAt + 21 * DAY_MS);
}
