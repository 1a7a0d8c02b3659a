/**
 * The sandbox world's memory for long simulated runs: the same contract as InMemorySandboxStore
 * (providers/sandbox/store.ts), with its lookups indexed (per seat and person, events by due
 * time), so a 1,000-lead, 90-day run does not scan every delivery at every send.
 */
import type {
  EventFilter,
  ReceivedFilter,
  SandboxAccountState,
  SandboxEvent,
  SandboxReceived,
  SandboxStore,
} from "../providers/sandbox/store";

function byOccurrence(a: SandboxEvent, b: SandboxEvent): number {
  const time = a.occurredAt.getTime() - b.occurredAt.getTime();
  if (time !== 0) return time;
  return a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;
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

const copyReceived = (r: SandboxReceived): SandboxReceived => structuredClone(r);
const copyEvent = (e: SandboxEvent): SandboxEvent => structuredClone(e);

export class IndexedSandboxStore implements SandboxStore {
  readonly #received: SandboxReceived[] = [];
  readonly #receivedByKey = new Map<string, SandboxReceived>();
  readonly #receivedByAccount = new Map<string, SandboxReceived[]>();
  readonly #receivedByPerson = new Map<string, SandboxReceived[]>();
  readonly #events = new Map<string, SandboxEvent>();
  readonly #eventsByPerson = new Map<string, SandboxEvent[]>();
  /** Undelivered events, by occurrence. */
  readonly #pending: SandboxEvent[] = [];
  readonly #accounts = new Map<string, SandboxAccountState>();

  /** The first undelivered event's time, or null. */
  nextEventAt(): Date | null {
    return this.#pending[0]?.occurredAt ?? null;
  }

  #candidates(filter: ReceivedFilter): SandboxReceived[] {
    if (filter.leadPublicIdentifier !== undefined)
      return this.#receivedByPerson.get(filter.leadPublicIdentifier) ?? [];
    if (filter.providerAccountId !== undefined)
      return this.#receivedByAccount.get(filter.providerAccountId) ?? [];
    return this.#received;
  }

  async appendReceived(record: SandboxReceived): Promise<boolean> {
    if (this.#receivedByKey.has(record.idempotencyKey)) return false;
    const stored = copyReceived(record);
    this.#received.push(stored);
    this.#receivedByKey.set(stored.idempotencyKey, stored);
    for (const [index, key] of [
      [this.#receivedByAccount, stored.providerAccountId],
      [this.#receivedByPerson, stored.leadPublicIdentifier],
    ] as const) {
      const list = index.get(key) ?? [];
      list.push(stored);
      index.set(key, list);
    }
    return true;
  }

  async findReceivedByKey(idempotencyKey: string): Promise<SandboxReceived | null> {
    const record = this.#receivedByKey.get(idempotencyKey);
    return record ? copyReceived(record) : null;
  }

  async listReceived(filter: ReceivedFilter = {}): Promise<SandboxReceived[]> {
    return this.#candidates(filter)
      .filter((record) => matchesReceived(record, filter))
      .map(copyReceived);
  }

  async countReceived(filter: ReceivedFilter): Promise<number> {
    const list = this.#candidates(filter);
    // Deliveries are appended in time order (the virtual clock never goes back): a window
    // starting at `since` begins at the first record at or after it.
    let start = 0;
    if (filter.since !== undefined && filter.leadPublicIdentifier === undefined) {
      const since = filter.since.getTime();
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.at.getTime() < since) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    let count = 0;
    for (let i = start; i < list.length; i++) if (matchesReceived(list[i]!, filter)) count++;
    return count;
  }

  async scheduleEvent(event: SandboxEvent): Promise<boolean> {
    if (this.#events.has(event.externalId)) return false;
    const stored = copyEvent(event);
    this.#events.set(stored.externalId, stored);
    const list = this.#eventsByPerson.get(stored.leadPublicIdentifier) ?? [];
    list.push(stored);
    this.#eventsByPerson.set(stored.leadPublicIdentifier, list);
    if (stored.deliveredAt === null) {
      let lo = 0;
      let hi = this.#pending.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (byOccurrence(this.#pending[mid]!, stored) <= 0) lo = mid + 1;
        else hi = mid;
      }
      this.#pending.splice(lo, 0, stored);
    }
    return true;
  }

  async listEvents(filter: EventFilter = {}): Promise<SandboxEvent[]> {
    const candidates =
      filter.leadPublicIdentifier !== undefined
        ? (this.#eventsByPerson.get(filter.leadPublicIdentifier) ?? [])
        : [...this.#events.values()];
    return candidates
      .filter((event) => matchesEvent(event, filter))
      .sort(byOccurrence)
      .map(copyEvent);
  }

  async takeDueEvents(now: Date): Promise<SandboxEvent[]> {
    let n = 0;
    while (n < this.#pending.length && this.#pending[n]!.occurredAt.getTime() <= now.getTime()) n++;
    const due = this.#pending.splice(0, n);
    for (const event of due) event.deliveredAt = new Date(now.getTime());
    return due.map(copyEvent);
  }

  async getAccountState(providerAccountId: string): Promise<SandboxAccountState | null> {
    const state = this.#accounts.get(providerAccountId);
    return state ? structuredClone(state) : null;
  }

  async putAccountState(state: SandboxAccountState): Promise<void> {
    this.#accounts.set(state.providerAccountId, structuredClone(state));
  }
}
