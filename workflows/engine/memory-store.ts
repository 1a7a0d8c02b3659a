/**
 * The engine's store port in memory: the same tables the database keeps (accounts, pools and
 * their ledger, campaigns, leads, enrollments with their history, actions, usage counters,
 * inbound events, owed refunds), and the same flush, decided by the same reservation rules
 * (reserve.ts). One process, one worker: what the database does with locks is here the order
 * of calls. It runs forecasts and `outflow simulate` a hundred times faster than an embedded
 * database, and the engine's decision tests without one.
 */
import { type CampaignBudgets, parseBudgets } from "../credits/budgets";
import { creditPoolForPlan, type PlanId, type RefundPolicy } from "../credits/index";
import { creditsUsedDelta } from "../credits/ledger";
import { nextRenewal, renewalSplit } from "../credits/renewal";
import type { Graph } from "../graph/index";
import { freezeVersion } from "../graph/index";
import type { InboundEvent, ProfileSnapshot } from "../providers/types";
import { OUT_OF_OFFICE_PAUSE_DAYS, readInboundEvent } from "../replies/index";
import { MemoryInvitations } from "./memory-invitations";
import {
  type PacingSettings,
  type PacingSettingsInput,
  PacingSettingsSchema,
} from "./pacing/settings";
import {
  type EngineStore,
  type EnrollmentContext,
  eventsKey,
  type FlushRequest,
  type FlushResult,
  NOT_DELIVERED_RECONCILED,
  type ReserveRequest,
  type ReserveResult,
  type SeatMove,
  type StepState,
  type StoredAction,
  type StoredEvent,
  type StoreOpResult,
  type Transition,
} from "./ports";
import {
  DEFAULT_WEIGHT,
  type QueuedSend,
  type QueueTags,
  queuedPlace,
  queueHeads,
  tagsOfQueue,
  takeQueueTag,
} from "./priority";
import {
  type BudgetUse,
  decideReservation,
  type ReservationAccount,
  type ReservationState,
} from "./reserve";
import {
  enrolmentSlots,
  firstSendKind,
  handoverReason,
  planHandover,
  type RotationSeat,
  seatHealthOf,
  seatMoveNote,
} from "./rotation";
import { SAFETY_WINDOWS, type SafetyCounts } from "./safety";
import { WITHDRAWAL_CHECK_MS } from "./withdrawals";

export interface MemoryAccount {
  id: string;
  workspaceId: string;
  name: string;
  provider: string;
  providerAccountId: string;
  pacing: PacingSettings;
  creditPoolId: string | null;
  status: string;
  statusReason: string | null;
  coolingUntil: Date | null;
  /** When it was last paused (engine time). */
  pausedAt: Date | null;
  nextFreeAt: Date | null;
}

export interface MemoryPool {
  id: string;
  workspaceId: string;
  plan: PlanId;
  allowance: number;
  cap: number;
  renewalDay: number;
  refundPolicy: RefundPolicy;
  balance: number;
  nextRenewalAt: Date | null;
}

export interface MemoryLedgerEntry {
  id: number;
  workspaceId: string;
  poolId: string;
  at: Date;
  type: "grant" | "spend" | "refund" | "adjustment" | "forfeit";
  amount: number;
  campaignId: string | null;
  nodeId: string | null;
  branch: string | null;
  enrollmentId: string | null;
  leadId: string | null;
  variant: string | null;
  actionId: string | null;
  note: string | null;
}

export interface MemoryCampaign {
  id: string;
  workspaceId: string;
  seed: string;
  stopOnReply: boolean;
  budgets: CampaignBudgets | null;
  /** Share of a busy seat against other campaigns of the same priority. */
  weight: number;
  status: "draft" | "running" | "paused";
  graph: Graph;
  accountIds: string[];
}

export interface MemoryLead {
  id: string;
  workspaceId: string;
  publicIdentifier: string;
  providerId: string | null;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  custom: Record<string, string>;
  profile: ProfileSnapshot | null;
}

export interface MemoryEnrollment {
  id: string;
  workspaceId: string;
  campaignId: string;
  leadId: string;
  accountId: string;
  nodeId: string;
  stepSeq: number;
  branch: string;
  stepState: StepState | null;
  state: "active" | "done" | "failed";
  outcome: string | null;
  reason: string | null;
  nextRunAt: Date;
  queueKey: string;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  attempts: number;
  enrolledAt: Date;
  updatedAt: Date;
}

export interface MemoryHistoryLine {
  enrollmentId: string;
  at: Date;
  nodeId: string;
  exit: string | null;
  toNodeId: string | null;
  branch: string;
  note: string | null;
}

export interface MemoryAction extends StoredAction {
  workspaceId: string;
  enrollmentId: string;
  campaignId: string;
  leadId: string;
  accountId: string;
  branch: string;
  variant: string | null;
  localDate: string;
  reference: string | null;
  error: string | null;
  /** An invitation's withdrawal: intent, withdrawn or refused (memory-invitations.ts). */
  withdrawal?: string | null;
  withdrawalAt?: Date | null;
}

export interface MemoryInboundEvent {
  id: number;
  workspaceId: string;
  provider: string;
  externalId: string;
  type: string;
  accountId: string;
  leadId: string | null;
  chatId: string | null;
  occurredAt: Date;
  receivedAt: Date;
}

interface Counter {
  used: number;
  booked: number;
}

const counterKey = (accountId: string, date: string, kind: string) =>
  `${accountId}|${date}|${kind}`;

const DAY_MS = 86_400_000;

/** Account statuses an account_status event moves to (as db/engine/events.ts). */
const ACCOUNT_STATUS: Record<string, string> = {
  OK: "active",
  RECONNECTED: "active",
  CREATION_SUCCESS: "active",
  SYNC_SUCCESS: "active",
  CREDENTIALS: "needs_reconnect",
  ERROR: "needs_reconnect",
  STOPPED: "needs_reconnect",
  DELETED: "needs_reconnect",
};

