/**
 * The trace of a simulated run (`outflow simulate --json`) and its human summary. Pure: the
 * trace is built from the database by db/engine/trace.ts; other tools read it to check a run.
 * Every time is an ISO 8601 instant in UTC; every account is named as in the campaign file.
 */

import { branchCreditRows } from "../credits/report";
import { localDate } from "../engine/pacing/local-time";
import { ACTION_KINDS, type ActionKind } from "../engine/pacing/settings";
import type { AnyGraph } from "../graph/index";

export const TRACE_VERSION = 1;
/** The action kinds, and `withdraw`: the seat withdrew an invitation still pending. */
export const TRACE_ACTION_KINDS = [...ACTION_KINDS, "withdraw"] as const;
export type TraceActionKind = (typeof TRACE_ACTION_KINDS)[number];
export const TRACE_ACTION_OUTCOMES = ["sent", "failed", "skipped", "not_sent"] as const;
export type TraceActionOutcome = (typeof TRACE_ACTION_OUTCOMES)[number];
export const TRACE_EVENT_TYPES = ["accepted", "replied"] as const;
export type TraceEventType = (typeof TRACE_EVENT_TYPES)[number];
/** `date` is the account's local date; `kind` an action kind, `total` or `connect_7d`. */
export const TRACE_CAP_KINDS = [...ACTION_KINDS, "total", "connect_7d"] as const;

export interface TraceRun {
  seed: string;
  start: string;
  end: string;
  days: number;
  leads: number;
  /** The starter template the file named, or null for a graph written out. */
  template: string | null;
  stopOnReply: boolean;
}

export interface TraceAccount {
  id: string;
  timeZone: string;
  workingHours: { days: number[]; start: string; end: string };
  /** YYYY-MM-DD, or null for an account at full strength from the start. */
  warmupStart: string | null;
  /** The pool it draws InMail credits from, or null. */
  pool: string | null;
}

export interface TracePool {
  id: string;
  plan: string;
  allowance: number;
  cap: number;
  renewalDay: number;
  /** Credits when the run started. */
  openingBalance: number;
  /** Credits left at the end of the run. */
  balance: number;
  /** `none`, or `on_reply` with its window and posting delay (days; null for `none`). */
  refundPolicy: { type: "none" | "on_reply"; windowDays: number | null; delayDays: number | null };
  /** The accounts drawing on it, named as in the campaign file. */
  accounts: string[];
}

export const TRACE_LEDGER_TYPES = [
  "grant",
  "spend",
  "refund",
  "forfeit",
  "purchase",
  "adjustment",
] as const;

/** One ledger entry; `amount` is positive and `type` gives its direction. */
export interface TraceLedgerEntry {
  at: string;
  pool: string;
  type: (typeof TRACE_LEDGER_TYPES)[number];
  amount: number;
  campaign: string | null;
  node: string | null;
  branch: string | null;
  lead: string | null;
}

/** Why a lead still active at the end of the run waits (workflows/engine/waiting-reason.ts). */
export interface TraceWaiting {
  /** A WaitingReasonCode: acceptance, wait_step, seat_paused, cap_full, queued, due… */
  code: string;
  /** The sentence the lead's page shows, in the seat's time zone. */
  text: string;
  /** When the lead may move by itself; null when it waits for someone to act. */
  until: string | null;
}

/** One campaign of the run: a one-campaign run has one, named "campaign". */
export interface TraceCampaign {
  id: string;
  template: string | null;
  /** The graph it ran (as published). */
  graph: unknown;
  /** Leads enrolled at its launch. */
  leads: number;
  /** When it was launched. */
  start: string;
  weight: number;
  /** The accounts it sends from. */
  seats: string[];
  /** Its status at the end of the run: running, paused, or not launched (it starts later). */
  status: string;
}

/** A seat's or a campaign's status set at a given time by the file's `script`. */
export type TraceScripted =
  | { at: string; account: string; status: string }
  | { at: string; campaign: string; status: string };

export interface TraceEnrollment {
  /** The campaign the lead is enrolled in. */
  campaign: string;
  lead: string;
  account: string;
  /**
   * active (still waiting at the end of the run), done (at an end step, or stopped normally:
   * a reply, nobody to reach) or failed (the engine could not go on: a broken graph).
   */
  state: string;
  /** The end step's outcome ("replied", "no answer"…) or the engine's ("stopped", "failed"). */
  outcome: string | null;
  reason: string | null;
  /** The step the lead is on (or ended on) and the branch key that led there. */
  node: string;
  branch: string;
  /** When the lead finished; null while active. */
  finishedAt: string | null;
  /** When an active lead runs next; null once finished. */
  nextRunAt: string | null;
  /** Why an active lead waits at the end of the run; null once finished. */
  waiting: TraceWaiting | null;
}

