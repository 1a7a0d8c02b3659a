import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { organization, user } from "./auth";

// Every table here belongs to a workspace (a better-auth organization) through workspace_id,
// and every query filters on it.

const workspaceId = () =>
  text("workspace_id")
    .notNull()
    .references(() => organization.id, { onDelete: "cascade" });
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const tz = (name: string) => timestamp(name, { withTimezone: true });

/** A plan's InMail credits, possibly shared by several seats. Balance = sum of the ledger. */
export const creditPool = pgTable(
  "credit_pool",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    plan: text("plan").notNull(),
    allowance: integer("allowance").notNull(),
    cap: integer("cap").notNull(),
    renewalDay: integer("renewal_day").notNull(),
    refundPolicy: jsonb("refund_policy").notNull(),
    // Kept in step with the ledger in the same transaction; the check makes a race that would
    // overdraw it fail instead.
    balance: integer("balance").notNull().default(0),
    /** The next instant the engine grants the allowance (start of the anchor day, UTC). */
    nextRenewalAt: tz("next_renewal_at"),
    /** Below this many credits the pool is low (`credits.low`); null: 10 % of the allowance. */
    lowThreshold: integer("low_threshold"),
    /** Set while the balance is below the low mark: `credits.low` is told once per such run. */
    lowSince: tz("low_since"),
    /** The renewal a forfeit was announced for (`credits.forfeit_upcoming`, once per renewal). */
    forfeitWarnedFor: tz("forfeit_warned_for"),
    createdAt: createdAt(),
  },
  (t) => [
    index("credit_pool_workspace_idx").on(t.workspaceId),
    index("credit_pool_renewal_idx").on(t.nextRenewalAt),
    check("credit_pool_balance_nonnegative", sql`${t.balance} >= 0`),
  ],
);

export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: workspaceId(),
    poolId: text("pool_id")
      .notNull()
      .references(() => creditPool.id, { onDelete: "cascade" }),
    at: tz("at").notNull(),
    type: text("type").notNull(),
    amount: integer("amount").notNull(),
    campaignId: text("campaign_id"),
    nodeId: text("node_id"),
    branch: text("branch"),
    enrollmentId: text("enrollment_id"),
    leadId: text("lead_id"),
    variant: text("variant"),
    actionId: text("action_id"),
    note: text("note"),
  },
  (t) => [
    index("credit_ledger_pool_idx").on(t.poolId, t.at),
    // Budgets and the budget panel read a campaign's spend per step and branch.
    index("credit_ledger_campaign_idx").on(t.campaignId, t.nodeId, t.branch),
    index("credit_ledger_action_idx").on(t.actionId),
  ],
);

/**
 * What each UTC day's ledger entries moved a pool's balance by, for the Credits page's history
 * without a sum over the whole ledger: kept by statement-level triggers on credit_ledger
 * (db/migrations/0025_pool_day_balance.sql) in the transaction of the write. `entries` counts
 * the day's ledger rows, so a day whose entries net to zero still has its point, and a day
 * whose entries are all deleted loses it.
 */
export const poolDayBalance = pgTable(
  "pool_day_balance",
  {
    workspaceId: workspaceId(),
    poolId: text("pool_id")
      .notNull()
      .references(() => creditPool.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    delta: integer("delta").notNull(),
    entries: integer("entries").notNull(),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.day] })],
);

/**
 * A refund owed for a paid InMail whose recipient replied in its thread within the window:
 * posted to the ledger once `due_at` has passed (the policy's delay). One per InMail.
 */
export const creditRefund = pgTable(
  "credit_refund",
  {
    actionId: text("action_id").primaryKey(),
    workspaceId: workspaceId(),
    poolId: text("pool_id")
      .notNull()
      .references(() => creditPool.id, { onDelete: "cascade" }),
    repliedAt: tz("replied_at").notNull(),
    dueAt: tz("due_at").notNull(),
    postedAt: tz("posted_at"),
  },
  (t) => [index("credit_refund_due_idx").on(t.dueAt).where(sql`${t.postedAt} is null`)],
);