function cmp(a: string, b: string) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows of one in-memory workspace, and the engine store over them. */
export class MemoryEngineDatabase {
  readonly accounts = new Map<string, MemoryAccount>();
  readonly pools = new Map<string, MemoryPool>();
  readonly ledger: MemoryLedgerEntry[] = [];
  readonly campaigns = new Map<string, MemoryCampaign>();
  readonly leads = new Map<string, MemoryLead>();
  readonly enrollments = new Map<string, MemoryEnrollment>();
  readonly history: MemoryHistoryLine[] = [];
  readonly actions = new Map<string, MemoryAction>();
  readonly inbound: MemoryInboundEvent[] = [];
  /** Owed refunds by InMail action. */
  readonly refunds = new Map<
    string,
    { poolId: string; workspaceId: string; repliedAt: Date; dueAt: Date; postedAt: Date | null }
  >();
  private readonly counters = new Map<string, Counter>();
  private readonly actionsByEnrollment = new Map<string, MemoryAction[]>();
  private readonly actionsByAccount = new Map<string, MemoryAction[]>();
  private readonly eventsByPair = new Map<string, StoredEvent[]>();
  private readonly acceptedPairs = new Set<string>();
  private readonly externalIds = new Set<string>();
  private readonly leadByIdentity = new Map<string, string>();
  /** Enrollments still active: the only ones a claim or a wake-up looks at. */
  private readonly active = new Set<MemoryEnrollment>();
  private readonly enrollmentsByLead = new Map<string, MemoryEnrollment[]>();
  /** Seat and lead pairs with an event from the lead (eventsKey). */
  private readonly heardFrom = new Set<string>();
  /** Each action's spend line, if it took credits. */
  private readonly spends = new Map<string, MemoryLedgerEntry>();
  private sequence = 0;
  /** The seats' pending invitations and withdrawals (memory-invitations.ts). */
  readonly invitations = new MemoryInvitations({
    seats: () => this.accounts.values(),
    actionsOf: (accountId) => this.actionsByAccount.get(accountId) ?? [],
    accepted: (accountId, leadId) => this.acceptedPairs.has(eventsKey(accountId, leadId)),
    action: (actionId) => this.actions.get(actionId),
    wake: (enrollmentId, at) => {
      const e = this.enrollments.get(enrollmentId);
      if (
        e &&
        e.state === "active" &&
        e.nextRunAt.getTime() > at.getTime() &&
        (e.leaseExpiresAt === null || e.leaseExpiresAt.getTime() < at.getTime())
      ) {
        e.nextRunAt = at;
      }
    },
  });

  /** Ids that depend only on the order of creation, so a run replays exactly. */
  newId(prefix: string): string {
    this.sequence++;
    return `${prefix}-${this.sequence.toString(36).padStart(6, "0")}`;
  }

  // ── Setting up (what db/queries/launch.ts does for a workspace) ──

  createPool(
    workspaceId: string,
    input: {
      plan: PlanId;
      renewalDay: number;
      balance: number;
      at: Date;
      refundPolicy?: RefundPolicy;
      allowance?: number;
      cap?: number;
    },
  ): string {
    const settings = creditPoolForPlan(input.plan, {
      renewalAnchorDay: input.renewalDay,
      ...(input.refundPolicy ? { refundPolicy: input.refundPolicy } : {}),
      ...(input.allowance !== undefined ? { allowancePerMonth: input.allowance } : {}),
      ...(input.cap !== undefined ? { cap: input.cap } : {}),
    });
    const id = this.newId("pool");
    this.pools.set(id, {
      id,
      workspaceId,
      plan: input.plan,
      allowance: settings.allowancePerMonth,
      cap: settings.cap,
      renewalDay: settings.renewalAnchorDay,
      refundPolicy: settings.refundPolicy,
      balance: input.balance,
      nextRenewalAt: nextRenewal(settings, input.at),
    });
    if (input.balance > 0) {
      this.addLedger({
        workspaceId,
        poolId: id,
        at: input.at,
        type: "adjustment",
        amount: input.balance,
        note: "opening balance",
      });
    }
    return id;
  }

  createAccount(
    workspaceId: string,
    input: {
      name: string;
      provider: string;
      providerAccountId: string;
      pacing: PacingSettingsInput;
      creditPoolId?: string | null;
      /** Where its timeline stands (the database's next_free_at). */
      nextFreeAt?: Date | null;
    },
  ): string {
    const id = this.newId("account");
    this.accounts.set(id, {
      id,
      workspaceId,
      name: input.name,
      provider: input.provider,
      providerAccountId: input.providerAccountId,
      pacing: PacingSettingsSchema.parse(input.pacing),
      creditPoolId: input.creditPoolId ?? null,
      status: "active",
      statusReason: null,
      coolingUntil: null,
      pausedAt: null,
      nextFreeAt: input.nextFreeAt ?? null,
    });
    return id;
  }

  /** Sets a usage counter, e.g. what a seat already sent today before a forecast begins. */
  setUsage(accountId: string, localDate: string, kind: string, used: number, booked = 0) {
    this.counters.set(counterKey(accountId, localDate, kind), { used, booked });
  }

  async createCampaign(
    workspaceId: string,
    input: {
      graph: unknown;
      accountIds: string[];
      seed: string;
      stopOnReply?: boolean;
      budgets?: unknown;
      weight?: number;
    },
  ): Promise<string> {
    const frozen = await freezeVersion(input.graph);
    if (!frozen.ok) {
      throw new Error(
        `The workflow cannot be published: ${frozen.validation.errors.map((d) => d.message).join("; ")}`,
      );
    }
    const id = this.newId("campaign");
    this.campaigns.set(id, {
      id,
      workspaceId,
      seed: input.seed,
      stopOnReply: input.stopOnReply ?? true,
      budgets: parseBudgets(input.budgets ?? null),
      weight: input.weight ?? DEFAULT_WEIGHT,
      status: "running",
      graph: frozen.version.graph as Graph,
      accountIds: [...input.accountIds],
    });
    return id;
  }

  addLead(
    workspaceId: string,
    input: {
      publicIdentifier: string;
      firstName?: string;
      lastName?: string;
      company?: string;
      title?: string;
      custom?: Record<string, string>;
      providerId?: string | null;
      profile?: ProfileSnapshot | null;
    },
  ): string {
    const known = this.leadByIdentity.get(`${workspaceId}|${input.publicIdentifier}`);
    if (known) return known;
    const id = this.newId("lead");
    this.leads.set(id, {
      id,
      workspaceId,
      publicIdentifier: input.publicIdentifier,
      providerId: input.providerId ?? null,
      firstName: input.firstName ?? "",
      lastName: input.lastName ?? "",
      company: input.company ?? "",
      title: input.title ?? "",
      custom: input.custom ?? {},
      profile: input.profile ?? null,
    });
    this.leadByIdentity.set(`${workspaceId}|${input.publicIdentifier}`, id);
    if (input.providerId) this.leadByIdentity.set(`${workspaceId}|#${input.providerId}`, id);
    return id;
  }

