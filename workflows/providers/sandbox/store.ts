/**
 * The SandboxStore port: everything the sandbox world remembers. People are not stored (they are
 * draws from the seed); what is stored is what LinkedIn received, the events it has scheduled,
 * and each seat's state. Records are plain and serialisable, so the store can live in memory
 * (simulations, unit tests) or in the database (the app, several processes sharing one world).
 */
import type { ActionKind, ProfileSnapshot } from "../types";
import type { SandboxReply } from "./replies";

/** One delivery LinkedIn received: what tests inspect to know what "LinkedIn" saw. */
export interface SandboxReceived {
  at: Date;
  providerAccountId: string;
  leadPublicIdentifier: string;
  providerId: string;
  kind: ActionKind;
  /** Unique across the store: a repeated key is the same delivery, never a second one. */
  idempotencyKey: string;
  reference: string;
  chatId: string | null;
  /** Message body, or InMail body. */
  text?: string;
  subject?: string;
  /** Invitation note; null for an invitation without one. */
  note?: string | null;
  /** InMail: whether a paid credit was used. */
  creditUsed?: boolean;
  /** Visit: the profile the world showed. */
  profile?: ProfileSnapshot;
}

export interface ReceivedFilter {
  providerAccountId?: string;
  leadPublicIdentifier?: string;
  kind?: ActionKind;
  /** Received at or after this instant. */
  since?: Date;
  /** Received strictly before this instant. */
  until?: Date;
}

/** An acceptance or a reply the world has decided will happen. */
export interface SandboxEvent {
  /** Stable id, the engine's de-duplication key. */
  externalId: string;
  type: "accepted" | "replied";
  providerAccountId: string;
  leadPublicIdentifier: string;
  leadProviderId: string;
  chatId: string | null;
  occurredAt: Date;
  /** Idempotency key of the delivery that caused it (invitation, message, InMail). */
  causeKey: string;
  /** When `takeDueEvents` handed it out; null until then. */
  deliveredAt: Date | null;
  /** A reply's words, language and the category it was written as (absent on acceptances). */
  reply?: SandboxReply;
}

export interface EventFilter {
  providerAccountId?: string;
  leadPublicIdentifier?: string;
  chatId?: string;
  type?: SandboxEvent["type"];
}

/** An invitation the seat withdrew: LinkedIn blocks re-inviting the person for three weeks. */
export interface SandboxWithdrawal {
  at: Date;
  leadPublicIdentifier: string;
  /** Idempotency key of the withdrawn invitation. */
  invitationKey: string;
}

export interface SandboxAccountState {
  providerAccountId: string;
  /** The seat's recent withdrawals (older than the re-invite block are dropped); absent: none. */
  withdrawals?: SandboxWithdrawal[];
  inmailBalance: number;
  restricted: boolean;
  restrictedAt: Date | null;
  restrictedReason: string | null;
}

export interface SandboxStore {
  /** Appends a delivery; false (and nothing written) when its idempotency key is already there. */
  appendReceived(record: SandboxReceived): Promise<boolean>;
  findReceivedByKey(idempotencyKey: string): Promise<SandboxReceived | null>;
  /** Matching deliveries in the order they were received. */
  listReceived(filter?: ReceivedFilter): Promise<SandboxReceived[]>;
  countReceived(filter: ReceivedFilter): Promise<number>;
  /** Schedules an event; false (and nothing written) when its externalId is already there. */
  scheduleEvent(event: SandboxEvent): Promise<boolean>;
  /** Matching events, delivered or not, by occurredAt then externalId. */
  listEvents(filter?: EventFilter): Promise<SandboxEvent[]>;
  /**
   * Undelivered events with occurredAt <= now, by occurredAt then externalId, marked delivered
   * at `now` in the same step: each event is handed out once, even to concurrent callers.
   */
  takeDueEvents(now: Date): Promise<SandboxEvent[]>;
  /** Null for a seat the world has not seen yet. */
  getAccountState(providerAccountId: string): Promise<SandboxAccountState | null>;
  putAccountState(state: SandboxAccountState): Promise<void>;
}

