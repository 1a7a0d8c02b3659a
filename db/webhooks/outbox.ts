import "server-only";

import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../client";
import { EVENT_NOTIFICATIONS, notificationCtes } from "../notifications/outbox";
import type { WebhookEventType } from "./events";

// The outbox: an event is written in the same transaction as the change it describes, with a
// pending delivery for each enabled endpoint that subscribed to it. A crash after the commit
// loses nothing (the deliveries are rows), and a rollback sends nothing. The events worth telling
// people (a reply, a seat paused, credits, a campaign finished) make their notification in the
// same statement (db/notifications/outbox.ts).

/**
 * Common table expressions that write the events `source` selects — columns `workspace_id`,
 * `type`, `payload` (jsonb), `occurred_at` — and their deliveries. Splice them into a WITH list
 * (`with …, ${outboxCtes(source)} select …`) so they commit with the statement's own writes.
 */
export function outboxCtes(source: SQL): SQL {
  return sql`ob_source as (${source}),
    ob_event as (
      insert into outbox_event (id, workspace_id, type, payload, occurred_at)
      select gen_random_uuid()::text, s.workspace_id, s.type, s.payload, s.occurred_at
        from ob_source s
       where exists (select 1 from webhook_endpoint e
                      where e.workspace_id = s.workspace_id and e.disabled_at is null
                        and e.event_types @> jsonb_build_array(s.type))
      returning id, workspace_id, type
    ),
    ob_delivery as (
      insert into webhook_delivery
        (id, workspace_id, endpoint_id, event_id, event_type, next_attempt_at, created_at)
      select gen_random_uuid()::text, ev.workspace_id, e.id, ev.id, ev.type, now(), now()
        from ob_event ev
        join webhook_endpoint e on e.workspace_id = ev.workspace_id and e.disabled_at is null
                              and e.event_types @> jsonb_build_array(ev.type)
      returning id
    ),
    ${notificationCtes(EVENT_NOTIFICATIONS)}`;
}

export interface OutboxEventInput {
  workspaceId: string;
  type: WebhookEventType;
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** Writes events from TypeScript, inside the caller's transaction. */
export async function recordOutboxEvents(
  db: Pick<Database, "execute">,
  events: OutboxEventInput[],
): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((event) => ({
    workspace_id: event.workspaceId,
    type: event.type,
    payload: event.payload,
    occurred_at: event.occurredAt.toISOString(),
  }));
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with ${outboxCtes(
      sql`select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(workspace_id text,
            type text, payload jsonb, occurred_at timestamptz)`,
    )}
    select (select count(*)::int from ob_delivery) as n`,
  );
  return row?.n ?? 0;
}

/**
 * Sends deliveries again: one (by id) or every one of the endpoint created in a time range.
 * A replay is a new delivery of the same event, so it carries the same `webhook-id`.
 */
export async function replayDeliveries(
  db: Database,
  options: {
    workspaceId: string;
    endpointId: string;
    deliveryId?: string;
    from?: Date;
    to?: Date;
    limit: number;
    now?: Date;
  },
): Promise<number> {
  const now = (options.now ?? new Date()).toISOString();
  const filter = options.deliveryId
    ? sql`d.id = ${options.deliveryId}`
    : sql`d.created_at >= ${(options.from ?? new Date(0)).toISOString()}::timestamptz
          and d.created_at <= ${(options.to ?? new Date()).toISOString()}::timestamptz
          and d.replay_of is null`;
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with picked as (
          select d.event_id, d.event_type, d.id from webhook_delivery d
           where d.workspace_id = ${options.workspaceId} and d.endpoint_id = ${options.endpointId}
             and ${filter}
           order by d.created_at limit ${options.limit}
        ), replayed as (
          insert into webhook_delivery (id, workspace_id, endpoint_id, event_id, event_type,
                                        next_attempt_at, created_at, replay_of)
          select gen_random_uuid()::text, ${options.workspaceId}, ${options.endpointId},
                 p.event_id, p.event_type, ${now}::timestamptz, ${now}::timestamptz, p.id
            from picked p
          returning id
        )
        select count(*)::int as n from replayed`,
  );
  return row?.n ?? 0;
}