  /**
   * Enrolls leads at the campaign's start step, each on the seat with the most room (as
   * db/queries/launch.ts enrollLeads: seats by name, the same plan).
   */
  enroll(campaignId: string, leadIds: string[], now: Date): string[] {
    const campaign = this.campaigns.get(campaignId);
    if (!campaign) throw new Error("no such campaign");
    const start = campaign.graph.nodes.find((n) => n.kind === "start");
    const seats = this.rotationSeats(campaign);
    if (!start || seats.length === 0) throw new Error("The campaign cannot run.");
    const plan = { kind: firstSendKind(campaign.graph), now };
    const slots = enrolmentSlots(leadIds.length, seats, plan);
    return leadIds.map((leadId, index) => {
      const lead = this.leads.get(leadId)!;
      const id = this.newId("enrollment");
      const row: MemoryEnrollment = {
        id,
        workspaceId: campaign.workspaceId,
        campaignId,
        leadId,
        accountId: slots[index]!,
        nodeId: start.id,
        stepSeq: 0,
        branch: "",
        stepState: null,
        state: "active",
        outcome: null,
        reason: null,
        nextRunAt: now,
        queueKey: lead.publicIdentifier,
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: 0,
        enrolledAt: now,
        updatedAt: now,
      };
      this.enrollments.set(id, row);
      this.active.add(row);
      this.enrollmentsByLead.set(leadId, [...(this.enrollmentsByLead.get(leadId) ?? []), row]);
      return id;
    });
  }

  // ── Events (what db/engine/events.ts does with a webhook) ──

  ingestEvent(provider: string, event: InboundEvent, receivedAt: Date) {
    const account = [...this.accounts.values()].find(
      (a) => a.provider === provider && a.providerAccountId === event.providerAccountId,
    );
    if (!account) return "unknown_account" as const;
    let leadId: string | null = null;
    if (event.leadProviderId)
      leadId = this.leadByIdentity.get(`${account.workspaceId}|#${event.leadProviderId}`) ?? null;
    if (!leadId && event.leadPublicIdentifier)
      leadId =
        this.leadByIdentity.get(`${account.workspaceId}|${event.leadPublicIdentifier}`) ?? null;
    const unique = `${provider}|${event.externalId}`;
    if (this.externalIds.has(unique)) return "duplicate" as const;
    this.externalIds.add(unique);
    // Read as the database's intake reads it: an out-of-office reply is not a reply, and a
    // request to stop ends every campaign for the person.
    const { classification: category, type } = readInboundEvent(event);
    if (leadId) this.heardFrom.add(eventsKey(account.id, leadId));
    this.inbound.push({
      id: this.inbound.length + 1,
      workspaceId: account.workspaceId,
      provider,
      externalId: event.externalId,
      type,
      accountId: account.id,
      leadId,
      chatId: event.chatId ?? null,
      occurredAt: event.occurredAt,
      receivedAt,
    });
    if (event.type === "account_status" && event.accountStatus) {
      const status = ACCOUNT_STATUS[event.accountStatus];
      const from = status === "active" ? ["needs_reconnect"] : ["active", "cooling_down"];
      if (status && from.includes(account.status)) {
        account.status = status;
        account.statusReason = `LinkedIn status ${event.accountStatus}`;
      }
    } else if (leadId && type === "out_of_office") {
      this.pauseForOutOfOffice(account.id, leadId, category?.returnDate ?? null, receivedAt);
    } else if (leadId) {
      if (category?.category === "unsubscribe") this.endForUnsubscribe(leadId, receivedAt);
      if (event.type === "accepted" || event.type === "replied") {
        const key = eventsKey(account.id, leadId);
        const list = this.eventsByPair.get(key) ?? [];
        const stored = {
          type: event.type,
          occurredAt: event.occurredAt,
          chatId: event.chatId ?? null,
        };
        // Kept by occurrence, then arrival (the database orders by occurred_at, id).
        let at = list.length;
        while (at > 0 && list[at - 1]!.occurredAt.getTime() > stored.occurredAt.getTime()) at--;
        list.splice(at, 0, stored);
        this.eventsByPair.set(key, list);
        if (event.type === "accepted") this.acceptedPairs.add(key);
      }
      if (event.type === "replied" && event.chatId)
        this.oweRefundForReply(account.id, leadId, event);
      for (const e of this.enrollmentsByLead.get(leadId) ?? []) {
        if (
          e.accountId === account.id &&
          e.state === "active" &&
          e.nextRunAt.getTime() > receivedAt.getTime() &&
          (e.leaseExpiresAt === null || e.leaseExpiresAt.getTime() < receivedAt.getTime())
        ) {
          e.nextRunAt = receivedAt;
        }
      }
    }
    return "stored" as const;
  }

  /** Gives back the place an enrollment booked under a full day's caps, if it holds one. */
  private releaseBookedPlace(e: MemoryEnrollment) {
    const booked = e.stepState?.bookedDate;
    if (!booked) return;
    this.moveCounter(e.accountId, booked, e.stepState?.bookedKind ?? "", 0, -1);
    this.moveCounter(e.accountId, booked, "total", 0, -1);
    this.setBooking(e.id, null);
  }

  /** As db/inbox/effects.ts: the lead's sequences on this seat sleep until the return date. */
  private pauseForOutOfOffice(
    accountId: string,
    leadId: string,
    returnDate: string | null,
    at: Date,
  ) {
    const until = returnDate
      ? new Date(`${returnDate}T00:00:00Z`)
      : new Date(at.getTime() + OUT_OF_OFFICE_PAUSE_DAYS * DAY_MS);
    for (const e of this.enrollmentsByLead.get(leadId) ?? []) {
      if (e.accountId !== accountId || e.state !== "active") continue;
      this.releaseBookedPlace(e);
      if (until.getTime() > e.nextRunAt.getTime()) e.nextRunAt = until;
      e.leaseOwner = null;
      e.leaseExpiresAt = null;
      e.updatedAt = at;
    }
  }