/** A workspace's Unipile credentials. The API key is stored encrypted (AES-256-GCM). */
export const providerCredential = pgTable("provider_credential", {
  workspaceId: workspaceId().primaryKey(),
  provider: text("provider").notNull().default("unipile"),
  dsn: text("dsn").notNull(),
  apiKeyCiphertext: text("api_key_ciphertext").notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
  /** Set when Unipile refused the API key (401 on the key): the workspace banner shows it. */
  problem: text("problem"),
  problemAt: tz("problem_at"),
});

/** A hosted-auth link handed to a user to connect (or reconnect) a LinkedIn seat. */
export const accountConnection = pgTable(
  "account_connection",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    /** Set when the link reconnects an existing sender account. */
    accountId: text("account_id"),
    name: text("name").notNull(),
    providerAccountId: text("provider_account_id"),
    createdAt: createdAt(),
    completedAt: tz("completed_at"),
  },
  (t) => [index("account_connection_workspace_idx").on(t.workspaceId)],
);

/**
 * A lead's member id in one LinkedIn product (Sales Navigator `ACw…`, Recruiter `AE…`), as a
 * seat's profile lookup returned it: InMails through that product need that id.
 */
export const leadApiId = pgTable(
  "lead_api_id",
  {
    workspaceId: workspaceId(),
    accountId: text("account_id").notNull(),
    leadId: text("lead_id").notNull(),
    api: text("api").notNull(),
    providerId: text("provider_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.leadId, t.api] })],
);

/**
 * Something a campaign cannot do by itself: a step whose sends keep being refused as a bad
 * request. With hold_step, the step's leads wait until a person retries it.
 */
export const campaignAlert = pgTable(
  "campaign_alert",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    campaignId: text("campaign_id").notNull(),
    nodeId: text("node_id").notNull(),
    holdStep: boolean("hold_step").notNull().default(true),
    title: text("title").notNull(),
    detail: text("detail"),
    createdAt: createdAt(),
    resolvedAt: tz("resolved_at"),
  },
  (t) => [
    uniqueIndex("campaign_alert_open_uq")
      .on(t.campaignId, t.nodeId)
      .where(sql`${t.resolvedAt} is null`),
    index("campaign_alert_workspace_idx").on(t.workspaceId),
  ],
);

/**
 * A message to a workspace's people (admins only, or everyone): the notification centre's rows.
 * Written in the same transaction as the event it tells of; who has read it is in
 * `notification_read`, one row per (notification, user), so one message serves the whole
 * audience however many people it has.
 */
export const notification = pgTable(
  "notification",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    /** "admins" (owners and admins) or "all". */
    audience: text("audience").notNull().default("admins"),
    /** One of NOTIFICATION_KINDS (db/notifications/kinds.ts): what people choose channels for. */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    /** Where the notification leads in the app (a campaign, an account, the leads list). */
    link: text("link"),
    /** At most one open notification per key: a repeated problem is not repeated. */
    dedupeKey: text("dedupe_key"),
    createdAt: createdAt(),
    /** Closed for everyone: the problem it tells of is over (the column keeps its old name). */
    closedAt: tz("read_at"),
  },
  (t) => [
    index("notification_workspace_idx").on(t.workspaceId, t.createdAt),
    uniqueIndex("notification_unread_uq")
      .on(t.workspaceId, t.dedupeKey)
      .where(sql`${t.closedAt} is null`),
  ],
);

