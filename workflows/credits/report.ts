/**
 * The budget panel's numbers, from what the engine wrote: one row per branch that reaches an
 * InMail step (the step and the path of condition exits leading to it), and a projection of
 * what the leads still in flight will need against the balance and the coming renewals.
 * Pure: the database read model (server/credits/get-campaign-credits.ts) and `outflow simulate`
 * both feed it.
 */
import { type AnyGraph, branchMap } from "../graph/index";
import { previewTemplate } from "../nodes/template";
import { budgetKey, type CampaignBudgets } from "./budgets";
import { USED_SIGN } from "./ledger";
import { renewalDates, renewalSplit } from "./renewal";

/** One attempt at an InMail step (sent as InMail, as a free message, or not sent). */
export interface CreditAttempt {
  nodeId: string;
  branch: string;
  leadId: string;
  /** `message` when a 1st-degree lead got the InMail's text as a normal message. */
  kind: "inmail" | "message";
  outcome: string;
  reason: string | null;
  /** Credits the attempt finally cost (0 for an open profile or a message). */
  credits: number;
}

/** A ledger entry tagged with a step and branch (spends, refunds, released holds). */
export interface CreditLedgerLine {
  type: string;
  amount: number;
  nodeId: string | null;
  branch: string | null;
}

export interface BranchCreditRow {
  key: string;
  nodeId: string;
  branch: string;
  /** "Not accepted within 7 days › InMail 'Quick question'". */
  label: string;
  leadsReached: number;
  inmailsPaid: number;
  inmailsFree: number;
  sentAsMessage: number;
  notSent: number;
  notSentReasons: Record<string, number>;
  /** Credits taken for sends (holds given back for sends that did not happen excluded). */
  spent: number;
  refunded: number;
  refundsPending: number;
  net: number;
  replies: number;
  /** Net credits per reply, or null before the first reply. */
  netPerReply: number | null;
  budget: number | null;
}

export interface BranchRowsInput {
  graph: AnyGraph;
  attempts: CreditAttempt[];
  ledger: CreditLedgerLine[];
  /** Refunds owed but not yet posted, by the InMail they are for. */
  pendingRefunds: Array<{ nodeId: string; branch: string }>;
  /** Replies to InMails, by the InMail's step and branch. */
  replies: Array<{ nodeId: string; branch: string; leadId: string }>;
  budgets: CampaignBudgets | null;
}

function subjectOf(node: AnyGraph["nodes"][number]): string {
  const config = node.config as { variants?: Array<{ subject?: unknown }> } | undefined;
  const subject = config?.variants?.[0]?.subject;
  if (typeof subject !== "string" || subject.trim() === "") return "InMail";
  // A label, not the template: "Quick question, there", never raw {{…}} syntax.
  const readable = previewTemplate(subject);
  const short = readable.length > 40 ? `${readable.slice(0, 39)}…` : readable;
  return `InMail '${short}'`;
}