  /** As db/inbox/effects.ts: every campaign of the workspace stops for the person. */
  private endForUnsubscribe(leadId: string, at: Date) {
    for (const e of this.enrollmentsByLead.get(leadId) ?? []) {
      if (e.state !== "active") continue;
      this.releaseBookedPlace(e);
      e.state = "done";
      e.outcome = "unsubscribed";
      e.reason = "asked to stop";
      e.leaseOwner = null;
      e.leaseExpiresAt = null;
      e.updatedAt = at;
      this.active.delete(e);
      this.history.push({
        enrollmentId: e.id,
        at,
        nodeId: e.nodeId,
        exit: null,
        toNodeId: null,
        branch: e.branch,
        note: "asked to stop",
      });
    }
  }

  private oweRefundForReply(accountId: string, leadId: string, event: InboundEvent) {
    const at = event.occurredAt.getTime();
    for (const a of this.actionsByAccount.get(accountId) ?? []) {
      if (
        a.leadId !== leadId ||
        a.kind !== "inmail" ||
        a.status !== "sent" ||
        a.credits <= 0 ||
        a.chatId !== event.chatId ||
        this.refunds.has(a.id) ||
        !a.sentAt
      )
        continue;
      const spend = this.spends.get(a.id);
      const pool = spend ? this.pools.get(spend.poolId) : undefined;
      if (!spend || !pool || pool.refundPolicy.type !== "on_reply") continue;
      const windowDays = pool.refundPolicy.windowDays ?? 90;
      const delayDays = pool.refundPolicy.delayDays ?? 1;
      if (!(a.sentAt.getTime() < at && at <= a.sentAt.getTime() + windowDays * DAY_MS)) continue;
      this.refunds.set(a.id, {
        poolId: pool.id,
        workspaceId: a.workspaceId,
        repliedAt: event.occurredAt,
        dueAt: new Date(at + delayDays * DAY_MS),
        postedAt: null,
      });
    }
  }

  /** The head of each seat's queue among leads of running campaigns (engine/priority.ts). */
  private queueHeads() {
    return queueHeads(this.queued());
  }

  /** Every queued send, with its seat and campaign. */
  queued() {
    const queued: Array<QueuedSend & { accountId: string; campaignId: string }> = [];
    for (const e of this.active) {
      const place = queuedPlace(e.stepState, e.stepSeq);
      if (!place || this.campaigns.get(e.campaignId)?.status !== "running") continue;
      queued.push({
        id: e.id,
        accountId: e.accountId,
        campaignId: e.campaignId,
        queueKey: e.queueKey,
        ...place,
      });
    }
    return queued;
  }

  /**
   * The next instant the engine has work: a due enrollment, a renewal, a refund, or an
   * invitation to withdraw (after `now`, the instant the engine last ran at).
   */
  nextWakeUp(now: Date): Date | null {
    let next = Number.POSITIVE_INFINITY;
    const heads = this.queueHeads();
    for (const e of this.active) {
      const campaign = this.campaigns.get(e.campaignId);
      const account = this.accounts.get(e.accountId);
      if (campaign?.status !== "running" || !account) continue;
      if (account.status !== "active" && account.status !== "cooling_down") continue;
      // A queued lead wakes only at the head of its seat's queue, once the seat is free.
      const queued = queuedPlace(e.stepState, e.stepSeq) !== null;
      if (queued && heads.get(e.accountId)?.id !== e.id) continue;
      const at = Math.max(
        e.nextRunAt.getTime(),
        account.coolingUntil?.getTime() ?? 0,
        e.leaseExpiresAt?.getTime() ?? 0,
        queued ? (account.nextFreeAt?.getTime() ?? 0) : 0,
      );
      if (at < next) next = at;
    }
    for (const pool of this.pools.values()) {
      if (pool.nextRenewalAt && pool.nextRenewalAt.getTime() < next)
        next = pool.nextRenewalAt.getTime();
    }
    for (const refund of this.refunds.values()) {
      if (refund.postedAt === null && refund.dueAt.getTime() < next) next = refund.dueAt.getTime();
    }
    // Once every lead is done, nothing else wakes the engine for its seats' withdrawals. A
    // withdrawal's wake-up is never before the next check, so it is not looked for when other
    // work comes first (as it does while leads are sending).
    if (next > now.getTime() + WITHDRAWAL_CHECK_MS) {
      const withdrawal = this.invitations.nextWithdrawalAt(now);
      if (withdrawal && withdrawal.getTime() < next) next = withdrawal.getTime();
    }
    return Number.isFinite(next) ? new Date(next) : null;
  }

  // ── Seat rotation (as db/engine/handover.ts) ──