function matchesReceived(record: SandboxReceived, filter: ReceivedFilter): boolean {
  return (
    (filter.providerAccountId === undefined ||
      record.providerAccountId === filter.providerAccountId) &&
    (filter.leadPublicIdentifier === undefined ||
      record.leadPublicIdentifier === filter.leadPublicIdentifier) &&
    (filter.kind === undefined || record.kind === filter.kind) &&
    (filter.since === undefined || record.at.getTime() >= filter.since.getTime()) &&
    (filter.until === undefined || record.at.getTime() < filter.until.getTime())
  );
}

function matchesEvent(event: SandboxEvent, filter: EventFilter): boolean {
  return (
    (filter.providerAccountId === undefined ||
      event.providerAccountId === filter.providerAccountId) &&
    (filter.leadPublicIdentifier === undefined ||
      event.leadPublicIdentifier === filter.leadPublicIdentifier) &&
    (filter.chatId === undefined || event.chatId === filter.chatId) &&
    (filter.type === undefined || event.type === filter.type)
  );
}

function byOccurrence(a: SandboxEvent, b: SandboxEvent): number {
  const time = a.occurredAt.getTime() - b.occurredAt.getTime();
  if (time !== 0) return time;
  return a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;
}

/**
 * The in-memory store. Records are copied in and out, so callers can neither change what the
 * world remembers nor see it change under them.
 */
export class InMemorySandboxStore implements SandboxStore {
  readonly #received: SandboxReceived[] = [];
  readonly #receivedByKey = new Map<string, SandboxReceived>();
  readonly #events = new Map<string, SandboxEvent>();
  readonly #accounts = new Map<string, SandboxAccountState>();

  async appendReceived(record: SandboxReceived): Promise<boolean> {
    if (this.#receivedByKey.has(record.idempotencyKey)) return false;
    const stored = structuredClone(record);
    this.#received.push(stored);
    this.#receivedByKey.set(stored.idempotencyKey, stored);
    return true;
  }

  async findReceivedByKey(idempotencyKey: string): Promise<SandboxReceived | null> {
    const record = this.#receivedByKey.get(idempotencyKey);
    return record ? structuredClone(record) : null;
  }

  async listReceived(filter: ReceivedFilter = {}): Promise<SandboxReceived[]> {
    return this.#received
      .filter((record) => matchesReceived(record, filter))
      .map((record) => structuredClone(record));
  }

  async countReceived(filter: ReceivedFilter): Promise<number> {
    let count = 0;
    for (const record of this.#received) if (matchesReceived(record, filter)) count++;
    return count;
  }

  async scheduleEvent(event: SandboxEvent): Promise<boolean> {
    if (this.#events.has(event.externalId)) return false;
    this.#events.set(event.externalId, structuredClone(event));
    return true;
  }

  async listEvents(filter: EventFilter = {}): Promise<SandboxEvent[]> {
    return [...this.#events.values()]
      .filter((event) => matchesEvent(event, filter))
      .sort(byOccurrence)
      .map((event) => structuredClone(event));
  }

  async takeDueEvents(now: Date): Promise<SandboxEvent[]> {
    const due = [...this.#events.values()]
      .filter((event) => event.deliveredAt === null && event.occurredAt.getTime() <= now.getTime())
      .sort(byOccurrence);
    for (const event of due) event.deliveredAt = new Date(now.getTime());
    return due.map((event) => structuredClone(event));
  }

  async getAccountState(providerAccountId: string): Promise<SandboxAccountState | null> {
    const state = this.#accounts.get(providerAccountId);
    return state ? structuredClone(state) : null;
  }

  async putAccountState(state: SandboxAccountState): Promise<void> {
    this.#accounts.set(state.providerAccountId, structuredClone(state));
  }
}
