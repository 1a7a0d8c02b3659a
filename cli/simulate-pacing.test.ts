import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../workflows/engine/pacing/local-time";
import { PacingSettingsSchema } from "../workflows/engine/pacing/settings";
import { nextWorkingDayStart } from "../workflows/engine/pacing/working-hours";
import type { SimulationTrace } from "../workflows/simulation/trace";
import type { CommandIo } from "./command";
import { runCli } from "./run";

// Seats with short working windows and caps that bind, checked from the `--json` trace alone:
// on every working day on which a seat has due work and room under every cap, it sends, and
// it goes on until its caps or its window stop it.

const directory = mkdtempSync(path.join(tmpdir(), "outflow-simulate-pacing-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function simulate(file: unknown): Promise<SimulationTrace> {
  const name = path.join(directory, "campaign.json");
  writeFileSync(name, JSON.stringify(file));
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += `${text}\n`;
    },
    readFile: (f) => readFile(f, "utf8"),
  };
  const code = await runCli(["simulate", name, "--json"], io);
  expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
  return JSON.parse(stdout) as SimulationTrace;
}

const binding = { perDay: { visit: 5 }, totalPerDay: 6 };
const ACCOUNTS = [
  {
    // The short window of the report: two hours, six days a week, long gaps.
    id: "short",
    timeZone: "Europe/Paris",
    workingHours: { days: [1, 2, 3, 4, 5, 6], start: "09:00", end: "11:00" },
    warmupStart: null,
    caps: binding,
    gap: { minSeconds: 600, maxSeconds: 1500 },
  },
  {
    // One hour in the middle of the night, every day.
    id: "night",
    timeZone: "America/New_York",
    workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "01:00", end: "02:00" },
    warmupStart: null,
    caps: binding,
  },
  {
    // A whole working day: only the caps bind.
    id: "office",
    timeZone: "Asia/Kolkata",
    warmupStart: null,
    caps: { perDay: { visit: 4, connect: 3 }, totalPerDay: 5 },
    gap: { minSeconds: 300, maxSeconds: 900 },
  },
];

describe("outflow simulate: short windows and binding caps", () => {
  let trace: SimulationTrace;

  beforeAll(async () => {
    trace = await simulate({
      graph: { template: "connect-then-follow-up" },
      accounts: ACCOUNTS,
      leads: { count: 270 },
      start: "2026-03-02T07:00:00Z",
      days: 21,
      seed: "short-windows",
    });
  }, 600_000);

  /** Every working day of the account that starts after the run does and ends before it. */
  function workingDays(account: (typeof ACCOUNTS)[number]) {
    const pacing = PacingSettingsSchema.parse({
      timeZone: account.timeZone,
      workingHours: account.workingHours,
      caps: account.caps,
    });
    const start = new Date(trace.run.start);
    const end = new Date(trace.run.end);
    const days: Array<{ date: string; startsAt: Date }> = [];
    for (let at = nextWorkingDayStart(start, pacing); ; at = nextWorkingDayStart(at, pacing)) {
      if (at.getTime() + 86_400_000 > end.getTime()) break;
      days.push({ date: localDate(at, account.timeZone), startsAt: at });
    }
    return days;
  }

  for (const account of ACCOUNTS) {
    it(`${account.id}: sends on every working day with a lead due, up to its caps or its window`, () => {
      const actions = trace.actions.filter((a) => a.account === account.id);
      const leads = trace.enrollments.filter((e) => e.account === account.id);
      const visitedAt = new Map<string, number>();
      for (const a of actions) {
        if (a.kind === "visit") visitedAt.set(a.lead, new Date(a.at).getTime());
      }
      const total = account.caps.totalPerDay;
      const days = workingDays(account);
      expect(days.length).toBeGreaterThan(12);
      const idle: string[] = [];
      for (const day of days) {
        // Every lead starts with a visit: one not visited when the day begins is due.
        const due = leads.some((lead) => {
          const visited = visitedAt.get(lead.lead);
          return visited === undefined || visited >= day.startsAt.getTime();
        });
        if (!due) continue;
        const today = actions.filter(
          (a) => localDate(new Date(a.at), account.timeZone) === day.date,
        );
        const sent = today.filter((a) => a.outcome === "sent").length;
        // Each day has room for `total` actions; the window fits at least 4 of them.
        if (sent === 0 || today.length < Math.min(total, 4)) {
          idle.push(`${day.date}: ${sent} sent of ${today.length} tried`);
        }
      }
      expect(idle).toEqual([]);
    });
  }

  it("keeps every cap, and leaves no active lead with nothing planned before the run ends", () => {
    const counts = new Map<string, number>();
    for (const a of trace.actions) {
      if (a.outcome !== "sent") continue;
      const zone = ACCOUNTS.find((x) => x.id === a.account)!.timeZone;
      const key = `${a.account}|${localDate(new Date(a.at), zone)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      const account = ACCOUNTS.find((x) => x.id === key.split("|")[0])!;
      expect({ key, n }).toEqual({
        key,
        n: expect.toSatisfy((v: number) => v <= account.caps.totalPerDay),
      });
    }
    // Leads wait their turn in order: the queue does not leave a lead weeks past the end
    // while its seat sends every day.
    const end = new Date(trace.run.end).getTime();
    const late = trace.enrollments.filter(
      (e) =>
        e.state === "active" &&
        e.nextRunAt &&
        new Date(e.nextRunAt).getTime() > end + 45 * 86_400_000,
    );
    expect(late).toEqual([]);
  });
});
