import { capsInForce } from "@/workflows/engine/pacing/caps";
import { localDate } from "@/workflows/engine/pacing/local-time";
import type { EnrollmentContext, ReserveRequest } from "@/workflows/engine/ports";

/**
 * A reservation of one send for a flush, as the engine asks for it: at `nodeId` (kind `kind`),
 * decided on `eventsSeen` events, on a plain timeline where the send goes at the seat's next
 * free time and the next one `gapMs` later.
 */
export function reserveRequest(
  context: EnrollmentContext,
  owner: string,
  now: Date,
  eventsSeen: number,
  {
    nodeId = "visit",
    kind = "visit",
    gapMs = 120_000,
  }: { nodeId?: string; kind?: ReserveRequest["kind"]; gapMs?: number } = {},
): ReserveRequest {
  const date = localDate(now, context.account.pacing.timeZone);
  return {
    context,
    owner,
    branch: "",
    idempotencyKey: `${context.enrollment.id}:1:0`,
    nodeId,
    kind,
    variant: null,
    hasText: false,
    credits: 0,
    budget: null,
    now,
    localDate: date,
    caps: capsInForce(context.account.pacing, date),
    spacingMs: gapMs,
    plannedSendAt: null,
    bookedDate: null,
    eventsSeen,
    nextDays: () => [],
    plan: (nextFreeAt) => {
      const sendAt = new Date(Math.max(now.getTime(), nextFreeAt?.getTime() ?? 0));
      return { sendAt, nextFreeAt: new Date(sendAt.getTime() + gapMs) };
    },
  };
}
