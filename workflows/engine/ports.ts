/**
 * What the engine needs from storage. The database implements it (db/engine/store.ts); the
 * engine itself holds no SQL and no framework code.
 */
import type { CampaignBudgets } from "../credits/budgets";
import type { Graph } from "../graph/index";
import type { ProfileSnapshot } from "../providers/types";
import type { CapsInForce } from "./pacing/caps";
import type { ActionKind, PacingSettings } from "./pacing/settings";
import type { SafetyCounts } from "./safety";
import type { InvitationStore } from "./withdrawals";

/** What the engine remembers about the step a lead is on, so a retry never re-rolls. */
export interface StepState {
  /** The step this state belongs to (the enrollment's stepSeq when it was written). */
  seq: number;
  enteredAt: string;
  /** A wait's end, drawn once when the lead entered the wait. */
  waitUntil?: string;
  /** A send's planned instant, drawn once. */
  sendAt?: string;
  /** The local date on which a full cap promised this lead a place, and for which kind. */
  bookedDate?: string;
  bookedKind?: string;
  /** Queued for the seat's next slot (engine/priority.ts): the send's priority and tag. */
  queuePriority?: number;
  queueTag?: number;
}

export interface EnrollmentContext {
  enrollment: {
    id: string;
    workspaceId: string;
    campaignId: string;
    leadId: string;
    accountId: string;
    nodeId: string;
    stepSeq: number;
    branch: string;
    stepState: StepState | null;
    enrolledAt: Date;
  };
  campaign: {
    id: string;
    seed: string;
    stopOnReply: boolean;
    budgets: CampaignBudgets | null;
    /** The campaign's share of a busy seat against others of the same priority. */
    weight: number;
  };
  graph: Graph;
  lead: {
    id: string;
    publicIdentifier: string;
    providerId: string | null;
    firstName: string;
    lastName: string;
    company: string;
    title: string;
    custom: Record<string, string>;
    profile: ProfileSnapshot | null;
  };
  account: {
    id: string;
    provider: string;
    providerAccountId: string;
    pacing: PacingSettings;
    creditPoolId: string | null;
  };
  /**
   * The enrollment's actions, oldest first, loaded with the claim. Only the lease holder
   * writes actions for an enrollment, so the step keeps this list current as it sends.
   */
  actions: StoredAction[];
  /**
   * The lead's acceptances and replies towards the account, loaded with the claim and read
   * again at every flush of the batch; a send also checks them inside its reservation.
   */
  events: StoredEvent[];
  /**
   * When the account's invitations to this lead were withdrawn, in any campaign: LinkedIn
   * refuses a new invitation from the seat for three weeks after one. Loaded with the claim.
   */
  withdrawnInvitations?: readonly Date[];
}

export interface StoredAction {
  id: string;
  idempotencyKey: string;
  nodeId: string;
  kind: ActionKind;
  /** The action carried text (a note, a message, an InMail): replies are counted from it. */
  hasText: boolean;
  status: "intent" | "sent" | "not_sent" | "failed" | "skipped";
  reason: string | null;
  credits: number;
  chatId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** For an invitation: when the seat withdrew it (engine/withdrawals.ts); absent or null: not. */
  withdrawnAt?: Date | null;
}

export interface StoredEvent {
  type: "accepted" | "replied";
  occurredAt: Date;
  chatId: string | null;
}

/** A history line: the lead entered or left a step. */
export interface HistoryEntry {
  at: Date;
  nodeId: string;
  exit: string | null;
  toNodeId: string | null;
  branch: string;
  note?: string;
}

export interface Transition {
  nodeId: string;
  stepSeq: number;
  branch: string;
  stepState: StepState | null;
  state: "active" | "done" | "failed";
  nextRunAt: Date;
  outcome?: string | null;
  reason?: string | null;
  history: HistoryEntry[];
}