  /** The campaign's seats by name, each with the campaign's active leads it sent nothing yet. */
  private rotationSeats(campaign: MemoryCampaign): RotationSeat[] {
    const queued = new Map<string, number>();
    for (const e of this.active) {
      if (e.campaignId !== campaign.id) continue;
      const sent = (this.actionsByEnrollment.get(e.id) ?? []).some(
        (a) => a.status === "sent" || a.status === "intent",
      );
      if (!sent) queued.set(e.accountId, (queued.get(e.accountId) ?? 0) + 1);
    }
    return campaign.accountIds
      .map((id) => this.accounts.get(id)!)
      .sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id))
      .map((a) => ({
        accountId: a.id,
        pacing: a.pacing,
        health: seatHealthOf(a.status, a.pausedAt),
        queued: queued.get(a.id) ?? 0,
      }));
  }

  private handOverLeads(now: Date): SeatMove[] {
    const moves: SeatMove[] = [];
    const unhealthy = (seat: RotationSeat) =>
      handoverReason(seat.health, now, seat.pacing.safety.handoverAfterPausedHours) !== null;
    for (const campaign of this.campaigns.values()) {
      if (campaign.status !== "running" || campaign.accountIds.length < 2) continue;
      // Cheap first: most of the time every seat is healthy and nothing else is read.
      const anyUnhealthy = campaign.accountIds.some((id) => {
        const a = this.accounts.get(id)!;
        const health = seatHealthOf(a.status, a.pausedAt);
        return handoverReason(health, now, a.pacing.safety.handoverAfterPausedHours) !== null;
      });
      if (!anyUnhealthy) continue;
      const seats = this.rotationSeats(campaign);
      const leaving = new Set(seats.filter(unhealthy).map((s) => s.accountId));
      if (leaving.size === 0 || leaving.size === seats.length) continue;
      const reached = new Set<string>();
      for (const accountId of leaving) {
        for (const a of this.actionsByAccount.get(accountId) ?? []) {
          if (a.status === "sent" || a.status === "intent")
            reached.add(eventsKey(accountId, a.leadId));
        }
      }
      const free = [...this.active]
        .filter(
          (e) =>
            e.campaignId === campaign.id &&
            leaving.has(e.accountId) &&
            (e.leaseExpiresAt === null || e.leaseExpiresAt.getTime() < now.getTime()),
        )
        .sort((a, b) => cmp(a.queueKey, b.queueKey) || cmp(a.id, b.id));
      const byLead = new Map(free.map((e) => [e.leadId, e]));
      const plan = planHandover(
        seats,
        free.map((e) => {
          const pair = eventsKey(e.accountId, e.leadId);
          return {
            leadId: e.leadId,
            accountId: e.accountId,
            contacted: reached.has(pair) || this.heardFrom.has(pair),
          };
        }),
        { kind: firstSendKind(campaign.graph), now },
      );
      for (const move of plan.moves) {
        const e = byLead.get(move.leadId)!;
        const note = seatMoveNote(
          this.accounts.get(move.from)!.name,
          this.accounts.get(move.to)!.name,
          move.reason,
        );
        this.releaseBookedPlace(e);
        if (e.stepState) {
          const { sendAt: _slot, queuePriority: _p, queueTag: _t, ...rest } = e.stepState;
          e.stepState = rest;
        }
        e.accountId = move.to;
        e.nextRunAt = now;
        e.updatedAt = now;
        e.leaseOwner = null;
        e.leaseExpiresAt = null;
        this.history.push({
          enrollmentId: e.id,
          at: now,
          nodeId: e.nodeId,
          exit: null,
          toNodeId: e.nodeId,
          branch: e.branch,
          note,
        });
        const { from, to } = move;
        moves.push({
          enrollmentId: e.id,
          campaignId: campaign.id,
          leadId: e.leadId,
          from,
          to,
          note,
        });
      }
    }
    return moves;
  }

  // ── Internals shared by the store ──

  private addLedger(
    entry: Omit<
      MemoryLedgerEntry,
      | "id"
      | "campaignId"
      | "nodeId"
      | "branch"
      | "enrollmentId"
      | "leadId"
      | "variant"
      | "actionId"
      | "note"
    > &
      Partial<MemoryLedgerEntry>,
  ) {
    const line: MemoryLedgerEntry = {
      campaignId: null,
      nodeId: null,
      branch: null,
      enrollmentId: null,
      leadId: null,
      variant: null,
      actionId: null,
      note: null,
      ...entry,
      id: this.ledger.length + 1,
    };
    this.ledger.push(line);
    if (line.type === "spend" && line.actionId) this.spends.set(line.actionId, line);
  }

  counter(accountId: string, date: string, kind: string): Counter {
    return this.counters.get(counterKey(accountId, date, kind)) ?? { used: 0, booked: 0 };
  }

  /** Moves a counter (never below zero); a counter that never moved does not exist. */
  moveCounter(accountId: string, date: string, kind: string, used: number, booked: number) {
    const key = counterKey(accountId, date, kind);
    const current = this.counters.get(key);
    const next = {
      used: Math.max((current?.used ?? 0) + used, 0),
      booked: Math.max((current?.booked ?? 0) + booked, 0),
    };
    if (current) {
      current.used = next.used;
      current.booked = next.booked;
    } else if (next.used !== 0 || next.booked !== 0) {
      this.counters.set(key, next);
    }
  }

  private storedEvents(accountId: string, leadId: string): StoredEvent[] {
    return (this.eventsByPair.get(eventsKey(accountId, leadId)) ?? []).map((e) => ({ ...e }));
  }

  private addAction(row: MemoryAction) {
    this.actions.set(row.id, row);
    const byEnrollment = this.actionsByEnrollment.get(row.enrollmentId) ?? [];
    byEnrollment.push(row);
    this.actionsByEnrollment.set(row.enrollmentId, byEnrollment);
    const byAccount = this.actionsByAccount.get(row.accountId) ?? [];
    byAccount.push(row);
    this.actionsByAccount.set(row.accountId, byAccount);
  }

  /** The engine's store port over these rows. */
  store(): EngineStore {
    return {
      claimDue: async (input) => this.claimDue(input),
      flush: async (request) => this.flush(request),
      applyDueCredits: async (now) => this.applyDueCredits(now),
      handOverLeads: async (now) => this.handOverLeads(now),
      safetyCounts: async (accountId, now, dates) => this.safetyCounts(accountId, now, dates),
      invitations: this.invitations,
    };
  }

  private claimDue({
    now,
    owner,
    leaseMs,
    limit,
  }: {
    now: Date;
    owner: string;
    leaseMs: number;
    limit: number;
  }): EnrollmentContext[] {
    const t = now.getTime();
    const due: MemoryEnrollment[] = [];
    const heads = this.queueHeads();
    for (const e of this.active) {
      if (e.nextRunAt.getTime() > t) continue;
      if (queuedPlace(e.stepState, e.stepSeq) !== null) {
        // Only the head of a seat's queue is claimed, and only once the seat is free.
        const free = this.accounts.get(e.accountId)?.nextFreeAt;
        if (heads.get(e.accountId)?.id !== e.id || (free && free.getTime() > t)) continue;
      }
      if (e.leaseExpiresAt !== null && e.leaseExpiresAt.getTime() >= t) continue;
      if (this.campaigns.get(e.campaignId)?.status !== "running") continue;
      const account = this.accounts.get(e.accountId);
      if (!account) continue;
      const usable =
        account.status === "active" ||
        (account.status === "cooling_down" &&
          account.coolingUntil !== null &&
          account.coolingUntil.getTime() <= t);
      if (usable) due.push(e);
    }
    due.sort(
      (a, b) => a.nextRunAt.getTime() - b.nextRunAt.getTime() || cmp(a.queueKey, b.queueKey),
    );
    const claimed = due.slice(0, limit);
    const leaseUntil = new Date(t + leaseMs);
    return claimed.map((e): EnrollmentContext => {
      e.leaseOwner = owner;
      e.leaseExpiresAt = leaseUntil;
      e.attempts++;
      const campaign = this.campaigns.get(e.campaignId)!;
      const lead = this.leads.get(e.leadId)!;
      const account = this.accounts.get(e.accountId)!;
      const actions = (this.actionsByEnrollment.get(e.id) ?? [])
        .slice()
        .sort(
          (a, b) =>
            a.createdAt.getTime() - b.createdAt.getTime() ||
            cmp(a.idempotencyKey, b.idempotencyKey),
        )
        .map(toStoredAction);
      return {
        enrollment: {
          id: e.id,
          workspaceId: e.workspaceId,
          campaignId: e.campaignId,
          leadId: e.leadId,
          accountId: e.accountId,
          nodeId: e.nodeId,
          stepSeq: e.stepSeq,
          branch: e.branch,
          stepState: e.stepState ? structuredClone(e.stepState) : null,
          enrolledAt: e.enrolledAt,
        },
        campaign: {
          id: campaign.id,
          seed: campaign.seed,
          stopOnReply: campaign.stopOnReply,
          budgets: campaign.budgets,
          weight: campaign.weight,
        },
        graph: campaign.graph,
        lead: {
          id: lead.id,
          publicIdentifier: lead.publicIdentifier,
          providerId: lead.providerId,
          firstName: lead.firstName,
          lastName: lead.lastName,
          company: lead.company,
          title: lead.title,
          custom: { ...lead.custom },
          profile: lead.profile ? structuredClone(lead.profile) : null,
        },
        account: {
          id: account.id,
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          pacing: account.pacing,
          creditPoolId: account.creditPoolId,
        },
        actions,
        events: this.storedEvents(account.id, lead.id),
        withdrawnInvitations: this.invitations.withdrawnTo(account.id, lead.id),
      };
    });
  }

  /** The same steps, in the same order, as db/engine/flush.ts applyOps. */
  private async flush(request: FlushRequest): Promise<FlushResult> {
    const { ops, owner } = request;
    const results: StoreOpResult[] = ops.map(() => ({ type: "done" }));

    // Account changes and profiles, in the order asked.
    for (const op of ops) {
      if (op.type === "lead_profile") {
        const lead = this.leads.get(op.leadId);
        if (lead) {
          lead.profile = structuredClone(op.profile);
          lead.providerId = op.profile.providerId;
          if (lead.providerId)
            this.leadByIdentity.set(`${lead.workspaceId}|#${lead.providerId}`, lead.id);
        }
      } else if (op.type === "cool_down") {
        const account = this.accounts.get(op.accountId);
        if (account && (account.status === "active" || account.status === "cooling_down")) {
          account.status = "cooling_down";
          account.coolingUntil = op.until;
          account.statusReason = op.reason;
        }
      } else if (op.type === "pause") {
        const account = this.accounts.get(op.accountId);
        const onlyRunning = op.status === "paused";
        if (
          account &&
          (!onlyRunning || account.status === "active" || account.status === "cooling_down")
        ) {
          if (account.status !== op.status && op.status === "paused") {
            account.pausedAt = op.at ?? null;
          }
          account.status = op.status;
          account.statusReason = op.reason;
          account.coolingUntil = null;
        }
      }
    }

    // Completions: only intents; slots and unused credits to give back.
    const released: Array<{ accountId: string; date: string; kind: string }> = [];
    const givenBack: MemoryLedgerEntry[] = [];
    for (const op of ops) {
      if (op.type !== "complete") continue;
      const a = this.actions.get(op.actionId);
      if (a?.status !== "intent") continue;
      const c = op.completion;
      const oldCredits = a.credits;
      a.status = c.status;
      a.reason = c.reason ?? null;
      a.reference = c.reference ?? null;
      a.chatId = c.chatId ?? null;
      a.error = c.error ?? null;
      a.sentAt = c.status === "sent" ? c.at : null;
      a.credits = c.creditsUsed;
      if (c.releaseSlot) {
        released.push({ accountId: a.accountId, date: a.localDate, kind: a.kind });
        released.push({ accountId: a.accountId, date: a.localDate, kind: "total" });
      }
      const spend = this.spends.get(a.id);
      if (oldCredits > c.creditsUsed && spend && spend.amount > c.creditsUsed) {
        givenBack.push({
          id: 0,
          workspaceId: a.workspaceId,
          poolId: spend.poolId,
          at: c.at,
          type: "adjustment",
          amount: spend.amount - c.creditsUsed,
          campaignId: a.campaignId,
          nodeId: a.nodeId,
          branch: a.branch,
          enrollmentId: a.enrollmentId,
          leadId: a.leadId,
          variant: a.variant,
          actionId: a.id,
          note: c.status === "sent" ? "free InMail (open profile)" : "reservation released",
        });
      }
    }

    // Enrollment moves and sleeps, folded per enrollment; only the lease holder writes.
    interface Fold {
      moved: boolean;
      change: Transition | null;
      stepState: StepState | null;
      nextRunAt: Date;
      updatedAt: Date | null;
      release: boolean;
      history: Transition["history"];
      indexes: number[];
    }
    const folds = new Map<string, Fold>();
    ops.forEach((op, index) => {
      if (op.type !== "move" && op.type !== "reschedule") return;
      let fold = folds.get(op.enrollmentId);
      if (!fold) {
        fold = {
          moved: false,
          change: null,
          stepState: null,
          nextRunAt: new Date(0),
          updatedAt: null,
          release: false,
          history: [],
          indexes: [],
        };
        folds.set(op.enrollmentId, fold);
      }
      fold.indexes.push(index);
      if (op.type === "move") {
        fold.moved = true;
        fold.change = op.change;
        fold.stepState = op.change.stepState;
        fold.nextRunAt = op.change.nextRunAt;
        fold.updatedAt = op.change.nextRunAt;
        fold.release = op.change.state !== "active";
        fold.history.push(...op.change.history);
      } else {
        fold.stepState = op.stepState;
        fold.nextRunAt = op.nextRunAt;
        fold.release = true;
      }
    });
    const unbooked: Array<{ accountId: string; date: string; kind: string }> = [];
    for (const [id, fold] of folds) {
      const e = this.enrollments.get(id);
      const held = e !== undefined && e.leaseOwner === owner;
      for (const index of fold.indexes) results[index] = { type: "written", held };
      if (!held || !e) continue;
      if (fold.moved && e.stepState?.bookedDate) {
        unbooked.push({
          accountId: e.accountId,
          date: e.stepState.bookedDate,
          kind: e.stepState.bookedKind ?? "",
        });
        unbooked.push({ accountId: e.accountId, date: e.stepState.bookedDate, kind: "total" });
      }
      if (fold.moved && fold.change) {
        e.nodeId = fold.change.nodeId;
        e.stepSeq = fold.change.stepSeq;
        e.branch = fold.change.branch;
        e.state = fold.change.state;
        e.outcome = fold.change.outcome ?? null;
        e.reason = fold.change.reason ?? null;
        if (e.state !== "active") this.active.delete(e);
      }
      e.stepState = fold.stepState ? structuredClone(fold.stepState) : null;
      e.nextRunAt = fold.nextRunAt;
      if (fold.updatedAt) e.updatedAt = fold.updatedAt;
      if (fold.release) {
        e.leaseOwner = null;
        e.leaseExpiresAt = null;
      }
      for (const entry of fold.history) {
        this.history.push({
          enrollmentId: id,
          at: entry.at,
          nodeId: entry.nodeId,
          exit: entry.exit,
          toNodeId: entry.toNodeId,
          branch: entry.branch,
          note: entry.note ?? null,
        });
      }
    }

    // The events of every pair asked about, as they stand now.
    const reservations = ops.flatMap((op, index) =>
      op.type === "reserve" ? [{ index, request: op.request }] : [],
    );
    const events = new Map<string, StoredEvent[]>();
    for (const pair of request.events)
      events.set(
        eventsKey(pair.accountId, pair.leadId),
        this.storedEvents(pair.accountId, pair.leadId),
      );
    for (const { request: r } of reservations) {
      const key = eventsKey(r.context.account.id, r.context.lead.id);
      if (!events.has(key))
        events.set(key, this.storedEvents(r.context.account.id, r.context.lead.id));
    }

    for (const r of released) this.moveCounter(r.accountId, r.date, r.kind, -1, 0);
    for (const u of unbooked) this.moveCounter(u.accountId, u.date, u.kind, 0, -1);
    for (const line of givenBack) {
      const pool = this.pools.get(line.poolId);
      if (pool) pool.balance += line.amount;
    }

    const state = new FlushState(this, owner);
    const spends: MemoryLedgerEntry[] = [];
    for (const { index, request: r } of reservations) {
      const seen = events.get(eventsKey(r.context.account.id, r.context.lead.id))?.length ?? 0;
      results[index] = await this.reserve(state, r, seen, spends);
    }
    state.writeBack();
    for (const line of [...spends, ...givenBack]) this.addLedger(line);
    return { results, events };
  }

  private async reserve(
    state: FlushState,
    request: ReserveRequest,
    eventsNow: number,
    spends: MemoryLedgerEntry[],
  ): Promise<ReserveResult> {
    const decision = await decideReservation(state, request, eventsNow);
    if (decision.type !== "reserved") return decision;
    const { context, now } = request;
    const action: MemoryAction = {
      id: decision.actionId,
      idempotencyKey: request.idempotencyKey,
      nodeId: request.nodeId,
      kind: request.kind,
      hasText: request.hasText,
      status: "intent",
      reason: null,
      credits: decision.credits,
      chatId: null,
      createdAt: now,
      sentAt: null,
      workspaceId: context.enrollment.workspaceId,
      enrollmentId: context.enrollment.id,
      campaignId: context.campaign.id,
      leadId: context.lead.id,
      accountId: context.account.id,
      branch: request.branch,
      variant: request.variant,
      localDate: request.localDate,
      reference: null,
      error: null,
    };
    this.addAction(action);
    if (decision.credits > 0 && decision.poolId) {
      spends.push({
        id: 0,
        workspaceId: context.enrollment.workspaceId,
        poolId: decision.poolId,
        at: now,
        type: "spend",
        amount: decision.credits,
        campaignId: context.campaign.id,
        nodeId: request.nodeId,
        branch: request.branch,
        enrollmentId: context.enrollment.id,
        leadId: context.lead.id,
        variant: request.variant,
        actionId: action.id,
        note: null,
      });
    }
    return { type: "reserved", action: toStoredAction(action) };
  }

  /** Credits a campaign has used, in all and per branch (spends less refunds and returns). */
  budgetUse(campaignId: string): BudgetUse {
    const used: BudgetUse = { campaign: 0, branch: new Map() };
    for (const l of this.ledger) {
      if (l.campaignId !== campaignId || l.actionId === null) continue;
      const net = creditsUsedDelta(l);
      used.campaign += net;
      const key = `${l.nodeId}@${l.branch}`;
      used.branch.set(key, (used.branch.get(key) ?? 0) + net);
    }
    return used;
  }

  /** Enrollment's booking after a reservation (as the flush's final statement writes it). */
  setBooking(enrollmentId: string, booking: { bookedDate: string; bookedKind: string } | null) {
    const e = this.enrollments.get(enrollmentId);
    if (!e) return;
    const { bookedDate: _d, bookedKind: _k, ...rest } = (e.stepState ?? {}) as StepState;
    e.stepState = { ...rest, ...(booking ?? {}) } as StepState;
  }

  private applyDueCredits(now: Date) {
    const t = now.getTime();
    const due = [...this.refunds].filter(([, r]) => r.postedAt === null && r.dueAt.getTime() <= t);
    for (const [actionId, refund] of due) {
      refund.postedAt = refund.dueAt;
      const pool = this.pools.get(refund.poolId);
      if (pool) pool.balance += 1;
      const a = this.actions.get(actionId)!;
      this.addLedger({
        workspaceId: refund.workspaceId,
        poolId: refund.poolId,
        at: refund.dueAt,
        type: "refund",
        amount: 1,
        campaignId: a.campaignId,
        nodeId: a.nodeId,
        branch: a.branch,
        enrollmentId: a.enrollmentId,
        leadId: a.leadId,
        variant: a.variant,
        actionId: a.id,
        note: "reply in the InMail thread",
      });
    }
    for (const pool of this.pools.values()) {
      const anchor = { renewalAnchorDay: pool.renewalDay, timeZone: "UTC" };
      if (pool.nextRenewalAt === null) {
        pool.nextRenewalAt = nextRenewal(anchor, now);
        continue;
      }
      while (pool.nextRenewalAt.getTime() <= t) {
        const at = pool.nextRenewalAt;
        const { grant, forfeit } = renewalSplit(pool.balance, {
          allowancePerMonth: pool.allowance,
          cap: pool.cap,
        });
        if (grant > 0)
          this.addLedger({
            workspaceId: pool.workspaceId,
            poolId: pool.id,
            at,
            type: "grant",
            amount: grant,
            note: "monthly renewal",
          });
        if (forfeit > 0)
          this.addLedger({
            workspaceId: pool.workspaceId,
            poolId: pool.id,
            at,
            type: "forfeit",
            amount: forfeit,
            note: `over the cap of ${pool.cap}`,
          });
        pool.balance += grant;
        pool.nextRenewalAt = nextRenewal(anchor, at);
      }
    }
  }

  private safetyCounts(accountId: string, now: Date, dates: string[]): SafetyCounts {
    const t = now.getTime();
    const hoursAgo = (h: number) => t - h * 3_600_000;
    const daysAgo = (d: number) => hoursAgo(d * 24);
    let settled = 0;
    let accepted = 0;
    let pending = 0;
    let attempts = 0;
    let failures = 0;
    const since = daysAgo(SAFETY_WINDOWS.pendingDays);
    // An account's actions are kept in the order they were made: the window starts at `since`.
    const list = this.actionsByAccount.get(accountId) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.createdAt.getTime() < since) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length; i++) {
      const a = list[i]!;
      const created = a.createdAt.getTime();
      if (created < since || created > t) continue;
      const sent = a.sentAt?.getTime() ?? null;
      const isAccepted = this.acceptedPairs.has(eventsKey(accountId, a.leadId));
      if (a.kind === "connect" && a.status === "sent" && sent !== null) {
        if (
          sent >= daysAgo(SAFETY_WINDOWS.acceptanceDays) &&
          sent <= hoursAgo(SAFETY_WINDOWS.settleHours)
        ) {
          settled++;
          if (isAccepted) accepted++;
        }
        if (sent >= daysAgo(SAFETY_WINDOWS.pendingDays) && !isAccepted && !a.withdrawal) pending++;
      }
      if (created >= daysAgo(SAFETY_WINDOWS.errorDays) && a.reason !== NOT_DELIVERED_RECONCILED) {
        if (a.status === "sent" || a.status === "not_sent" || a.status === "failed") attempts++;
        if (a.status === "failed") failures++;
      }
    }
    const usage: SafetyCounts["usage"] = [];
    for (const date of dates) {
      const total = this.counters.get(counterKey(accountId, date, "total"));
      const connect = this.counters.get(counterKey(accountId, date, "connect"));
      if (!total && !connect && !this.hasCounterOn(accountId, date)) continue;
      usage.push({ localDate: date, total: total?.used ?? 0, connect: connect?.used ?? 0 });
    }
    return {
      settledInvitations: settled,
      acceptedInvitations: accepted,
      pendingInvitations: pending,
      attempts,
      failures,
      pendingNow: this.invitations.count(accountId),
      usage,
    };
  }

  private hasCounterOn(accountId: string, date: string): boolean {
    const prefix = `${accountId}|${date}|`;
    for (const key of this.counters.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }
}

