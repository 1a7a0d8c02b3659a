/**
 * The Clock port: the engine never reads the system time directly, so production runs on real
 * time, the local demo on an accelerated clock, and tests and forecasts on a virtual clock that
 * jumps straight to the next due time.
 */
export interface Clock {
  now(): Date;
}

export const realClock: Clock = {
  now: () => new Date(),
};

export interface AcceleratedClockOptions {
  /** How many virtual milliseconds pass per real millisecond (OUTFLOW_TIME_SCALE=600: 10 min/s). */
  scale: number;
  /** The virtual instant the clock shows when it is created; defaults to the real time then. */
  origin?: Date;
  /** Real time source in epoch ms; injectable so tests need not sleep. */
  realTime?: () => number;
}

/**
 * An accelerated clock that never runs ahead of the engine: it can be held while due work is
 * done, and told not to pass the next instant work is due, where it waits for the engine.
 */
export interface AcceleratedClock extends Clock {
  /** Stops virtual time where it stands until `run` is called. */
  hold(): void;
  /**
   * Lets virtual time pass again from where it stands, `scale` times faster than real time,
   * but never past `until` (the next instant work is due), where it stops and waits.
   */
  run(until?: Date | null): void;
  /** True while held. */
  readonly held: boolean;
}

/** Virtual now = origin + real time elapsed × scale, less the time it was held or waited. */
export function acceleratedClock({
  scale,
  origin,
  realTime = Date.now,
}: AcceleratedClockOptions): AcceleratedClock {
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(`time scale must be a positive number, got ${scale}`);
  }
  let realStart = realTime();
  let virtualStart = origin?.getTime() ?? realStart;
  let limit = Number.POSITIVE_INFINITY;
  let held = false;
  const read = () =>
    held ? virtualStart : Math.min(limit, virtualStart + (realTime() - realStart) * scale);
  return {
    now: () => new Date(read()),
    hold() {
      virtualStart = read();
      held = true;
    },
    run(until) {
      virtualStart = read();
      realStart = realTime();
      limit = until ? Math.max(until.getTime(), virtualStart) : Number.POSITIVE_INFINITY;
      held = false;
    },
    get held() {
      return held;
    },
  };
}

/** A clock that moves only when told to: for tests and simulations. */
export class VirtualClock implements Clock {
  #nowMs: number;

  constructor(start: Date | number) {
    this.#nowMs = toEpochMs(start);
  }

  now(): Date {
    return new Date(this.#nowMs);
  }

  /** Sets the time, in either direction (e.g. to replay a scenario from its start). */
  set(instant: Date | number): void {
    this.#nowMs = toEpochMs(instant);
  }

  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) {
      throw new RangeError(`a virtual clock only advances by a finite ms >= 0, got ${ms}`);
    }
    this.#nowMs += ms;
  }

  /** Jumps to a later instant (the next due time); refuses going back, which would re-run work. */
  advanceTo(instant: Date | number): void {
    const target = toEpochMs(instant);
    if (target < this.#nowMs) {
      throw new RangeError(
        `cannot move a virtual clock back from ${new Date(this.#nowMs).toISOString()} to ${new Date(target).toISOString()}`,
      );
    }
    this.#nowMs = target;
  }
}

function toEpochMs(instant: Date | number): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("invalid instant");
  return ms;
}
