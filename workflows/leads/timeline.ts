/**
 * A lead's timeline across campaigns, from what the engine stored: enrollments, every move
 * (node left, exit taken, branch), every send attempt, every event from LinkedIn and every
 * credit spent or given back — in the product's words, oldest first.
 */

import { isSeatMoveNote } from "../engine/rotation";
import { withdrawnAfterWords } from "../engine/withdrawals";
import { labelBranch } from "../graph/branches";
import type { AnyGraph } from "../graph/schema";
import { ACTIONS, findNodeDefinition, isActionKind } from "../nodes/index";

export interface TimelineEnrollment {
  id: string;
  campaignId: string;
  campaignName: string;
  accountName: string | null;
  version: number;
  graph: unknown;
  enrolledAt: Date;
}

export interface TimelineStep {
  id: number;
  enrollmentId: string;
  at: Date;
  nodeId: string;
  exit: string | null;
  toNodeId: string | null;
  branch: string;
  note: string | null;
}

export interface TimelineAction {
  id: string;
  enrollmentId: string;
  campaignId: string;
  accountName: string | null;
  nodeId: string;
  kind: string;
  status: string;
  reason: string | null;
  error: string | null;
  branch: string;
  variant: string | null;
  credits: number;
  createdAt: Date;
  sentAt: Date | null;
  /** What was sent: the note, the message, the InMail (subject and body). */
  text?: string | null;
  /** An invitation's withdrawal (`withdrawn` when the seat withdrew it) and its time. */
  withdrawal?: string | null;
  withdrawalAt?: Date | null;
}

export interface TimelineEvent {
  id: number;
  type: string;
  occurredAt: Date;
  accountName: string | null;
  /** A reply's text. */
  text?: string | null;
}

/** A person's answer from the inbox. */
export interface TimelineAnswer {
  id: string;
  at: Date;
  text: string;
  status: string;
  sender: string | null;
  accountName: string | null;
}

export interface TimelineCredit {
  id: number;
  at: Date;
  type: string;
  amount: number;
  campaignId: string | null;
  enrollmentId: string | null;
  nodeId: string | null;
  branch: string | null;
  variant: string | null;
  note: string | null;
}

export type TimelineKind = "enrolled" | "step" | "branch" | "ended" | "action" | "event" | "credit";

export interface TimelineItem {
  key: string;
  at: Date;
  kind: TimelineKind;
  campaign: { id: string; name: string } | null;
  title: string;
  /** Why, or what else is worth knowing: a reason, a note, the sender account. */
  detail: string | null;
  /** The step it happened at, as its card reads ("Connect with a note"). */
  step: string | null;
  /** The branch, as a path of condition exits ("Not accepted within 7 days"). */
  branch: string | null;
  /** Send outcome for actions (sent, not_sent, failed, skipped, intent). */
  status: string | null;
  variant: string | null;
  /** Credits: positive when spent, negative when given back. */
  credits: number | null;
  /** The text sent or received, when the item carries one. */
  text: string | null;
}

const ACTION_OUTCOMES: Record<string, string> = {
  sent: "sent",
  intent: "being sent",
  not_sent: "not sent",
  skipped: "skipped",
  failed: "failed",
};

const EVENT_TITLES: Record<string, string> = {
  accepted: "Accepted the invitation",
  replied: "Replied",
  out_of_office: "Replied: out of office",
};

/** Same-instant rows in the order they happen: enrolment, send, its credit, the move on. */
const ORDER: Record<TimelineKind, number> = {
  enrolled: 0,
  event: 1,
  action: 2,
  credit: 3,
  step: 4,
  branch: 4,
  ended: 5,
};

interface GraphNodeLike {
  id: string;
  kind: string;
  config: unknown;
}

