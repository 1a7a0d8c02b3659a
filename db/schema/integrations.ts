import { sql } from "drizzle-orm";
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { organization, user } from "./auth";

// The public API's keys and the outgoing webhooks: endpoints, the outbox of events and the
// delivery attempts. Every table belongs to a workspace.

const workspaceId = () =>
  text("workspace_id")
    .notNull()
    .references(() => organization.id, { onDelete: "cascade" });
const tz = (name: string) => timestamp(name, { withTimezone: true });

/** A workspace API key. Only its SHA-256 is stored; the key is shown once, when created. */
export const apiKey = pgTable(
  "api_key",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    /** `read` or `write` (read and write). */
    scope: text("scope").notNull(),
    /** The first characters of the key, shown in the list so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdAt: tz("created_at").notNull().defaultNow(),
    lastUsedAt: tz("last_used_at"),
    revokedAt: tz("revoked_at"),
    /** The rate limit's fixed window, counted in the same statement that authenticates. */
    windowStartedAt: tz("window_started_at"),
    windowCount: integer("window_count").notNull().default(0),
  },
  (t) => [
    uniqueIndex("api_key_hash_uq").on(t.hash),
    index("api_key_workspace_idx").on(t.workspaceId),
  ],
);

/** A URL that receives the workspace's events, signed with its own secret. */
export const webhookEndpoint = pgTable(
  "webhook_endpoint",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    url: text("url").notNull(),
    description: text("description"),
    eventTypes: jsonb("event_types").$type<string[]>().notNull(),
    /** `whsec_…`, the Standard Webhooks secret. */
    secret: text("secret").notNull(),
    createdAt: tz("created_at").notNull().defaultNow(),
    disabledAt: tz("disabled_at"),
    disabledReason: text("disabled_reason"),
    /** Start of the current run of failures, cleared by a success. */
    failingSince: tz("failing_since"),
  },
  (t) => [index("webhook_endpoint_workspace_idx").on(t.workspaceId)],
);

/**
 * An event some endpoint of the workspace wants, written in the same transaction as the change
 * it describes, together with one delivery per endpoint. `id` is the `webhook-id` every delivery
 * of it carries. Nothing is written for a workspace whose endpoints do not want the event.
 */
export const outboxEvent = pgTable(
  "outbox_event",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    workspaceId: workspaceId(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    occurredAt: tz("occurred_at").notNull(),
  },
  (t) => [index("outbox_event_workspace_idx").on(t.workspaceId, t.occurredAt)],
);

/**
 * One event to one endpoint: the queue of attempts. A worker claims a due row with a lease
 * (FOR UPDATE SKIP LOCKED), posts it, and records the outcome of the attempt.
 */
export const webhookDelivery = pgTable(
  "webhook_delivery",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoint.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** pending → delivered / failed (given up). */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull(),
    leaseUntil: tz("lease_until"),
    leaseOwner: text("lease_owner"),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastResponse: text("last_response"),
    lastError: text("last_error"),
    createdAt: tz("created_at").notNull(),
    deliveredAt: tz("delivered_at"),
    /** Set for a replay: the delivery it repeats. */
    replayOf: text("replay_of"),
  },
  (t) => [
    index("webhook_delivery_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_delivery_endpoint_idx").on(t.endpointId, t.createdAt),
  ],
);

/** Every attempt at a delivery: the log shown per endpoint. */
export const webhookAttempt = pgTable(
  "webhook_attempt",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: workspaceId(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDelivery.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").notNull(),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
    at: tz("at").notNull(),
    worker: text("worker"),
  },
  (t) => [
    index("webhook_attempt_endpoint_idx").on(t.endpointId, t.at),
    uniqueIndex("webhook_attempt_once_uq").on(t.deliveryId, t.attempt),
  ],
);
