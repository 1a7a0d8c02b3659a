/**
 * Seeded, replayable randomness.
 *
 * Every random choice the engine makes (a gap between sends, a day's start offset, an A/B
 * variant) is a *named draw*: a pure function of a seed built from the simulation or workspace
 * seed, the entity it concerns and its purpose. The same name always gives the same value, so a
 * retried step never re-rolls and a simulation with the same seed gives the same schedule.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

export type Seed = string | number;
export type SeedPart = string | number;

/**
 * Builds the seed of a named draw, e.g. `seedFor(workspaceSeed, accountId, "send-gap", actionId)`.
 * Parts are JSON-encoded so `("a:b", "c")`, `("a", "b:c")` and `("a", 1)` vs `("a", "1")` differ.
 */
export function seedFor(...parts: readonly SeedPart[]): string {
  for (const part of parts) {
    if (typeof part === "number" && !Number.isFinite(part)) {
      throw new RangeError(`seed part must be a finite number, got ${part}`);
    }
  }
  return JSON.stringify(parts);
}

/**
 * cyrb128 (bryc, public domain): hashes the seed to the 128-bit state xoroshiro128+ takes.
 * A 32-bit seed would make two of the engine's millions of named draws collide after ~77k draws
 * (birthday bound); 128 bits keeps unrelated draws independent.
 */
function hashSeed(seed: Seed): [number, number, number, number] {
  const text = typeof seed === "number" ? `#${seed}` : seed;
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  // An all-zero state would make xoroshiro128+ emit zeros forever.
  if ((h1 | h2 | h3 | h4) === 0) h1 = 1;
  return [h1 | 0, h2 | 0, h3 | 0, h4 | 0];
}

/** A fresh generator for one named draw; callers needing several values draw from it in order. */
export function generatorFor(seed: Seed): RandomGenerator {
  return xoroshiro128plusFromState(hashSeed(seed));
}

/** Uniform in [0, 1). */
export function uniform01(seed: Seed): number {
  return uniformFloat64(generatorFor(seed));
}

/** Uniform integer in [min, max], both included. */
export function drawInt(seed: Seed, min: number, max: number): number {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max) {
    throw new RangeError(`drawInt needs integers min <= max, got [${min}, ${max}]`);
  }
  return uniformInt(generatorFor(seed), min, max);
}

/**
 * Maps a uniform number `u` in [0, 1) to a log-uniform value in [min, max]: small values are as
 * likely per factor of two as large ones, which is how human pauses spread. Exported so a draw
 * stored as `u` can be turned into seconds later with the settings then in force.
 */
export function scaleLogUniform(u: number, min: number, max: number): number {
  if (!(u >= 0 && u < 1)) throw new RangeError(`u must be in [0, 1), got ${u}`);
  if (!(min > 0 && min <= max && Number.isFinite(max))) {
    throw new RangeError(`log-uniform needs 0 < min <= max, got [${min}, ${max}]`);
  }
  const value = min * Math.exp(u * Math.log(max / min));
  return Math.min(max, Math.max(min, value));
}

/** Log-uniform in [min, max]; its median is the geometric mean √(min·max). */
export function drawLogUniform(seed: Seed, min: number, max: number): number {
  return scaleLogUniform(uniform01(seed), min, max);
}

/** True with probability `p`. */
export function bernoulli(seed: Seed, p: number): boolean {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
  return uniform01(seed) < p;
}

/**
 * Picks one item with probability proportional to its weight (A/B variants). Items with weight 0
 * are never picked; the order of items is part of the draw, so keep it stable.
 */
export function pickWeighted<T extends { readonly weight: number }>(
  seed: Seed,
  items: readonly T[],
): T {
  let total = 0;
  for (const item of items) {
    if (!(Number.isFinite(item.weight) && item.weight >= 0)) {
      throw new RangeError(`weights must be finite and >= 0, got ${item.weight}`);
    }
    total += item.weight;
  }
  if (!(total > 0)) throw new RangeError("pickWeighted needs at least one positive weight");
  const target = uniform01(seed) * total;
  let cumulative = 0;
  let lastPositive: T | undefined;
  for (const item of items) {
    if (item.weight === 0) continue;
    cumulative += item.weight;
    lastPositive = item;
    if (target < cumulative) return item;
  }
  // Floating-point sums can leave `target` a hair above the last boundary.
  return lastPositive as T;
}