export interface ReserveRequest {
  context: EnrollmentContext;
  /** The worker holding the enrollment's lease; nothing is reserved for anyone else. */
  owner: string;
  /** The branch the lead is on now (it may have passed conditions since it was claimed). */
  branch: string;
  idempotencyKey: string;
  nodeId: string;
  kind: ActionKind;
  variant: string | null;
  hasText: boolean;
  /** Credits the send will take from the account's pool (0 or 1). */
  credits: number;
  /** The campaign's and the branch's credit budgets that apply to this send, if any. */
  budget: { campaign: number | null; branch: number | null } | null;
  now: Date;
  localDate: string;
  caps: CapsInForce;
  /** The shortest gap between two sends of the account: how far apart booked leads wake. */
  spacingMs: number;
  /** The slot this lead was given when it first asked (it slept until then), if any. */
  plannedSendAt: Date | null;
  /** The date this lead already holds a place on (its slot's day, or a full cap's), if any. */
  bookedDate: string | null;
  /** The kind that place was taken for (the step's kind may have changed since). */
  bookedKind?: string | null;
  /**
   * How many of the lead's events the send was decided on: when the store finds a different
   * number inside the reservation, nothing is reserved and the step decides again.
   */
  eventsSeen: number;
  /**
   * The coming working days after the local date of `from` (now when absent) with their caps,
   * for when the day of the lead's slot is full: the lead books a place on the first day with
   * room and sleeps until then, instead of waking every day.
   */
  nextDays(from?: Date): Array<{ localDate: string; startsAt: Date; caps: CapsInForce }>;
  /**
   * Called inside the transaction with the account's locked next-free time: when the send may
   * happen and where next-free moves to. A send in the future is not reserved yet: the lead
   * holds a place on that day and sleeps until then.
   */
  plan(nextFreeAt: Date | null): { sendAt: Date; nextFreeAt: Date };
}

export type ReserveResult =
  | { type: "reserved"; action: StoredAction }
  | { type: "later"; at: Date; bookedDate: string }
  /** The seat is busy: the lead queues, holding nothing, until the store hands it the slot. */
  | { type: "queued"; at: Date; priority: number; tag: number }
  | { type: "cap_reached"; cap: string; limit: number; retryAt: Date; bookedDate: string | null }
  | { type: "no_credit" }
  | { type: "budget_reached"; scope: "campaign" | "branch" }
  | { type: "account_unavailable"; status: string }
  /** An invitation on a seat whose pending invitations are at its ceiling: nothing is held. */
  | { type: "pending_ceiling"; pending: number; ceiling: number }
  | { type: "events_changed" }
  | { type: "lease_lost" };

/**
 * The reason on an intent found, after a crash or a timeout, never to have reached LinkedIn.
 * Such an attempt is not an error of the account (the safety score leaves it out).
 */
export const NOT_DELIVERED_RECONCILED = "not delivered (reconciled)";

export interface ActionCompletion {
  status: "sent" | "not_sent" | "failed" | "skipped";
  at: Date;
  reason?: string | null;
  reference?: string | null;
  chatId?: string | null;
  error?: string | null;
  /** Give back the cap slot (the action did not reach LinkedIn). */
  releaseSlot: boolean;
  /** Credits actually used; the rest of the reservation goes back to the pool. */
  creditsUsed: number;
}

/**
 * What one step writes and reserves, one call at a time. A batch session (session.ts) puts
 * the calls of a whole claimed batch into a few store flushes; a provider call only ever
 * follows a flush that committed everything written before it.
 */
export interface StepStore {
  /** Applies a step's result; false when the lease was lost to another worker. */
  transition(enrollmentId: string, owner: string, change: Transition): Promise<boolean>;
  /** Puts the lead back to sleep on the same step. */
  reschedule(
    enrollmentId: string,
    owner: string,
    nextRunAt: Date,
    stepState: StepState | null,
  ): Promise<boolean>;
  /** Acceptances and replies of this lead towards this account, as stored. */
  eventsFor(accountId: string, leadId: string): Promise<StoredEvent[]>;
  /** In one transaction: the account's cap slot, its credit, the `intent` action. */
  reserveSend(request: ReserveRequest): Promise<ReserveResult>;
  completeAction(
    actionId: string,
    context: EnrollmentContext,
    completion: ActionCompletion,
  ): Promise<void>;
  updateLeadProfile(leadId: string, profile: ProfileSnapshot): Promise<void>;
  /** Cooling down: no work for the account until `until`. */
  coolDownAccount(accountId: string, until: Date, reason: string): Promise<void>;
  /**
   * Restricted or disconnected: all the account's work stops until a person resumes it.
   * `paused` (a falling safety score) only pauses an account that is running.
   */
  pauseAccount(
    accountId: string,
    status: "restricted" | "needs_reconnect" | "paused",
    reason: string,
  ): Promise<void>;
  /**
   * Holds a step of a campaign: its leads wait (none is ended or moved) until a person reads
   * the alert and retries. Raised when LinkedIn keeps refusing the step's request as malformed.
   */
  holdStep(hold: StepHold): Promise<void>;
}