export function branchCreditRows(input: BranchRowsInput): BranchCreditRow[] {
  const map = branchMap(input.graph);
  const rows = new Map<string, BranchCreditRow>();
  const leads = new Map<string, Set<string>>();
  const repliers = new Map<string, Set<string>>();
  for (const node of input.graph.nodes) {
    if (node.kind !== "inmail") continue;
    for (const path of map.byNode.get(node.id) ?? []) {
      const key = budgetKey(node.id, path.key);
      rows.set(key, {
        key,
        nodeId: node.id,
        branch: path.key,
        label: `${path.label} › ${subjectOf(node)}`,
        leadsReached: 0,
        inmailsPaid: 0,
        inmailsFree: 0,
        sentAsMessage: 0,
        notSent: 0,
        notSentReasons: {},
        spent: 0,
        refunded: 0,
        refundsPending: 0,
        net: 0,
        replies: 0,
        netPerReply: null,
        budget: input.budgets?.branches[key] ?? null,
      });
    }
  }
  const rowFor = (nodeId: string | null, branch: string | null) =>
    nodeId === null || branch === null ? undefined : rows.get(budgetKey(nodeId, branch));

  for (const attempt of input.attempts) {
    const row = rowFor(attempt.nodeId, attempt.branch);
    if (!row) continue;
    const seen = leads.get(row.key) ?? new Set<string>();
    seen.add(attempt.leadId);
    leads.set(row.key, seen);
    if (attempt.outcome === "sent") {
      if (attempt.kind === "message") row.sentAsMessage++;
      else if (attempt.credits > 0) row.inmailsPaid++;
      else row.inmailsFree++;
    } else if (attempt.outcome === "not_sent") {
      row.notSent++;
      const why = attempt.reason ?? "not_sent";
      row.notSentReasons[why] = (row.notSentReasons[why] ?? 0) + 1;
    }
  }
  for (const line of input.ledger) {
    const row = rowFor(line.nodeId, line.branch);
    if (!row) continue;
    // What a campaign used (USED_SIGN), split into what sends took and what refunds gave back.
    const used = (USED_SIGN as Record<string, number>)[line.type] ?? 0;
    if (line.type === "refund") row.refunded -= used * line.amount;
    else row.spent += used * line.amount;
  }
  for (const pending of input.pendingRefunds) {
    const row = rowFor(pending.nodeId, pending.branch);
    if (row) row.refundsPending++;
  }
  for (const reply of input.replies) {
    const row = rowFor(reply.nodeId, reply.branch);
    if (!row) continue;
    const seen = repliers.get(row.key) ?? new Set<string>();
    seen.add(reply.leadId);
    repliers.set(row.key, seen);
  }
  for (const row of rows.values()) {
    row.leadsReached = leads.get(row.key)?.size ?? 0;
    row.replies = repliers.get(row.key)?.size ?? 0;
    row.net = row.spent - row.refunded;
    row.netPerReply = row.replies > 0 ? Math.round((row.net / row.replies) * 100) / 100 : null;
  }
  return [...rows.values()];
}

// ── Projection ───────────────────────────────────────────────────────────────────────────

export interface ProjectionInput {
  now: Date;
  balance: number;
  pool: { allowance: number; cap: number; renewalDay: number };
  /** Credits the leads still in flight will need, over all branches. */
  creditsNeeded: number;
  /** Credits a day the campaign spends while it runs (observed, or from the accounts' caps). */
  creditsPerDay: number;
}

export type Projection =
  | { type: "enough"; creditsNeeded: number; lastSpendOn: Date | null }
  | { type: "runs_out"; creditsNeeded: number; runsOutOn: Date; leadsNotSent: number };

const DAY_MS = 86_400_000;

/**
 * Walks the coming days: each day the campaign spends up to `creditsPerDay` of what it still
 * needs; renewals on the anchor day add min(allowance, cap − balance). The first day the pool
 * cannot pay is when it runs out; every credit missing is a lead taking the not-sent exit.
 */
export function projectCredits(input: ProjectionInput): Projection {
  let need = Math.max(0, Math.round(input.creditsNeeded));
  const creditsNeeded = need;
  if (need === 0) return { type: "enough", creditsNeeded, lastSpendOn: null };
  const perDay = Math.max(input.creditsPerDay, 0.01);
  let balance = input.balance;
  let short = 0;
  let runsOutOn: Date | null = null;
  let day = new Date(input.now.getTime());
  const horizon = new Date(input.now.getTime() + 3 * 365 * DAY_MS);
  let carried = 0;
  let lastSpendOn: Date | null = null;
  while (need > 0 && day < horizon) {
    const next = new Date(day.getTime() + DAY_MS);
    for (const renewal of renewalDates(input.pool.renewalDay, day, next)) {
      if (renewal.getTime() > input.now.getTime()) {
        balance += renewalSplit(balance, {
          allowancePerMonth: input.pool.allowance,
          cap: input.pool.cap,
        }).grant;
      }
    }
    carried += perDay;
    const today = Math.min(need, Math.floor(carried));
    carried -= today;
    const paid = Math.min(balance, today);
    balance -= paid;
    need -= today;
    if (today > 0) lastSpendOn = day;
    if (paid < today) {
      short += today - paid;
      runsOutOn ??= day;
    }
    day = next;
  }
  if (runsOutOn) return { type: "runs_out", creditsNeeded, runsOutOn, leadsNotSent: short };
  return { type: "enough", creditsNeeded, lastSpendOn };
}