function toStoredAction(a: StoredAction & Partial<MemoryAction>): StoredAction {
  return {
    id: a.id,
    idempotencyKey: a.idempotencyKey,
    nodeId: a.nodeId,
    kind: a.kind,
    hasText: a.hasText,
    status: a.status,
    reason: a.reason,
    credits: a.credits,
    chatId: a.chatId,
    createdAt: a.createdAt,
    sentAt: a.sentAt,
    withdrawnAt: a.withdrawal === "withdrawn" ? (a.withdrawalAt ?? null) : null,
  };
}

/**
 * One flush's view for the reservation rules: accounts read once and written back at the end,
 * the campaign's credit use read once, counters and pools moved in place.
 */
class FlushState implements ReservationState {
  private readonly accountViews = new Map<string, ReservationAccount>();
  private readonly budgets = new Map<string, BudgetUse>();
  private queueTags: Map<string, QueueTags> | null = null;

  constructor(
    private readonly db: MemoryEngineDatabase,
    private readonly owner: string,
  ) {}

  held(enrollmentId: string) {
    return this.db.enrollments.get(enrollmentId)?.leaseOwner === this.owner;
  }

  queueTag(accountId: string, campaignId: string, priority: number, weight: number) {
    if (!this.queueTags) this.queueTags = tagsOfQueue(this.db.queued());
    return takeQueueTag(this.queueTags, { accountId, campaignId, priority }, weight);
  }

