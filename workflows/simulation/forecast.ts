/**
 * A forecast: the same campaign simulated with several seeds (memory-run.ts), each run read
 * into the figures a user plans with, and the runs put together as a range (P10, median, P90).
 * Pure: the server runs the simulations in a worker and hands the traces here.
 */
import { USED_SIGN } from "../credits/ledger";
import type { SimulationTrace } from "./trace";

/** Seeds a forecast runs: enough for a P10–P90 range, few enough to answer in seconds. */
export const FORECAST_SEEDS = 5;

export interface SeedFigures {
  seed: string;
  /** When the last lead finished; null when some were still waiting at the end of the run. */
  finishedAt: string | null;
  /** Leads finished by the end of each day (UTC dates), cumulative. */
  finishedByDay: Record<string, number>;
  /** Sends per seat and UTC date. */
  sendsPerDay: Record<string, Record<string, number>>;
  /** Credits used per InMail branch (`node@branch`), net of refunds and returns. */
  creditsByBranch: Record<string, number>;
  /** The first time an InMail was refused for want of credit, if it happened. */
  poolDryAt: string | null;
  /** InMails refused for want of credit (their leads took the not-sent exit). */
  creditRefusals: number;
  /** Invitations sent and neither accepted nor answered yet, at the end of each UTC day. */
  pendingInvitations: Record<string, number>;
  acceptances: number;
  replies: number;
}

export interface Range {
  p10: number;
  median: number;
  p90: number;
}

export interface ForecastSummary {
  seeds: SeedFigures[];
  /** Finish instants (ms) over the seeds that finished; null when fewer than half did. */
  finish: { p10: string; median: string; p90: string } | null;
  /** Seeds whose run ended with leads still waiting. */
  unfinishedSeeds: number;
  acceptances: Range;
  replies: Range;
  /** Median sends per seat and day. */
  sendsPerDay: Record<string, Record<string, number>>;
  /** Median credits per branch. */
  creditsByBranch: Record<string, number>;
  /** The earliest and latest day the pool ran dry among the seeds where it did. */
  poolDry: { first: string; last: string; seeds: number } | null;
  /** Median pending invitations at the end of each day. */
  pendingInvitations: Record<string, number>;
  /** Median leads finished by the end of each day, cumulative. */
  finishedByDay: Record<string, number>;
}

const day = (iso: string) => iso.slice(0, 10);

