import "server-only";

import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { DELIVERY_LEASE_MS, RETRY_FOR_MS, retryDelayMs } from "../webhooks/delivery";

// Email and Slack deliveries are claimed and retried like webhook deliveries: a lease taken in
// the claiming statement (FOR UPDATE SKIP LOCKED), the attempt number taken there, and only
// that lease holder's attempt may record its outcome.

export interface ClaimedNotification {
  id: string;
  workspace_id: string;
  workspace_name: string;
  notification_id: string;
  channel: "email" | "slack";
  recipient: string;
  attempt: number;
  created_at: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  /** The recipient's address, while they are still a member (email). */
  email: string | null;
  /** The workspace's Slack webhook, while it still wants this kind (Slack). */
  slack_url: string | null;
}

/** What the delivery log says of a Slack post whose worker died during the call. */
export const CALL_OUTCOME_UNKNOWN =
  "The worker stopped during the call to Slack: the post may have gone out, so it is not retried.";

/**
 * Slack's incoming webhooks take no idempotency key: a worker that died between the call and
 * its record leaves no way to know whether the post went out. Such a delivery (its call mark
 * set, its lease run out) is closed as `unknown` instead of being posted again.
 */
export async function closeInterruptedSlackCalls(db: Database, now: Date): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update notification_delivery
           set status = 'unknown', lease_owner = null, lease_until = null,
               last_error = ${CALL_OUTCOME_UNKNOWN}
         where status = 'pending' and channel = 'slack' and call_started_at is not null
           and lease_until < ${now.toISOString()}::timestamptz
        returning id`,
  );
  return rows.length;
}

/**
 * Marks, in its own commit, that this attempt is about to call Slack; false when the lease
 * was lost meanwhile (then the call must not be made).
 */
export async function markSlackCallStarted(
  db: Database,
  delivery: ClaimedNotification,
  options: { owner: string; now: Date },
): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`update notification_delivery set call_started_at = ${options.now.toISOString()}::timestamptz
         where id = ${delivery.id} and lease_owner = ${options.owner}
           and attempts = ${delivery.attempt} and status = 'pending'
        returning id`,
  );
  return rows.length > 0;
}

export async function claimNotificationDeliveries(
  db: Database,
  options: { owner: string; now: Date; limit: number },
): Promise<ClaimedNotification[]> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + DELIVERY_LEASE_MS).toISOString();
  await closeInterruptedSlackCalls(db, options.now);
  return queryRows<ClaimedNotification>(
    db,
    sql`with claimed as (
          update notification_delivery d
             set lease_owner = ${options.owner}, lease_until = ${until}::timestamptz,
                 attempts = d.attempts + 1
            from (select id from notification_delivery w
                   where w.status = 'pending' and w.next_attempt_at <= ${now}::timestamptz
                     and (w.lease_until is null or w.lease_until < ${now}::timestamptz)
                   order by w.next_attempt_at
                   limit ${options.limit}
                     for update skip locked) c
           where d.id = c.id
          returning d.id, d.workspace_id, d.notification_id, d.channel, d.recipient,
                    d.attempts as attempt, d.created_at
        )
        select c.id, c.workspace_id, o.name as workspace_name, c.notification_id, c.channel,
               c.recipient, c.attempt, c.created_at, n.kind, n.title, n.body, n.link,
               u.email, s.url as slack_url
          from claimed c
          join notification n on n.id = c.notification_id
          join organization o on o.id = c.workspace_id
          left join member m on c.channel = 'email' and m.organization_id = c.workspace_id
                            and m.user_id = c.recipient
          left join "user" u on u.id = m.user_id
          left join notification_slack s on c.channel = 'slack' and s.workspace_id = c.workspace_id
                                        and s.kinds @> jsonb_build_array(n.kind)`,
  );
}

export type NotificationOutcome = { ok: true } | { ok: false; error: string; skip?: boolean };
export type NotificationResult = "delivered" | "retry" | "given_up" | "skipped" | "lost_lease";

/**
 * Records one attempt: delivered, skipped (nowhere to send it any more), rescheduled with
 * backoff, or given up after a day. Only the holder of that attempt's lease writes.
 */
export async function recordNotificationAttempt(
  db: Database,
  delivery: ClaimedNotification,
  outcome: NotificationOutcome,
  options: { owner: string; now: Date; random?: () => number },
): Promise<NotificationResult> {
  const age = options.now.getTime() - new Date(delivery.created_at).getTime();
  const result: Exclude<NotificationResult, "lost_lease"> = outcome.ok
    ? "delivered"
    : outcome.skip
      ? "skipped"
      : age >= RETRY_FOR_MS
        ? "given_up"
        : "retry";
  const status = {
    delivered: "delivered",
    skipped: "skipped",
    given_up: "failed",
    retry: "pending",
  }[result];
  const next = new Date(options.now.getTime() + retryDelayMs(delivery.attempt, options.random));
  const [owned] = await queryRows<{ id: string }>(
    db,
    sql`update notification_delivery
           set status = ${status}, lease_owner = null, lease_until = null, call_started_at = null,
               next_attempt_at = ${next.toISOString()}::timestamptz,
               delivered_at = ${outcome.ok ? options.now.toISOString() : null}::timestamptz,
               last_error = ${outcome.ok ? null : outcome.error}
         where id = ${delivery.id} and lease_owner = ${options.owner}
           and attempts = ${delivery.attempt}
        returning id`,
  );
  return owned ? result : "lost_lease";
}