function graphOf(value: unknown): { graph: AnyGraph; nodes: Map<string, GraphNodeLike> } | null {
  const graph = value as { nodes?: unknown; edges?: unknown } | null;
  if (!graph || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges)) return null;
  const nodes = new Map<string, GraphNodeLike>();
  for (const node of graph.nodes as GraphNodeLike[]) nodes.set(node.id, node);
  return { graph: graph as AnyGraph, nodes };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${Math.abs(count) === 1 ? "" : "s"}`;
}

export function buildLeadTimeline(input: {
  enrollments: TimelineEnrollment[];
  steps: TimelineStep[];
  actions: TimelineAction[];
  events: TimelineEvent[];
  credits: TimelineCredit[];
  answers?: TimelineAnswer[];
}): TimelineItem[] {
  const byEnrollment = new Map(input.enrollments.map((e) => [e.id, e]));
  const byCampaign = new Map(input.enrollments.map((e) => [e.campaignId, e]));
  const graphs = new Map(input.enrollments.map((e) => [e.id, graphOf(e.graph)]));

  const enrollmentFor = (enrollmentId: string | null, campaignId: string | null) =>
    (enrollmentId ? byEnrollment.get(enrollmentId) : undefined) ??
    (campaignId ? byCampaign.get(campaignId) : undefined);
  const campaignOf = (enrollment: TimelineEnrollment | undefined) =>
    enrollment ? { id: enrollment.campaignId, name: enrollment.campaignName } : null;
  const nodeOf = (enrollment: TimelineEnrollment | undefined, nodeId: string | null) =>
    enrollment && nodeId ? graphs.get(enrollment.id)?.nodes.get(nodeId) : undefined;
  const stepName = (enrollment: TimelineEnrollment | undefined, nodeId: string | null) => {
    if (!nodeId) return null;
    const node = nodeOf(enrollment, nodeId);
    // Never a step's id on screen: a step since removed is named as such.
    return node
      ? (findNodeDefinition(node.kind)?.summarize(node.config) ?? "a step")
      : "a step of an earlier version";
  };
  const branchName = (enrollment: TimelineEnrollment | undefined, key: string | null) => {
    if (key === null) return null;
    const graph = enrollment ? graphs.get(enrollment.id)?.graph : undefined;
    return graph ? labelBranch(graph, key) : key ? "a branch of an earlier version" : "Main path";
  };

  const items: TimelineItem[] = [];
  const base = {
    detail: null,
    step: null,
    branch: null,
    status: null,
    variant: null,
    credits: null,
    text: null,
  };

  for (const enrollment of input.enrollments) {
    items.push({
      ...base,
      key: `enrolled-${enrollment.id}`,
      at: enrollment.enrolledAt,
      kind: "enrolled",
      campaign: campaignOf(enrollment),
      title: "Enrolled",
      detail: [
        `version ${enrollment.version}`,
        enrollment.accountName ? `sends from ${enrollment.accountName}` : null,
      ]
        .filter(Boolean)
        .join(", "),
    });
  }

  for (const step of input.steps) {
    const enrollment = byEnrollment.get(step.enrollmentId);
    const node = nodeOf(enrollment, step.nodeId);
    const definition = node ? findNodeDefinition(node.kind) : undefined;
    const common = {
      ...base,
      key: `step-${step.id}`,
      at: step.at,
      campaign: campaignOf(enrollment),
      step: stepName(enrollment, step.nodeId),
      branch: branchName(enrollment, step.branch),
    };
    if (step.exit === null && isSeatMoveNote(step.note)) {
      // Seat rotation: the lead stays on its step, on another seat.
      items.push({ ...common, kind: "step", title: "Moved to another seat", detail: step.note });
    } else if (step.exit === null) {
      items.push({ ...common, kind: "ended", title: "Left the campaign", detail: step.note });
    } else if (definition?.engine.isCondition && node && definition.hasExit(step.exit)) {
      items.push({
        ...common,
        kind: "branch",
        title: `Branch taken: ${definition.describeExit(node.config, step.exit)}`,
        detail: step.note,
      });
    } else {
      const next = stepName(enrollment, step.toNodeId);
      items.push({
        ...common,
        kind: "step",
        title: step.exit === "next" ? "Moved on" : `Moved on (${step.exit.replace(/_/g, " ")})`,
        detail: [next ? `to ${next}` : null, step.note].filter(Boolean).join(" · ") || null,
      });
    }
  }

  for (const action of input.actions) {
    const enrollment = enrollmentFor(action.enrollmentId, action.campaignId);
    items.push({
      ...base,
      key: `action-${action.id}`,
      at: action.sentAt ?? action.createdAt,
      kind: "action",
      campaign: campaignOf(enrollment),
      title: `${isActionKind(action.kind) ? ACTIONS[action.kind].timeline : action.kind} ${ACTION_OUTCOMES[action.status] ?? action.status}`,
      detail:
        [
          // Engine reasons are codes ("already_invited"): in words.
          action.reason ? action.reason.replace(/_/g, " ") : action.error,
          action.accountName ? `from ${action.accountName}` : null,
        ]
          .filter(Boolean)
          .join(" · ") || null,
      step: stepName(enrollment, action.nodeId),
      branch: branchName(enrollment, action.branch),
      status: action.status,
      variant: action.variant,
      credits: action.credits > 0 ? action.credits : null,
      text: action.text ?? null,
    });
  }

  for (const action of input.actions) {
    if (action.withdrawal !== "withdrawn" || !action.withdrawalAt) continue;
    const enrollment = enrollmentFor(action.enrollmentId, action.campaignId);
    items.push({
      ...base,
      key: `withdrawal-${action.id}`,
      at: action.withdrawalAt,
      kind: "action",
      campaign: campaignOf(enrollment),
      title: withdrawnAfterWords(action.sentAt ?? action.createdAt, action.withdrawalAt),
      detail: action.accountName ? `from ${action.accountName}` : null,
      step: stepName(enrollment, action.nodeId),
      branch: branchName(enrollment, action.branch),
      status: "withdrawn",
      variant: null,
      credits: null,
      text: null,
    });
  }

  for (const event of input.events) {
    items.push({
      ...base,
      key: `event-${event.id}`,
      at: event.occurredAt,
      kind: "event",
      campaign: null,
      title: EVENT_TITLES[event.type] ?? event.type.replace(/_/g, " "),
      detail: event.accountName ? `on ${event.accountName}` : null,
      text: event.text ?? null,
    });
  }

  for (const answer of input.answers ?? []) {
    items.push({
      ...base,
      key: `answer-${answer.id}`,
      at: answer.at,
      kind: "event",
      campaign: null,
      title: `Answered by ${answer.sender ?? "a teammate"} (${ACTION_OUTCOMES[answer.status] ?? answer.status})`,
      detail: answer.accountName ? `from ${answer.accountName}` : null,
      status: answer.status,
      text: answer.text,
    });
  }

  for (const credit of input.credits) {
    const enrollment = enrollmentFor(credit.enrollmentId, credit.campaignId);
    const spent = credit.type === "spend";
    const amount = spent ? credit.amount : -credit.amount;
    items.push({
      ...base,
      key: `credit-${credit.id}`,
      at: credit.at,
      kind: "credit",
      campaign: campaignOf(enrollment),
      title: spent
        ? `${plural(credit.amount, "InMail credit")} spent`
        : `${plural(credit.amount, "InMail credit")} ${credit.type === "refund" ? "refunded" : "given back"}`,
      detail: credit.note,
      step: stepName(enrollment, credit.nodeId),
      branch: branchName(enrollment, credit.branch),
      variant: credit.variant,
      credits: amount,
    });
  }

  return items.sort((a, b) => a.at.getTime() - b.at.getTime() || ORDER[a.kind] - ORDER[b.kind]);
}