/** One person's read mark on one notification. */
export const notificationRead = pgTable(
  "notification_read",
  {
    notificationId: text("notification_id")
      .notNull()
      .references(() => notification.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    readAt: tz("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.notificationId, t.userId] })],
);

/** A person's channel for one kind in one workspace; no row means in the app only. */
export const notificationPreference = pgTable(
  "notification_preference",
  {
    workspaceId: workspaceId(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** `in_app`, `email` (in the app and by email) or `none`. */
    channel: text("channel").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId, t.kind] })],
);

/** The workspace's Slack incoming webhook and the kinds posted to it. */
export const notificationSlack = pgTable("notification_slack", {
  workspaceId: text("workspace_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  kinds: jsonb("kinds").$type<string[]>().notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

/**
 * One notification to one recipient on one channel (an email to a person, a post to the
 * workspace's Slack): written with the notification, claimed by a worker with a lease, retried
 * with backoff. The unique key makes a second delivery of one notification impossible.
 */
export const notificationDelivery = pgTable(
  "notification_delivery",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    notificationId: text("notification_id")
      .notNull()
      .references(() => notification.id, { onDelete: "cascade" }),
    /** `email` or `slack`. */
    channel: text("channel").notNull(),
    /** The user for an email; `workspace` for Slack. */
    recipient: text("recipient").notNull(),
    /**
     * pending → delivered / failed (given up) / skipped (nowhere to send it any more) / unknown
     * (a Slack post whose worker died during the call: not retried, as Slack cannot tell).
     */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull(),
    leaseUntil: tz("lease_until"),
    leaseOwner: text("lease_owner"),
    /** Written (committed) just before a Slack call, cleared with its outcome. */
    callStartedAt: tz("call_started_at"),
    lastError: text("last_error"),
    createdAt: tz("created_at").notNull(),
    deliveredAt: tz("delivered_at"),
  },
  (t) => [
    uniqueIndex("notification_delivery_once_uq").on(t.notificationId, t.channel, t.recipient),
    index("notification_delivery_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** One LinkedIn seat that campaigns send from. */
export const senderAccount = pgTable(
  "sender_account",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    /** Pacing settings (time zone, working hours, gaps, caps, warm-up) as parsed by zod. */
    pacing: jsonb("pacing").notNull(),
    /** Sandbox behaviour overrides for sandbox accounts. */
    sandbox: jsonb("sandbox"),
    status: text("status").notNull().default("active"),
    statusReason: text("status_reason"),
    coolingUntil: tz("cooling_until"),
    /** Unipile: the seat's inbox is read back from LinkedIn from this instant (after a connect). */
    inboxBackfillDueAt: tz("inbox_backfill_due_at"),
    /** When it was last paused (engine time): a long pause hands its leads over (rotation). */
    pausedAt: tz("paused_at"),
    /** The account's timeline: the earliest instant its next send may be planned at. */
    nextFreeAt: tz("next_free_at"),
    creditPoolId: text("credit_pool_id").references(() => creditPool.id, { onDelete: "set null" }),
    /**
     * The seat's LinkedIn plan (premium, sales_navigator, recruiter_lite,
     * recruiter_professional): which API its InMails go through and which counter they draw on.
     */
    linkedinPlan: text("linkedin_plan").notNull().default("premium"),
    createdAt: createdAt(),
  },
  (t) => [
    index("sender_account_workspace_idx").on(t.workspaceId),
    uniqueIndex("sender_account_provider_uq").on(t.provider, t.providerAccountId),
  ],
);

export const campaign = pgTable(
  "campaign",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    status: text("status").notNull().default("draft"),
    stopOnReply: boolean("stop_on_reply").notNull().default(true),
    /** An out-of-office reply counts as a reply (stops the lead) instead of pausing it. */
    outOfOfficeAsReply: boolean("out_of_office_as_reply").notNull().default(false),
    /** How long an out-of-office reply without a return date pauses the lead. */
    outOfOfficePauseDays: integer("out_of_office_pause_days").notNull().default(7),
    draftGraph: jsonb("draft_graph").notNull(),
    draftHash: text("draft_hash").notNull(),
    liveVersionId: text("live_version_id"),
    budgets: jsonb("budgets"),
    /** Share of a busy seat against other campaigns' sends of the same priority (1–10). */
    weight: integer("weight").notNull().default(1),
    /** Seed of every random draw the engine makes for this campaign. */
    seed: text("seed").notNull(),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("campaign_workspace_idx").on(t.workspaceId)],
);

export const campaignAccount = pgTable(
  "campaign_account",
  {
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaign.id, { onDelete: "cascade" }),
    accountId: text("account_id")
      .notNull()
      .references(() => senderAccount.id, { onDelete: "cascade" }),
    workspaceId: workspaceId(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.accountId] })],
);

/** An immutable published graph. Enrollments are pinned to one. */
export const workflowVersion = pgTable(
  "workflow_version",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaign.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    graph: jsonb("graph").notNull(),
    hash: text("hash").notNull(),
    publishedAt: createdAt(),
  },
  (t) => [uniqueIndex("workflow_version_campaign_uq").on(t.campaignId, t.version)],
);