export interface StepHold {
  workspaceId: string;
  campaignId: string;
  nodeId: string;
  accountId: string;
  /** What Unipile answered, secret-free. */
  detail: string;
  at: Date;
}

/** One write or reservation of a step, as the store applies it inside a flush. */
export type StoreOp =
  | { type: "move"; enrollmentId: string; accountId: string; change: Transition }
  | {
      type: "reschedule";
      enrollmentId: string;
      accountId: string;
      nextRunAt: Date;
      stepState: StepState | null;
    }
  | {
      type: "complete";
      actionId: string;
      accountId: string;
      completion: ActionCompletion;
    }
  | { type: "reserve"; request: ReserveRequest }
  | { type: "lead_profile"; leadId: string; profile: ProfileSnapshot }
  | { type: "cool_down"; accountId: string; until: Date; reason: string }
  | {
      type: "pause";
      accountId: string;
      status: "restricted" | "needs_reconnect" | "paused";
      reason: string;
      /** When (engine time); a long pause hands the seat's leads over (engine/rotation.ts). */
      at?: Date;
    }
  | { type: "hold_step"; hold: StepHold };

/** What a flush says about each op: moves whether the lease held, reservations their result. */
export type StoreOpResult = { type: "done" } | { type: "written"; held: boolean } | ReserveResult;

export interface FlushRequest {
  owner: string;
  ops: StoreOp[];
  /** Leads whose events to read again at the end of the flush. */
  events: Array<{ accountId: string; leadId: string }>;
}

export interface FlushResult {
  /** One per op, in order. */
  results: StoreOpResult[];
  /** Keyed by eventsKey(accountId, leadId); every pair asked for is present. */
  events: Map<string, StoredEvent[]>;
}

export const eventsKey = (accountId: string, leadId: string) => `${accountId}|${leadId}`;

export interface EngineStore {
  /** Claims due enrollments of running campaigns on usable accounts, with a lease. */
  claimDue(input: {
    now: Date;
    owner: string;
    leaseMs: number;
    limit: number;
  }): Promise<EnrollmentContext[]>;
  /**
   * Applies ops in one transaction, in this order: account changes, completions, enrollment
   * moves, reservations (each against what the ones before it took). All or nothing.
   */
  flush(request: FlushRequest): Promise<FlushResult>;
  /**
   * Credit housekeeping due by `now`: renewals (grant up to the cap, the rest forfeited) and
   * refunds whose posting delay has passed, each entered at its own instant.
   */
  applyDueCredits(now: Date): Promise<void>;
  /** The counts behind the account's safety score, over the windows of SAFETY_WINDOWS. */
  safetyCounts(accountId: string, now: Date, dates: string[]): Promise<SafetyCounts>;
  /** The seats' pending invitations and their withdrawals; absent: no withdrawals are made. */
  invitations?: InvitationStore;
  /**
   * Seat rotation (engine/rotation.ts): the leads of running campaigns that an unhealthy seat
   * has not contacted, and that no worker holds, move to the campaign's healthy seat with the
   * most room, each with a history line saying why. Answers the moves made.
   */
  handOverLeads(now: Date): Promise<SeatMove[]>;
}

/** A lead handed from one seat of its campaign to another. */
export interface SeatMove {
  enrollmentId: string;
  campaignId: string;
  leadId: string;
  from: string;
  to: string;
  /** The history line: "Moved from seat A to seat B: A needs reconnecting". */
  note: string;
}
