/**
 * A claimed batch stepped together. Each lead's step runs as written in step.ts, one store
 * call at a time; the session gathers the calls of every lead and hands them to the store in
 * one flush (one transaction) whenever every lead is waiting on the store. Writes that need no
 * answer (a completed action, a move along the graph, a profile) are queued and the step goes
 * on; they commit with the next flush, which always comes before the lead's next send, because
 * a send needs a reservation and a reservation needs a flush. So a crash still finds every
 * intent committed before its send, and the batch costs a few transactions instead of a few
 * per lead.
 */
import {
  type EngineStore,
  type EnrollmentContext,
  eventsKey,
  type StepStore,
  type StoredEvent,
  type StoreOp,
  type StoreOpResult,
} from "./ports";

interface Pending {
  op: StoreOp;
  /** Present when the step waits for the answer. */
  settle?: { resolve: (result: StoreOpResult) => void; reject: (error: unknown) => void };
}

export interface SessionStats {
  flushes: number;
  ops: number;
  /** Moves of a lead along the graph that committed. */
  moves: number;
}

export class BatchSession {
  private queue: Pending[] = [];
  private live = 0;
  private waiting = 0;
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;
  private readonly events = new Map<string, StoredEvent[]>();
  /** The (account, lead) pairs of the batch, whose events every flush reads again. */
  private readonly pairs = new Map<string, { accountId: string; leadId: string }>();
  private readonly accountOf = new Map<string, string>();
  readonly stats: SessionStats = { flushes: 0, ops: 0, moves: 0 };

  constructor(
    private readonly store: EngineStore,
    private readonly owner: string,
    private readonly contexts: EnrollmentContext[],
  ) {
    for (const context of contexts) {
      const key = eventsKey(context.account.id, context.lead.id);
      this.events.set(key, context.events);
      this.pairs.set(key, { accountId: context.account.id, leadId: context.lead.id });
      this.accountOf.set(context.enrollment.id, context.account.id);
    }
  }

  /**
   * Runs `step` for every context at once and waits for all; `onDone` hears each as it ends.
   * A failed flush fails every step still running (their leases run out and another claim
   * picks them up, reconciling any intent), and `run` rethrows the first error.
   */
  async run<T>(
    step: (store: StepStore, context: EnrollmentContext) => Promise<T>,
    onDone?: (context: EnrollmentContext, result: T) => void,
  ): Promise<T[]> {
    this.live = this.contexts.length;
    const settled = await Promise.allSettled(
      this.contexts.map(async (context) => {
        try {
          const result = await step(this.stepStore, context);
          onDone?.(context, result);
          return result;
        } finally {
          this.live--;
          this.maybeFlush();
        }
      }),
    );
    // Queued writes of steps that ended without waiting on anything.
    if (this.flushing) await this.flushing;
    if (this.queue.length > 0 && this.failure === null) await this.flushNow();
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    if (this.failure !== null) throw this.failure;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  }

  private enqueue(op: StoreOp): void {
    if (this.failure !== null) throw this.failure;
    this.queue.push({ op });
  }

  private ask(op: StoreOp): Promise<StoreOpResult> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ op, settle: { resolve, reject } });
      this.waiting++;
      this.maybeFlush();
    });
  }

  private maybeFlush() {
    if (this.flushing || this.waiting === 0 || this.waiting < this.live) return;
    this.flushing = this.flushNow().finally(() => {
      this.flushing = null;
      // Steps resumed by this flush may all be waiting again already.
      this.maybeFlush();
    });
  }

  private async flushNow(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const asking = batch.filter((p) => p.settle).length;
    try {
      const { results, events } = await this.store.flush({
        owner: this.owner,
        ops: batch.map((p) => p.op),
        events: [...this.pairs.values()],
      });
      this.stats.flushes++;
      this.stats.ops += batch.length;
      for (const [key, list] of events) this.events.set(key, list);
      for (const context of this.contexts) {
        context.events = this.events.get(eventsKey(context.account.id, context.lead.id)) ?? [];
      }
      this.waiting -= asking;
      batch.forEach((pending, i) => {
        const result = results[i] ?? { type: "done" };
        if (pending.op.type === "move" && result.type === "written" && result.held) {
          this.stats.moves++;
        }
        pending.settle?.resolve(result);
      });
    } catch (error) {
      this.failure ??= error;
      this.waiting -= asking;
      for (const pending of batch) pending.settle?.reject(error);
    }
  }

  private readonly stepStore: StepStore = {
    transition: async (enrollmentId, _owner, change) => {
      const op: StoreOp = {
        type: "move",
        enrollmentId,
        accountId: this.accountOfEnrollment(enrollmentId),
        change,
      };
      // A move along the graph is written behind: if the lease was lost, the step's next
      // call (a reservation or its last write) says so, and nothing was sent in between.
      if (change.state === "active") {
        this.enqueue(op);
        return true;
      }
      const result = await this.ask(op);
      return result.type === "written" && result.held;
    },
    reschedule: async (enrollmentId, _owner, nextRunAt, stepState) => {
      const result = await this.ask({
        type: "reschedule",
        enrollmentId,
        accountId: this.accountOfEnrollment(enrollmentId),
        nextRunAt,
        stepState,
      });
      return result.type === "written" && result.held;
    },
    eventsFor: async (accountId, leadId) => this.events.get(eventsKey(accountId, leadId)) ?? [],
    reserveSend: async (request) => {
      const result = await this.ask({ type: "reserve", request });
      if (result.type === "done" || result.type === "written") {
        throw new Error(`a reservation came back as ${result.type}`);
      }
      return result;
    },
    completeAction: async (actionId, context, completion) => {
      this.enqueue({ type: "complete", actionId, accountId: context.account.id, completion });
    },
    updateLeadProfile: async (leadId, profile) => {
      this.enqueue({ type: "lead_profile", leadId, profile });
    },
    coolDownAccount: async (accountId, until, reason) => {
      this.enqueue({ type: "cool_down", accountId, until, reason });
    },
    pauseAccount: async (accountId, status, reason) => {
      this.enqueue({ type: "pause", accountId, status, reason });
    },
    holdStep: async (hold) => {
      this.enqueue({ type: "hold_step", hold });
    },
  };

  private accountOfEnrollment(enrollmentId: string): string {
    const accountId = this.accountOf.get(enrollmentId);
    if (!accountId) throw new Error(`enrollment ${enrollmentId} is not in this batch`);
    return accountId;
  }
}