export const lead = pgTable(
  "lead",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    publicIdentifier: text("public_identifier").notNull(),
    providerId: text("provider_id"),
    firstName: text("first_name").notNull().default(""),
    lastName: text("last_name").notNull().default(""),
    company: text("company").notNull().default(""),
    title: text("title").notNull().default(""),
    custom: jsonb("custom").notNull().default({}),
    /** The last profile read: network distance, premium, open profile, can receive InMail. */
    profile: jsonb("profile"),
    createdAt: createdAt(),
    /**
     * When the newest action to this lead was recorded, and when it first replied: what the lead
     * list shows of each lead without a lookup per lead. Kept by triggers on action and
     * inbound_event in the transaction of each insert (db/migrations/0024_lead_activity.sql).
     */
    lastActionAt: tz("last_action_at"),
    repliedAt: tz("replied_at"),
  },
  (t) => [
    uniqueIndex("lead_workspace_identifier_uq").on(t.workspaceId, t.publicIdentifier),
    // The lead list's order (newest first, then A to Z): a page is a short range of it.
    index("lead_workspace_created_idx").on(t.workspaceId, t.createdAt.desc(), t.publicIdentifier),
  ],
);

/**
 * How many leads each workspace holds, for the lead list's total without a count over the leads:
 * kept by statement-level triggers on lead (db/migrations/0017_lead_counter.sql) in the
 * transaction of the write. Each connection adds to its own `shard` (its backend pid), so two
 * imports never wait on the same row; the figure is the sum over shards, which compaction
 * (compactLeadCounters) folds into shard 0.
 */
export const leadCounter = pgTable(
  "lead_counter",
  {
    workspaceId: workspaceId(),
    shard: integer("shard").notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.shard] })],
);

export const blocklistEntry = pgTable(
  "blocklist_entry",
  {
    workspaceId: workspaceId(),
    publicIdentifier: text("public_identifier").notNull(),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.publicIdentifier] })],
);

/**
 * One lead in one campaign: the engine's queue row. Due rows (`next_run_at <= now`, no live
 * lease) are claimed with FOR UPDATE SKIP LOCKED.
 */
export const enrollment = pgTable(
  "enrollment",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaign.id, { onDelete: "cascade" }),
    leadId: text("lead_id")
      .notNull()
      .references(() => lead.id, { onDelete: "cascade" }),
    versionId: text("version_id")
      .notNull()
      .references(() => workflowVersion.id),
    accountId: text("account_id")
      .notNull()
      .references(() => senderAccount.id),
    nodeId: text("node_id").notNull(),
    /** Increases each time the lead moves: part of every action's idempotency key. */
    stepSeq: integer("step_seq").notNull().default(0),
    /** active (queued or waiting), done, failed, removed. */
    state: text("state").notNull().default("active"),
    nextRunAt: tz("next_run_at").notNull(),
    /**
     * Breaks ties between leads due at the same instant: the lead's public identifier, copied
     * here so the claim sorts on one indexed table and the same seed replays the same order.
     */
    queueKey: text("queue_key").notNull().default(""),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: tz("lease_expires_at"),
    /** The condition exits taken so far, as a branch key. */
    branch: text("branch").notNull().default(""),
    /** Per-step stored state: the wait's end, the send's drawn time, so retries never re-roll. */
    stepState: jsonb("step_state"),
    outcome: text("outcome"),
    reason: text("reason"),
    attempts: integer("attempts").notNull().default(0),
    enrolledAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("enrollment_campaign_lead_uq").on(t.campaignId, t.leadId),
    index("enrollment_due_idx").on(t.nextRunAt, t.queueKey).where(sql`${t.state} = 'active'`),
    // One seat's queue in the engine's order: "queued behind N sends" reads a lead's place in
    // it, and the seat's share of the due leads is one range of it.
    index("enrollment_seat_queue_idx")
      .on(t.accountId, t.nextRunAt, t.queueKey, t.id)
      .where(sql`${t.state} = 'active'`),
    index("enrollment_lead_idx").on(t.leadId),
    // The dashboard's counts of leads per step of a campaign.
    index("enrollment_campaign_node_idx").on(t.workspaceId, t.campaignId, t.nodeId, t.state),
  ],
);