  account(accountId: string) {
    let view = this.accountViews.get(accountId);
    if (!view) {
      const account = this.db.accounts.get(accountId);
      if (!account) return undefined;
      view = {
        status: account.status,
        coolingUntil: account.coolingUntil,
        nextFreeAt: account.nextFreeAt,
        creditPoolId: account.creditPoolId,
        nextFreeChanged: false,
        revive: false,
      };
      this.accountViews.set(accountId, view);
    }
    return view;
  }

  private readonly pending = new Map<string, { count: number }>();

  pendingInvitations(accountId: string) {
    let pending = this.pending.get(accountId);
    if (!pending) {
      pending = { count: this.db.invitations.count(accountId) };
      this.pending.set(accountId, pending);
    }
    return pending;
  }

  taken(accountId: string, date: string, kind: string) {
    const c = this.db.counter(accountId, date, kind);
    return c.used + c.booked;
  }

  moveCounter(accountId: string, date: string, kind: string, used: number, booked: number) {
    this.db.moveCounter(accountId, date, kind, used, booked);
  }

  setBooking(enrollmentId: string, booking: { bookedDate: string; bookedKind: string } | null) {
    this.db.setBooking(enrollmentId, booking);
  }

  budgetUse(campaignId: string) {
    let used = this.budgets.get(campaignId);
    if (!used) {
      used = this.db.budgetUse(campaignId);
      this.budgets.set(campaignId, used);
    }
    return used;
  }

  countCredits(campaignId: string, branchKey: string, credits: number) {
    const used = this.budgets.get(campaignId);
    if (used) {
      used.campaign += credits;
      used.branch.set(branchKey, (used.branch.get(branchKey) ?? 0) + credits);
    }
  }

  poolBalance(poolId: string) {
    return this.db.pools.get(poolId)?.balance ?? 0;
  }

  takeCredits(poolId: string, credits: number) {
    const pool = this.db.pools.get(poolId);
    if (pool) pool.balance -= credits;
  }

  newActionId() {
    return this.db.newId("action");
  }

  writeBack() {
    for (const [id, view] of this.accountViews) {
      const account = this.db.accounts.get(id);
      if (!account) continue;
      if (view.nextFreeChanged) account.nextFreeAt = view.nextFreeAt;
      if (view.revive) {
        account.status = "active";
        account.coolingUntil = null;
        account.statusReason = null;
      }
    }
  }
}
