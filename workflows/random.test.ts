import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bernoulli,
  drawInt,
  drawLogUniform,
  pickWeighted,
  scaleLogUniform,
  seedFor,
  uniform01,
} from "./random";

const SAMPLES = 20_000;

describe("seedFor", () => {
  it("gives the same seed for the same parts and different seeds when parts differ", () => {
    expect(seedFor("sim-1", "acct-1", "send-gap")).toBe(seedFor("sim-1", "acct-1", "send-gap"));
    expect(seedFor("a:b", "c")).not.toBe(seedFor("a", "b:c"));
    expect(seedFor("a", 1)).not.toBe(seedFor("a", "1"));
  });

  it("refuses non-finite numbers, which would all encode as null", () => {
    expect(() => seedFor("a", Number.NaN)).toThrow(RangeError);
  });
});

describe("named draws are replayable", () => {
  it("returns the same value for the same seed, whatever was drawn in between", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (seed, other) => {
        const first = uniform01(seed);
        uniform01(other);
        expect(uniform01(seed)).toBe(first);
        expect(drawInt(seed, 1, 6)).toBe(drawInt(seed, 1, 6));
        expect(drawLogUniform(seed, 90, 360)).toBe(drawLogUniform(seed, 90, 360));
      }),
    );
  });

  it("gives different values for neighbouring named draws", () => {
    const values = new Set<number>();
    for (let i = 0; i < 1000; i++) values.add(uniform01(seedFor("sim", "acct", "gap", i)));
    expect(values.size).toBe(1000);
  });

  it("treats a number seed and its string spelling as different seeds", () => {
    expect(uniform01(42)).not.toBe(uniform01("42"));
  });
});

describe("uniform01", () => {
  it("stays in [0, 1) with a mean near 1/2", () => {
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const u = uniform01(seedFor("u01", i));
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / SAMPLES).toBeCloseTo(0.5, 1);
  });
});

describe("drawLogUniform", () => {
  it("respects its bounds and has its median near the geometric mean", () => {
    const draws: number[] = [];
    for (let i = 0; i < SAMPLES; i++) draws.push(drawLogUniform(seedFor("gap", i), 90, 360));
    draws.sort((a, b) => a - b);
    expect(draws[0]).toBeGreaterThanOrEqual(90);
    expect(draws[draws.length - 1]).toBeLessThanOrEqual(360);
    const median = draws[SAMPLES / 2] ?? Number.NaN;
    expect(Math.abs(median - Math.sqrt(90 * 360))).toBeLessThan(5); // geometric mean 180
    // Log-uniform: a quarter of the mass in each quarter of log-space, e.g. below 90·√2.
    const belowFirstQuarter = draws.filter((d) => d < 90 * Math.SQRT2).length / SAMPLES;
    expect(belowFirstQuarter).toBeCloseTo(0.25, 1);
  });

  it("maps u to the bounds exactly at the ends and refuses invalid ranges", () => {
    expect(scaleLogUniform(0, 90, 360)).toBe(90);
    expect(scaleLogUniform(0.5, 90, 360)).toBeCloseTo(180, 9);
    expect(scaleLogUniform(0.999999, 5, 5)).toBe(5);
    expect(() => scaleLogUniform(0.5, 0, 10)).toThrow(RangeError);
    expect(() => scaleLogUniform(0.5, 10, 5)).toThrow(RangeError);
    expect(() => scaleLogUniform(1, 1, 5)).toThrow(RangeError);
  });
});

describe("drawInt", () => {
  it("covers every integer of the range, both ends included, and nothing else", () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const value = drawInt(seedFor("die", i), 1, 6);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
  });

  it("refuses fractional or inverted ranges", () => {
    expect(() => drawInt("s", 1.5, 3)).toThrow(RangeError);
    expect(() => drawInt("s", 3, 1)).toThrow(RangeError);
  });
});

describe("bernoulli", () => {
  it("is true with roughly probability p, never for 0 and always for 1", () => {
    let hits = 0;
    let neverHits = 0;
    let alwaysHits = 0;
    for (let i = 0; i < SAMPLES; i++) {
      if (bernoulli(seedFor("coin", i), 0.3)) hits++;
      if (bernoulli(seedFor("never", i), 0)) neverHits++;
      if (bernoulli(seedFor("always", i), 1)) alwaysHits++;
    }
    expect(hits / SAMPLES).toBeCloseTo(0.3, 1);
    expect(neverHits).toBe(0);
    expect(alwaysHits).toBe(SAMPLES);
  });

  it("refuses probabilities outside [0, 1]", () => {
    expect(() => bernoulli("s", 1.2)).toThrow(RangeError);
  });
});

describe("pickWeighted", () => {
  it("picks A/B variants with frequencies that follow their weights", () => {
    const variants = [
      { id: "A", weight: 70 },
      { id: "B", weight: 20 },
      { id: "C", weight: 10 },
      { id: "off", weight: 0 },
    ];
    const counts: Record<string, number> = { A: 0, B: 0, C: 0, off: 0 };
    for (let i = 0; i < SAMPLES; i++) {
      const picked = pickWeighted(seedFor("variant", i), variants);
      counts[picked.id] = (counts[picked.id] ?? 0) + 1;
    }
    expect((counts.A ?? 0) / SAMPLES).toBeCloseTo(0.7, 1);
    expect((counts.B ?? 0) / SAMPLES).toBeCloseTo(0.2, 1);
    expect((counts.C ?? 0) / SAMPLES).toBeCloseTo(0.1, 1);
    expect(counts.off).toBe(0);
  });

  it("always returns one of the items with a positive weight", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 8 }),
        (seed, weights) => {
          fc.pre(weights.some((w) => w > 0));
          const items = weights.map((weight, index) => ({ index, weight }));
          const picked = pickWeighted(seed, items);
          expect(picked.weight).toBeGreaterThan(0);
          expect(items).toContain(picked);
        },
      ),
    );
  });

  it("refuses an empty list, all-zero weights and negative weights", () => {
    expect(() => pickWeighted("s", [])).toThrow(RangeError);
    expect(() => pickWeighted("s", [{ weight: 0 }])).toThrow(RangeError);
    expect(() => pickWeighted("s", [{ weight: 2 }, { weight: -1 }])).toThrow(RangeError);
  });
});