/** The append-only history of an enrollment: every node entered and exit taken. */
export const enrollmentStep = pgTable(
  "enrollment_step",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: workspaceId(),
    enrollmentId: text("enrollment_id")
      .notNull()
      .references(() => enrollment.id, { onDelete: "cascade" }),
    at: tz("at").notNull(),
    nodeId: text("node_id").notNull(),
    exit: text("exit"),
    toNodeId: text("to_node_id"),
    branch: text("branch").notNull(),
    note: text("note"),
  },
  (t) => [index("enrollment_step_enrollment_idx").on(t.enrollmentId, t.id)],
);

/** One attempt at a side effect. Written as `intent` before the provider is called. */
export const action = pgTable(
  "action",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    enrollmentId: text("enrollment_id")
      .notNull()
      .references(() => enrollment.id, { onDelete: "cascade" }),
    campaignId: text("campaign_id").notNull(),
    leadId: text("lead_id").notNull(),
    accountId: text("account_id").notNull(),
    nodeId: text("node_id").notNull(),
    kind: text("kind").notNull(),
    /** A note, a message or an InMail: replies are counted from actions with text. */
    hasText: boolean("has_text").notNull().default(false),
    branch: text("branch").notNull(),
    variant: text("variant"),
    /** intent → sent / not_sent / failed / skipped. */
    status: text("status").notNull(),
    reason: text("reason"),
    credits: integer("credits").notNull().default(0),
    /** The local date whose usage counters hold this action's cap slot. */
    localDate: date("local_date", { mode: "string" }).notNull(),
    reference: text("reference"),
    chatId: text("chat_id"),
    error: text("error"),
    createdAt: tz("created_at").notNull(),
    sentAt: tz("sent_at"),
    /**
     * For an invitation: its withdrawal, `intent` (recorded before LinkedIn is asked, so a
     * crash never loses or repeats one), then `withdrawn` or `refused` (it was no longer
     * pending). Null: never withdrawn.
     */
    withdrawal: text("withdrawal"),
    /** When the withdrawal was asked for: the seat's per-day withdrawal cap counts these. */
    withdrawalAt: tz("withdrawal_at"),
    /**
     * For an invitation: when its lead accepted one from this seat (the earliest `accepted`
     * event of the lead on the seat), whichever came first, the acceptance or this row. Kept
     * by the database (db/migrations/0023_accepted_invitations.sql), so an accepted invitation
     * leaves action_pending_invitation_idx. Null: not accepted.
     */
    acceptedAt: tz("accepted_at"),
  },
  (t) => [
    index("action_enrollment_idx").on(t.enrollmentId),
    // The seat's invitations still pending, oldest first: withdrawals and the pending ceiling
    // (pendingInvitationSql), an accepted one leaving it with its row.
    index("action_pending_invitation_idx")
      .on(t.accountId, t.sentAt)
      .where(
        sql`${t.kind} = 'connect' and ${t.status} in ('intent', 'sent') and ${t.withdrawal} is null and ${t.acceptedAt} is null`,
      ),
    index("action_withdrawal_idx")
      .on(t.accountId, t.withdrawalAt)
      .where(sql`${t.withdrawal} is not null`),
    index("action_campaign_idx").on(t.campaignId, t.createdAt),
    index("action_account_idx").on(t.accountId, t.createdAt),
    // A lead's actions in time order: its latest (the lead list) is the first entry read back.
    index("action_lead_idx").on(t.leadId, t.createdAt),
    index("action_intent_idx").on(t.status).where(sql`${t.status} = 'intent'`),
  ],
);

/** Something LinkedIn told us (reply, acceptance, account status), stored before processing. */
export const inboundEvent = pgTable(
  "inbound_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: text("workspace_id"),
    provider: text("provider").notNull(),
    externalId: text("external_id").notNull(),
    type: text("type").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    accountId: text("account_id"),
    leadId: text("lead_id"),
    chatId: text("chat_id"),
    occurredAt: tz("occurred_at").notNull(),
    receivedAt: tz("received_at").notNull(),
    processedAt: tz("processed_at"),
    payload: jsonb("payload"),
  },
  (t) => [
    // Event ids come from each workspace's own Unipile instance: unique per workspace and seat.
    uniqueIndex("inbound_event_external_uq").on(
      t.provider,
      t.workspaceId,
      t.providerAccountId,
      t.externalId,
    ),
    index("inbound_event_lead_idx").on(t.leadId, t.type),
    // Whether a lead accepted a seat's invitation: an invitation's acceptedAt when it is written.
    index("inbound_event_accepted_idx")
      .on(t.leadId, t.accountId)
      .where(sql`${t.type} = 'accepted'`),
    index("inbound_event_unprocessed_idx").on(t.id).where(sql`${t.processedAt} is null`),
  ],
);