export interface TraceAction {
  at: string;
  /** The campaign whose lead it was for; null for an action of no campaign. */
  campaign: string | null;
  account: string;
  lead: string;
  /** For a withdrawal, the invitation's step. */
  node: string;
  kind: TraceActionKind;
  /** The branch key of the path the lead took to the step ("" for the main path). */
  branch: string;
  variant: string | null;
  outcome: TraceActionOutcome;
  reason: string | null;
  /** Credits taken from the account's pool: 0 for a free InMail, any other kind, or no pool. */
  credits: number;
}

export interface TraceEvent {
  at: string;
  account: string;
  lead: string;
  type: TraceEventType;
}

export interface TraceReceived {
  at: string;
  account: string;
  lead: string;
  kind: ActionKind;
  /** The step whose action LinkedIn received (null if no action has its idempotency key). */
  node: string | null;
}

/** A lead handed from an unhealthy seat to a healthy one (engine/rotation.ts). */
export interface TraceMove {
  at: string;
  lead: string;
  from: string;
  to: string;
  /** Why, of the seat left: "is restricted", "needs reconnecting", "has been paused for …". */
  reason: string;
}

export interface TraceCap {
  account: string;
  date: string;
  kind: string;
  limit: number;
}

export interface SimulationTrace {
  version: typeof TRACE_VERSION;
  run: TraceRun;
  /** The graph the campaign ran (as published); the first campaign's when there are several. */
  graph: unknown;
  campaigns: TraceCampaign[];
  /** The file's scripted seat and campaign statuses, in order. */
  script: TraceScripted[];
  accounts: TraceAccount[];
  pools: TracePool[];
  ledger: TraceLedgerEntry[];
  enrollments: TraceEnrollment[];
  actions: TraceAction[];
  events: TraceEvent[];
  received: TraceReceived[];
  caps: TraceCap[];
  /** Leads that changed seat, by time. */
  moves: TraceMove[];
}

// ── The human summary ─────────────────────────────────────────────────────────────────────

function table(rows: string[][], rightAligned: (column: number) => boolean): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map(
    (row) =>
      `  ${row
        .map((cell, column) =>
          rightAligned(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join("  ")
        .trimEnd()}`,
  );
}

function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** "2026-03-02 09:14 UTC". */
function minute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function outcomeLines(trace: SimulationTrace): string[] {
  const label = (e: TraceEnrollment) => {
    if (e.state === "active") return "still active";
    // A lead the engine stopped outside an end step says why: "replied (the lead replied)".
    const outcome = e.outcome ?? e.state;
    return e.reason && e.reason !== outcome ? `${outcome} (${e.reason})` : outcome;
  };
  // Several campaigns: each outcome is counted per campaign.
  const several = trace.campaigns.length > 1;
  const counts = [
    ...countBy(trace.enrollments, (e) => (several ? `${e.campaign}: ${label(e)}` : label(e))),
  ].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const total = trace.enrollments.length;
  return [
    `Leads by outcome (${total}):`,
    ...table(
      counts.map(([name, n]) => [
        name,
        String(n),
        `${Math.round((100 * n) / Math.max(1, total))}%`,
      ]),
      (column) => column > 0,
    ),
  ];
}

function activityLines(trace: SimulationTrace): string[] {
  const zones = new Map(trace.accounts.map((a) => [a.id, a.timeZone]));
  const sent = trace.actions.filter((a) => a.outcome === "sent" && a.kind !== "withdraw");
  if (sent.length === 0) return ["Actions sent per day: none."];
  const cells = new Map<string, Map<string, number>>();
  for (const action of sent) {
    const date = localDate(new Date(action.at), zones.get(action.account) ?? "UTC");
    const key = `${date}\u0000${action.account}`;
    const counts = cells.get(key) ?? new Map<string, number>();
    counts.set(action.kind, (counts.get(action.kind) ?? 0) + 1);
    counts.set("total", (counts.get("total") ?? 0) + 1);
    cells.set(key, counts);
  }
  const kinds = TRACE_ACTION_KINDS.filter((kind) => sent.some((a) => a.kind === kind));
  const rows = [...cells.keys()].sort().map((key) => {
    const [date, account] = key.split("\u0000") as [string, string];
    const counts = cells.get(key)!;
    return [
      date,
      account,
      ...kinds.map((k) => String(counts.get(k) ?? 0)),
      String(counts.get("total")),
    ];
  });
  return [
    "Actions sent per day (each account's local date):",
    ...table([["date", "account", ...kinds, "total"], ...rows], (column) => column > 1),
  ];
}

