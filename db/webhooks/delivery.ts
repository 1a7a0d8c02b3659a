import "server-only";

import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { recordNotifications } from "../notifications/outbox";

/** The dedupe key of the "endpoint turned off" notification, closed when it is dealt with. */
export const endpointDisabledKey = (endpointId: string) => `webhook-disabled|${endpointId}`;

/** How long a claimed delivery is held: longer than a request's timeout. */
export const DELIVERY_LEASE_MS = 60_000;
/** A failing delivery is retried for at least this long before it is given up. */
export const RETRY_FOR_MS = 24 * 60 * 60 * 1000;
/** An endpoint failing for this long, with no success in between, is disabled. */
export const DISABLE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Delay before attempt `attempt + 1`: 5 s × 4^(n−1), at most 8 hours, with ±20 % jitter so
 * endpoints coming back are not hit by every delivery at once.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(5_000 * 4 ** Math.max(0, attempt - 1), 8 * 60 * 60 * 1000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface ClaimedDelivery {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  created_at: string;
  url: string;
  secret: string;
  payload: unknown;
  occurred_at: string;
}

/**
 * Claims due deliveries with a lease, in one statement: `FOR UPDATE SKIP LOCKED` keeps two
 * workers off the same row, and the attempt number taken here is the attempt's identity (unique
 * in the attempt log), so an attempt is never made twice.
 */
export async function claimDeliveries(
  db: Database,
  options: { owner: string; now: Date; limit: number },
): Promise<ClaimedDelivery[]> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + DELIVERY_LEASE_MS).toISOString();
  return queryRows<ClaimedDelivery>(
    db,
    sql`with claimed as (
          update webhook_delivery d
             set lease_owner = ${options.owner}, lease_until = ${until}::timestamptz,
                 attempts = d.attempts + 1
            from (select id from webhook_delivery w
                   where w.status = 'pending' and w.next_attempt_at <= ${now}::timestamptz
                     and (w.lease_until is null or w.lease_until < ${now}::timestamptz)
                     and exists (select 1 from webhook_endpoint e
                                  where e.id = w.endpoint_id and e.disabled_at is null)
                   order by w.next_attempt_at
                   limit ${options.limit}
                     for update skip locked) c
           where d.id = c.id
          returning d.id, d.workspace_id, d.endpoint_id, d.event_id, d.event_type,
                    d.attempts as attempt, d.created_at
        )
        select c.id, c.workspace_id, c.endpoint_id, c.event_id, c.event_type, c.attempt,
               c.created_at, e.url, e.secret, o.payload, o.occurred_at
          from claimed c
          join webhook_endpoint e on e.id = c.endpoint_id
          join outbox_event o on o.id = c.event_id`,
  );
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export type AttemptResult = "delivered" | "retry" | "given_up" | "lost_lease";

/**
 * Records one attempt: the log line, then the delivery delivered, rescheduled with backoff or
 * given up, and the endpoint's run of failures — disabled, with a notification for the
 * workspace, after a day without a success. Only the lease holder of that attempt writes.
 */