/** The figures of one run. */
export function seedFigures(trace: SimulationTrace): SeedFigures {
  const finished = trace.enrollments
    .map((e) => e.finishedAt)
    .filter((at): at is string => at !== null)
    .sort();
  const allDone = trace.enrollments.every((e) => e.state !== "active");
  const days: string[] = [];
  for (let t = Date.parse(trace.run.start); t <= Date.parse(trace.run.end); t += 86_400_000) {
    days.push(day(new Date(t).toISOString()));
  }
  const finishedByDay: Record<string, number> = {};
  let f = 0;
  for (const d of days) {
    while (f < finished.length && day(finished[f]!) <= d) f++;
    finishedByDay[d] = f;
  }
  const sendsPerDay: Record<string, Record<string, number>> = {};
  for (const a of trace.actions) {
    // A withdrawal takes no place under the send caps: it is not a send.
    if (a.outcome !== "sent" || a.kind === "withdraw") continue;
    const seat = sendsPerDay[a.account] ?? {};
    sendsPerDay[a.account] = seat;
    seat[day(a.at)] = (seat[day(a.at)] ?? 0) + 1;
  }
  const creditsByBranch: Record<string, number> = {};
  for (const entry of trace.ledger) {
    if (entry.node === null || entry.lead === null) continue;
    const key = `${entry.node}@${entry.branch ?? ""}`;
    creditsByBranch[key] = (creditsByBranch[key] ?? 0) + USED_SIGN[entry.type] * entry.amount;
  }
  const refused = trace.actions.filter(
    (a) => a.kind === "inmail" && a.outcome === "not_sent" && /credit/i.test(a.reason ?? ""),
  );
  const dry = refused[0];
  // An invitation is pending from its send until the lead accepts or answers, or it is withdrawn.
  const invited = trace.actions.filter((a) => a.kind === "connect" && a.outcome === "sent");
  const settled = new Map<string, string>();
  for (const e of trace.events) {
    const key = `${e.account}|${e.lead}`;
    if (!settled.has(key)) settled.set(key, e.at);
  }
  // A withdrawn invitation is no longer pending either.
  for (const a of trace.actions) {
    const key = `${a.account}|${a.lead}`;
    if (a.kind !== "withdraw") continue;
    const earlier = settled.get(key);
    if (earlier === undefined || a.at < earlier) settled.set(key, a.at);
  }
  const pendingInvitations: Record<string, number> = {};
  for (const d of days) {
    const end = `${d}T23:59:59.999Z`;
    pendingInvitations[d] = invited.filter((a) => {
      if (a.at > end) return false;
      const at = settled.get(`${a.account}|${a.lead}`);
      return at === undefined || at > end;
    }).length;
  }
  return {
    seed: trace.run.seed,
    finishedAt: allDone && finished.length > 0 ? finished.at(-1)! : null,
    finishedByDay,
    sendsPerDay,
    creditsByBranch,
    poolDryAt: dry?.at ?? null,
    creditRefusals: refused.length,
    pendingInvitations,
    acceptances: trace.events.filter((e) => e.type === "accepted").length,
    replies: trace.events.filter((e) => e.type === "replied").length,
  };
}

/** The value at a fraction of the sorted values (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

const range = (values: number[]): Range => ({
  p10: percentile(values, 0.1),
  median: percentile(values, 0.5),
  p90: percentile(values, 0.9),
});

function medianOfMaps(maps: Array<Record<string, number>>): Record<string, number> {
  const keys = new Set(maps.flatMap((m) => Object.keys(m)));
  const out: Record<string, number> = {};
  for (const key of [...keys].sort())
    out[key] = percentile(
      maps.map((m) => m[key] ?? 0),
      0.5,
    );
  return out;
}

/** Several seeds' runs as one forecast with its range. */
export function summarizeForecast(traces: readonly SimulationTrace[]): ForecastSummary {
  const seeds = traces.map(seedFigures);
  const finishes = seeds
    .map((s) => s.finishedAt)
    .filter((at): at is string => at !== null)
    .map((at) => Date.parse(at));
  const iso = (ms: number) => new Date(ms).toISOString();
  const seats = new Set(seeds.flatMap((s) => Object.keys(s.sendsPerDay)));
  const sendsPerDay: Record<string, Record<string, number>> = {};
  for (const seat of [...seats].sort())
    sendsPerDay[seat] = medianOfMaps(seeds.map((s) => s.sendsPerDay[seat] ?? {}));
  const dry = seeds
    .map((s) => s.poolDryAt)
    .filter((at): at is string => at !== null)
    .sort();
  return {
    seeds,
    finish:
      finishes.length * 2 >= seeds.length && finishes.length > 0
        ? {
            p10: iso(percentile(finishes, 0.1)),
            median: iso(percentile(finishes, 0.5)),
            p90: iso(percentile(finishes, 0.9)),
          }
        : null,
    unfinishedSeeds: seeds.length - finishes.length,
    acceptances: range(seeds.map((s) => s.acceptances)),
    replies: range(seeds.map((s) => s.replies)),
    sendsPerDay,
    creditsByBranch: medianOfMaps(seeds.map((s) => s.creditsByBranch)),
    poolDry: dry.length > 0 ? { first: dry[0]!, last: dry.at(-1)!, seeds: dry.length } : null,
    pendingInvitations: medianOfMaps(seeds.map((s) => s.pendingInvitations)),
    finishedByDay: medianOfMaps(seeds.map((s) => s.finishedByDay)),
  };
}
