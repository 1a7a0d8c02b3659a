/**
 * InMail refunds. Older rules (still quoted by vendors) refund a credit when the recipient
 * replies within 90 days; current rules refund only on some Recruiter plans. So the policy is a
 * per-pool setting, and only a reply in the InMail's own thread earns a refund.
 */
import { z } from "zod";

const DAY_MS = 86_400_000;

export const RefundPolicySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("none") }),
  z.object({
    type: z.literal("on_reply"),
    /** The reply must come within this many days (24 h each) of the send. */
    windowDays: z.int().positive().default(90),
    /** Refunds are not instant: the credit comes back this many days after the reply. */
    delayDays: z.int().min(0).default(1),
  }),
]);
export type RefundPolicy = z.output<typeof RefundPolicySchema>;

/** Something the recipient did after an InMail, as the engine stores it. */
export interface InmailResponse {
  at: Date;
  /**
   * message: any text, "no thanks" and auto-replies included; reaction: an emoji;
   * connection_accepted: an accepted invitation, which is not a reply.
   */
  kind: "message" | "reaction" | "connection_accepted";
  /** True only for the InMail's own thread; a message in another chat does not count. */
  inThread: boolean;
}

export type RefundRefusal =
  | "no_refund_policy"
  | "already_refunded"
  | "recipient_restricted_or_closed"
  | "no_reply"
  | "connection_accepted_not_reply"
  | "reaction_not_reply"
  | "outside_thread"
  | "outside_window";

export type RefundDecision =
  | { refund: false; reason: RefundRefusal }
  | { refund: true; postAt: Date };

/**
 * Whether `reply` earns back the credit of the InMail sent at `inmailSentAt`. The engine asks
 * for each response as it arrives; `alreadyRefunded` (posted or scheduled) keeps it to once.
 */
export function refundDecision({
  policy,
  inmailSentAt,
  reply,
  recipientRestrictedOrClosed,
  alreadyRefunded,
}: {
  policy: RefundPolicy;
  inmailSentAt: Date;
  reply: InmailResponse | null;
  recipientRestrictedOrClosed: boolean;
  alreadyRefunded: boolean;
}): RefundDecision {
  if (policy.type === "none") return { refund: false, reason: "no_refund_policy" };
  if (alreadyRefunded) return { refund: false, reason: "already_refunded" };
  if (recipientRestrictedOrClosed) {
    return { refund: false, reason: "recipient_restricted_or_closed" };
  }
  if (reply === null) return { refund: false, reason: "no_reply" };
  if (reply.kind === "connection_accepted") {
    return { refund: false, reason: "connection_accepted_not_reply" };
  }
  if (reply.kind === "reaction") return { refund: false, reason: "reaction_not_reply" };
  if (!reply.inThread) return { refund: false, reason: "outside_thread" };
  const elapsed = reply.at.getTime() - inmailSentAt.getTime();
  if (elapsed < 0 || elapsed > policy.windowDays * DAY_MS) {
    return { refund: false, reason: "outside_window" };
  }
  return { refund: true, postAt: new Date(reply.at.getTime() + policy.delayDays * DAY_MS) };
}
