/**
 * Which send goes next on a busy seat. Sends that find the seat's next slot taken queue
 * without holding a slot or a cap place; when the seat frees, the store hands the slot to
 * the queue's head: the lowest priority number first, then the lowest fair-share tag (start-time
 * fair queuing over the campaigns sharing the seat, each by its weight), then the lead's
 * queue key. Answers typed by a person never queue (they do not go through the engine).
 */
import type { ActionKind } from "./pacing/settings";

/** Follow-ups to leads who accepted or replied, then InMails, then first touches. */
export const SEND_PRIORITY = {
  follow_up: 1,
  inmail: 2,
  first_touch: 3,
} as const;

export function sendPriority(kind: ActionKind): number {
  if (kind === "message") return SEND_PRIORITY.follow_up;
  if (kind === "inmail") return SEND_PRIORITY.inmail;
  return SEND_PRIORITY.first_touch;
}

/** A campaign's share of a seat against the others at the same priority. */
export const WEIGHT_MIN = 1;
export const WEIGHT_MAX = 10;
export const DEFAULT_WEIGHT = 1;

/** What a queue holds of one priority on one seat, for tagging a newcomer. */
export interface QueueTags {
  /** The smallest tag queued at this priority on the seat (the head's); null: none queued. */
  head: number | null;
  /** The largest tag the campaign has queued at this priority on the seat; null: none. */
  campaignLast: number | null;
}

/**
 * The start tag of a send joining the queue: after the campaign's last queued send, and never
 * before the head, so a campaign that was idle neither jumps ahead of what is queued nor is
 * put behind another campaign's whole backlog. One send costs 1 / weight of virtual time.
 */
export function queueTag(tags: QueueTags, weight: number): number {
  const start = Math.max(tags.head ?? 0, tags.campaignLast ?? Number.NEGATIVE_INFINITY);
  return start + 1 / Math.min(Math.max(weight, WEIGHT_MIN), WEIGHT_MAX);
}

/** A queued send, as stored on its enrollment's step state. */
export interface QueuedSend {
  id: string;
  priority: number;
  tag: number;
  queueKey: string;
}

/** Queue order: priority, then fair-share tag, then the lead's queue key. */
export function compareQueued(a: QueuedSend, b: QueuedSend): number {
  return (
    a.priority - b.priority ||
    a.tag - b.tag ||
    (a.queueKey < b.queueKey ? -1 : a.queueKey > b.queueKey ? 1 : 0)
  );
}

/** How many queued sends of the seat go before `id` (null when it is not queued). */
export function sendsAhead(queue: readonly QueuedSend[], id: string): number | null {
  const own = queue.find((q) => q.id === id);
  if (!own) return null;
  return queue.filter((q) => q.id !== id && compareQueued(q, own) < 0).length;
}

/** The queue place a step state holds, if the lead is queued for its seat. */
export function queuedPlace(
  stepState: { seq: number; queuePriority?: number; queueTag?: number } | null,
  stepSeq: number,
): { priority: number; tag: number } | null {
  if (!stepState || stepState.seq !== stepSeq) return null;
  if (stepState.queuePriority === undefined || stepState.queueTag === undefined) return null;
  return { priority: stepState.queuePriority, tag: stepState.queueTag };
}

/** The head of each seat's queue: the only queued send the store may claim. */
export function queueHeads<T extends QueuedSend & { accountId: string }>(
  queued: Iterable<T>,
): Map<string, T> {
  const heads = new Map<string, T>();
  for (const q of queued) {
    const head = heads.get(q.accountId);
    if (!head || compareQueued(q, head) < 0) heads.set(q.accountId, q);
  }
  return heads;
}

const seatKey = (accountId: string, priority: number) => `${accountId}|${priority}`;
const campaignKey = (accountId: string, campaignId: string, priority: number) =>
  `${accountId}|${priority}|${campaignId}`;

/**
 * What a store reads of its queues once per flush, keyed for takeQueueTag: per seat and
 * priority the head's tag, per seat, priority and campaign the last tag.
 */
export function tagsOfQueue(
  queued: Iterable<{ accountId: string; campaignId: string; priority: number; tag: number }>,
): Map<string, QueueTags> {
  const heads = new Map<string, number>();
  const lasts = new Map<string, number>();
  for (const q of queued) {
    const seat = seatKey(q.accountId, q.priority);
    heads.set(seat, Math.min(heads.get(seat) ?? q.tag, q.tag));
    const own = campaignKey(q.accountId, q.campaignId, q.priority);
    lasts.set(own, Math.max(lasts.get(own) ?? q.tag, q.tag));
  }
  const tags = new Map<string, QueueTags>();
  for (const [key, head] of heads) tags.set(key, { head, campaignLast: null });
  for (const [key, last] of lasts) tags.set(key, { head: null, campaignLast: last });
  return tags;
}

/** The tag of a newcomer to a queue read by tagsOfQueue; the map learns it. */
export function takeQueueTag(
  tags: Map<string, QueueTags>,
  at: { accountId: string; campaignId: string; priority: number },
  weight: number,
): number {
  const seat = seatKey(at.accountId, at.priority);
  const own = campaignKey(at.accountId, at.campaignId, at.priority);
  const head = tags.get(seat)?.head ?? null;
  const tag = queueTag({ head, campaignLast: tags.get(own)?.campaignLast ?? null }, weight);
  tags.set(seat, { head: head ?? tag, campaignLast: null });
  tags.set(own, { head: null, campaignLast: tag });
  return tag;
}
