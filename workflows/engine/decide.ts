/**
 * Pure decisions of the engine: how a condition resolves from stored events, where an exit
 * leads, whether a reply stops the lead. No I/O: everything arrives as arguments.
 */
import { branchKeyAfter, type Graph, type GraphNode, parseBranchKey } from "../graph/index";
import type { ProfileSnapshot } from "../providers/types";
import type { StoredAction, StoredEvent } from "./ports";
import { withdrawnAfterWords } from "./withdrawals";

const DAY_MS = 24 * 60 * 60 * 1000;

export type ConditionDecision = { exit: "yes" | "no"; note?: string } | { wakeAt: Date };

/** When a lead whose invitation is overdue for withdrawal (the day's cap) looks again. */
const WITHDRAWAL_RECHECK_MS = 60 * 60 * 1000;

/** The latest invitation this lead was sent on this enrollment (or found already pending). */
function lastInvitation(actions: readonly StoredAction[]): StoredAction | null {
  const invitations = actions.filter(
    (a) =>
      a.kind === "connect" &&
      (a.status === "sent" || (a.status === "not_sent" && a.reason === "already_invited")),
  );
  return invitations.at(-1) ?? null;
}

/**
 * Whether the lead is known to be a 1st-degree connection of the seat: from its profile, an
 * acceptance, or the seat's own invitation answered "already connected" on this enrollment.
 */
export function knownFirstDegree(input: {
  profile: ProfileSnapshot | null;
  actions: readonly StoredAction[];
  events: readonly StoredEvent[];
}): boolean {
  return (
    input.profile?.networkDistance === 1 ||
    input.events.some((e) => e.type === "accepted") ||
    answeredAlreadyConnected(input.actions)
  );
}

function answeredAlreadyConnected(actions: readonly StoredAction[]): boolean {
  return actions.some(
    (a) => a.kind === "connect" && a.status === "not_sent" && a.reason === "already_connected",
  );
}

/**
 * "If accepted within N days of the invitation", from stored events. An acceptance that is
 * already stored wins at once; otherwise the lead sleeps until the window closes (an arriving
 * acceptance wakes it earlier).
 */
export function decideIfAccepted(input: {
  windowDays: number;
  actions: readonly StoredAction[];
  events: readonly StoredEvent[];
  profile: ProfileSnapshot | null;
  now: Date;
  /**
   * The seat withdraws invitations pending this many days (0 or absent: never): the lead wakes
   * then, and a withdrawn invitation takes the "no" exit at once.
   */
  withdrawAfterDays?: number;
}): ConditionDecision {
  const alreadyConnected =
    input.profile?.networkDistance === 1 || answeredAlreadyConnected(input.actions);
  const invitation = lastInvitation(input.actions);
  if (invitation === null) return { exit: alreadyConnected ? "yes" : "no" };
  const start = invitation.sentAt ?? invitation.createdAt;
  const deadline = new Date(start.getTime() + input.windowDays * DAY_MS);
  const accepted = input.events.some(
    (e) => e.type === "accepted" && e.occurredAt.getTime() <= deadline.getTime(),
  );
  if (accepted || alreadyConnected) return { exit: "yes" };
  if (invitation.withdrawnAt) {
    return { exit: "no", note: withdrawnAfterWords(start, invitation.withdrawnAt).toLowerCase() };
  }
  if (input.now.getTime() >= deadline.getTime()) return { exit: "no" };
  const afterDays = invitation.status === "sent" ? (input.withdrawAfterDays ?? 0) : 0;
  if (afterDays > 0) {
    // Woken when the seat withdraws it; an invitation the day's cap held back looks again later.
    const due = start.getTime() + afterDays * DAY_MS;
    const wake = due > input.now.getTime() ? due : input.now.getTime() + WITHDRAWAL_RECHECK_MS;
    if (wake < deadline.getTime()) return { wakeAt: new Date(wake) };
  }
  return { wakeAt: deadline };
}

/** The last text this lead was sent on this enrollment: a message, an InMail, or a note. */
function lastTextSent(actions: readonly StoredAction[]): Date | null {
  const texts = actions.filter(
    (a) =>
      a.status === "sent" &&
      (a.kind === "message" || a.kind === "inmail" || (a.kind === "connect" && a.hasText)),
  );
  const last = texts.at(-1);
  return last ? (last.sentAt ?? last.createdAt) : null;
}

/**
 * "If replied within N days of the last message sent on this path", from stored events. A
 * reply answers a send only when it comes after it: the reply that woke the lead and sent
 * this very message (at the same instant) answered the message before.
 */
export function decideIfReplied(input: {
  windowDays: number;
  actions: readonly StoredAction[];
  events: readonly StoredEvent[];
  now: Date;
}): ConditionDecision {
  const since = lastTextSent(input.actions);
  if (since === null) return { exit: "no" };
  const deadline = new Date(since.getTime() + input.windowDays * DAY_MS);
  const replied = input.events.some(
    (e) =>
      e.type === "replied" &&
      e.occurredAt.getTime() > since.getTime() &&
      e.occurredAt.getTime() <= deadline.getTime(),
  );
  if (replied) return { exit: "yes" };
  if (input.now.getTime() >= deadline.getTime()) return { exit: "no" };
  return { wakeAt: deadline };
}

/** True when the lead got here through an if-replied "yes": replies are expected on this path. */
export function pathExpectsReply(graph: Graph, branch: string): boolean {
  return parseBranchKey(branch).some(
    (step) =>
      step.exit === "yes" && graph.nodes.find((n) => n.id === step.nodeId)?.kind === "if_replied",
  );
}

/** With stop-on-reply, a lead who replied gets no further automated send on a normal path. */
export function stoppedByReply(input: {
  stopOnReply: boolean;
  graph: Graph;
  branch: string;
  events: readonly StoredEvent[];
}): boolean {
  if (!input.stopOnReply) return false;
  if (!input.events.some((e) => e.type === "replied")) return false;
  return !pathExpectsReply(input.graph, input.branch);
}

export interface ExitTarget {
  toNodeId: string | null;
  branch: string;
}

/** Where a lead leaving `node` by `exit` goes, and the branch it is on afterwards. */
export function followExit(
  graph: Graph,
  node: GraphNode,
  exit: string,
  branch: string,
  isCondition: boolean,
): ExitTarget {
  const edge = graph.edges.find((e) => e.source === node.id && e.sourceHandle === exit);
  return {
    toNodeId: edge?.target ?? null,
    branch: isCondition ? branchKeyAfter(branch, node.id, exit) : branch,
  };
}