/** (account, local date, kind) → used: the unit of cap enforcement across all workers. */
export const usageCounter = pgTable(
  "usage_counter",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => senderAccount.id, { onDelete: "cascade" }),
    localDate: date("local_date", { mode: "string" }).notNull(),
    kind: text("kind").notNull(),
    used: integer("used").notNull().default(0),
    /** Leads turned away by a full cap and promised a place on this date. */
    booked: integer("booked").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.localDate, t.kind] })],
);

// The sandbox world's own memory, so that it survives restarts and is shared by processes.

export const sandboxReceived = pgTable(
  "sandbox_received",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    leadPublicIdentifier: text("lead_public_identifier").notNull(),
    kind: text("kind").notNull(),
    at: tz("at").notNull(),
    record: jsonb("record").notNull(),
  },
  (t) => [
    uniqueIndex("sandbox_received_key_uq").on(t.idempotencyKey),
    index("sandbox_received_person_idx").on(t.providerAccountId, t.leadPublicIdentifier),
  ],
);

export const sandboxEvent = pgTable(
  "sandbox_event",
  {
    externalId: text("external_id").primaryKey(),
    type: text("type").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    leadPublicIdentifier: text("lead_public_identifier").notNull(),
    chatId: text("chat_id"),
    occurredAt: tz("occurred_at").notNull(),
    deliveredAt: tz("delivered_at"),
    event: jsonb("event").notNull(),
  },
  (t) => [
    index("sandbox_event_due_idx").on(t.occurredAt).where(sql`${t.deliveredAt} is null`),
    index("sandbox_event_person_idx").on(t.providerAccountId, t.leadPublicIdentifier),
  ],
);

export const sandboxAccountState = pgTable("sandbox_account_state", {
  providerAccountId: text("provider_account_id").primaryKey(),
  state: jsonb("state").notNull(),
});

// The campaign dashboard's figures, kept by the database itself: triggers on enrollment,
// enrollment_step, action and inbound_event (db/migrations/0011_dashboard_counter_triggers.sql)
// keep them in the same transaction as every write that moves a lead, settles an action or
// records an acceptance or a reply, whichever code path makes it.

/**
 * Additive counters per campaign: `at` (node␟state → enrollments standing there), `exit`
 * (node␟exit → history rows leaving by it), `sent` (local date␟kind → sent actions), `event`
 * (date␟accepted|replied → events from the campaign's leads), `funnel` (stage → leads) and
 * `variant` (node␟variant␟drawn|sent|converted → leads). Each database connection adds to its
 * own `shard` (its backend pid), so concurrent transactions never wait on the same row; a
 * figure is the sum over shards.
 */
export const campaignCounter = pgTable(
  "campaign_counter",
  {
    workspaceId: text("workspace_id").notNull(),
    campaignId: text("campaign_id").notNull(),
    metric: text("metric").notNull(),
    key: text("key").notNull(),
    shard: integer("shard").notNull(),
    n: bigint("n", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.metric, t.key, t.shard] })],
);

/**
 * What one enrollment adds to its campaign's `funnel` (bits: visited 1, invited 2, accepted 4,
 * messaged 8, texted 16, replied 32) and `variant` counters (node␟variant␟flags, flags: drawn
 * 1, sent 2, converted 4), so a change is applied as the difference with what it added before.
 */
export const enrollmentTally = pgTable("enrollment_tally", {
  enrollmentId: text("enrollment_id").primaryKey(),
  campaignId: text("campaign_id").notNull(),
  funnel: integer("funnel").notNull().default(0),
  variants: text("variants").array().notNull().default(sql`'{}'::text[]`),
});