function creditLines(trace: SimulationTrace): string[] {
  const pools = trace.pools.map(
    (p) => `${p.id} (${p.plan}): ${p.openingBalance} → ${p.balance} credits left`,
  );
  const header = `InMail credits by branch${pools.length > 0 ? ` — ${pools.join("; ")}` : " — no credit pool"}:`;
  const graph = trace.graph as AnyGraph;
  const inmailNodes = new Set(graph.nodes.filter((n) => n.kind === "inmail").map((n) => n.id));
  const attempts = trace.actions.filter((a) => a.node !== null && inmailNodes.has(a.node));
  if (attempts.length === 0) return [header, "  no InMail attempted."];
  const inmailSends = attempts.filter((a) => a.kind === "inmail" && a.outcome === "sent");
  const rows = branchCreditRows({
    graph,
    attempts: attempts.map((a) => ({
      nodeId: a.node!,
      branch: a.branch,
      leadId: a.lead,
      kind: a.kind === "message" ? "message" : "inmail",
      outcome: a.outcome,
      reason: a.reason,
      credits: a.credits,
    })),
    ledger: trace.ledger.map((e) => ({
      type: e.type,
      amount: e.amount,
      nodeId: e.node,
      branch: e.branch,
    })),
    pendingRefunds: [],
    replies: inmailSends
      .filter((send) =>
        trace.events.some(
          (e) =>
            e.type === "replied" &&
            e.lead === send.lead &&
            e.account === send.account &&
            // A reply answers a send only when it comes after it.
            e.at > send.at,
        ),
      )
      .map((send) => ({ nodeId: send.node!, branch: send.branch, leadId: send.lead })),
    budgets: null,
  }).filter((row) => row.leadsReached > 0);
  const lines = rows.map((row) => {
    const notSent = Object.entries(row.notSentReasons)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([why, n]) => `${n} not sent: ${why.replaceAll("_", " ")}`)
      .join(", ");
    const free = row.inmailsFree + row.sentAsMessage;
    return [
      row.label,
      plural(row.net, "credit"),
      `${plural(row.inmailsPaid + row.inmailsFree, "InMail")} sent${free > 0 ? ` (${free} free)` : ""}${notSent ? `, ${notSent}` : ""}`,
      `spent ${row.spent}, refunded ${row.refunded}`,
      `${plural(row.replies, "reply", "replies")}${row.netPerReply !== null ? `, ${row.netPerReply} per reply` : ""}`,
    ];
  });
  const net = rows.reduce((sum, r) => sum + r.net, 0);
  return [
    header,
    ...table([...lines, ["total", plural(net, "credit"), "", "", ""]], (column) => column === 1),
  ];
}

function finishLine(trace: SimulationTrace): string {
  const waiting = trace.enrollments.filter((e) => e.state === "active");
  if (waiting.length > 0) {
    const next = waiting
      .map((e) => e.nextRunAt)
      .filter((at): at is string => at !== null)
      .sort()[0];
    const why = [...countBy(waiting, (e) => e.waiting?.code ?? "unknown")]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([code, n]) => `${n} ${code.replaceAll("_", " ")}`)
      .join(", ");
    return `Still running at the end of the run (${minute(trace.run.end)}): ${plural(waiting.length, "lead")} waiting (${why})${next ? `, the next due ${minute(next)}` : ""}.`;
  }
  const last = trace.enrollments
    .map((e) => e.finishedAt)
    .filter((at): at is string => at !== null)
    .sort()
    .at(-1);
  return last ? `The campaign finishes ${minute(last)}: every lead is done.` : "No lead enrolled.";
}

/** "Seat handovers: 4 leads from acct-a to acct-b (acct-a is restricted)", when any. */
function moveLines(trace: SimulationTrace): string[] {
  const moves = trace.moves ?? [];
  if (moves.length === 0) return [];
  const groups = countBy(moves, (m) => `${m.from} to ${m.to} (${m.from} ${m.reason})`);
  return [
    "",
    `Seat handovers: ${[...groups].map(([what, n]) => `${plural(n, "lead")} from ${what}`).join("; ")}.`,
  ];
}

/** What a user reads before launching: outcomes, daily activity, InMail spend, the finish. */
export function summarizeTrace(trace: SimulationTrace): string {
  const { run } = trace;
  const sent = trace.actions.filter((a) => a.outcome === "sent" && a.kind !== "withdraw").length;
  const withdrawn = trace.actions.filter((a) => a.kind === "withdraw").length;
  return [
    `Simulated ${trace.campaigns.length > 1 ? `${trace.campaigns.length} campaigns (${trace.campaigns.map((c) => c.id).join(", ")})` : (run.template ?? "campaign")}: ${plural(run.leads, "lead")}, ${plural(trace.accounts.length, "account")}, ${plural(run.days, "day")} from ${minute(run.start)} (seed “${run.seed}”).`,
    `${plural(sent, "action")} sent, ${plural(trace.events.filter((e) => e.type === "accepted").length, "invitation")} accepted${withdrawn > 0 ? `, ${plural(withdrawn, "invitation")} withdrawn` : ""}, ${plural(trace.events.filter((e) => e.type === "replied").length, "reply", "replies")}.`,
    "",
    ...outcomeLines(trace),
    "",
    ...creditLines(trace),
    "",
    ...activityLines(trace),
    ...moveLines(trace),
    "",
    finishLine(trace),
  ].join("\n");
}