export async function recordAttempt(
  db: Database,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  options: { owner: string; now: Date; random?: () => number },
): Promise<AttemptResult> {
  const now = options.now;
  const age = now.getTime() - new Date(delivery.created_at).getTime();
  const giveUp = !outcome.ok && age >= RETRY_FOR_MS;
  const next = new Date(now.getTime() + retryDelayMs(delivery.attempt, options.random));
  const status = outcome.ok ? "delivered" : giveUp ? "failed" : "pending";
  if (outcome.ok) return recordSuccess(db, delivery, outcome, options.owner, now);
  return db.transaction(async (tx) => {
    const [owned] = await queryRows<{ id: string }>(
      tx,
      sql`update webhook_delivery
             set status = ${status},
                 next_attempt_at = case when ${status} = 'pending' then ${next.toISOString()}::timestamptz
                                        else next_attempt_at end,
                 delivered_at = case when ${outcome.ok} then ${now.toISOString()}::timestamptz end,
                 lease_owner = null, lease_until = null,
                 last_status_code = ${outcome.statusCode}, last_latency_ms = ${outcome.latencyMs},
                 last_response = ${outcome.responseExcerpt}, last_error = ${outcome.error}
           where id = ${delivery.id} and lease_owner = ${options.owner}
             and attempts = ${delivery.attempt}
          returning id`,
    );
    if (!owned) return "lost_lease" as const;
    await tx.execute(
      sql`insert into webhook_attempt (workspace_id, delivery_id, endpoint_id, attempt,
                                       status_code, latency_ms, response_excerpt, error, at, worker)
          values (${delivery.workspace_id}, ${delivery.id}, ${delivery.endpoint_id},
                  ${delivery.attempt}, ${outcome.statusCode}, ${outcome.latencyMs},
                  ${outcome.responseExcerpt}, ${outcome.error}, ${now.toISOString()}::timestamptz,
                  ${options.owner})`,
    );
    if (outcome.ok) {
      await tx.execute(
        sql`update webhook_endpoint set failing_since = null
             where id = ${delivery.endpoint_id} and failing_since is not null`,
      );
      return "delivered" as const;
    }
    const disableBefore = new Date(now.getTime() - DISABLE_AFTER_MS).toISOString();
    const [disabled] = await queryRows<{ url: string; now_disabled: boolean }>(
      tx,
      sql`update webhook_endpoint
             set failing_since = coalesce(failing_since, ${now.toISOString()}::timestamptz),
                 disabled_at = case when failing_since <= ${disableBefore}::timestamptz
                                    then ${now.toISOString()}::timestamptz end,
                 disabled_reason = case when failing_since <= ${disableBefore}::timestamptz
                                        then 'Every delivery failed for a day' end
           where id = ${delivery.endpoint_id} and disabled_at is null
          returning url, disabled_at is not null as now_disabled`,
    );
    if (disabled?.now_disabled) {
      await recordNotifications(tx, [
        {
          workspaceId: delivery.workspace_id,
          kind: "webhook_endpoint_disabled",
          title: "A webhook endpoint was turned off",
          body: `Every delivery to ${disabled.url} failed for a day. Fix it, then turn it back on in Workspace settings.`,
          link: "/settings",
          dedupeKey: endpointDisabledKey(delivery.endpoint_id),
          at: now,
        },
      ]);
    }
    return giveUp ? ("given_up" as const) : ("retry" as const);
  });
}

/**
 * A success in one statement (the common case, so a backlog drains at the speed of the
 * receiver): the delivery, its log line and the end of the endpoint's run of failures.
 */
async function recordSuccess(
  db: Database,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome,
  owner: string,
  now: Date,
): Promise<AttemptResult> {
  const at = now.toISOString();
  const [row] = await queryRows<{ owned: number }>(
    db,
    sql`with owned as (
          update webhook_delivery
             set status = 'delivered', delivered_at = ${at}::timestamptz,
                 lease_owner = null, lease_until = null,
                 last_status_code = ${outcome.statusCode}, last_latency_ms = ${outcome.latencyMs},
                 last_response = ${outcome.responseExcerpt}, last_error = null
           where id = ${delivery.id} and lease_owner = ${owner} and attempts = ${delivery.attempt}
          returning id, workspace_id, endpoint_id
        ), logged as (
          insert into webhook_attempt (workspace_id, delivery_id, endpoint_id, attempt,
                                       status_code, latency_ms, response_excerpt, at, worker)
          select workspace_id, id, endpoint_id, ${delivery.attempt}, ${outcome.statusCode},
                 ${outcome.latencyMs}, ${outcome.responseExcerpt}, ${at}::timestamptz, ${owner}
            from owned
        ), recovered as (
          update webhook_endpoint set failing_since = null
           where id in (select endpoint_id from owned) and failing_since is not null
        )
        select count(*)::int as owned from owned`,
  );
  return (row?.owned ?? 0) > 0 ? "delivered" : "lost_lease";
}
