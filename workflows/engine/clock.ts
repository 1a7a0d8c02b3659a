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

/** Virtual now = origin + real time elapsed since creation × scale. */
export function acceleratedClock({
  scale,
  origin,
  realTime = Date.now,
}: AcceleratedClockOptions): Clock {
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(`time scale must be a positive number, got ${scale}`);
  }
  const realStart = realTime();
  const virtualStart = origin?.getTime() ?? realStart;
  return {
    now: () => new Date(virtualStart + (realTime() - realStart) * scale),
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
