import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Test files in a shuffled order drawn from the run's seed, except that the long suites start
 * first, longest first: files are shuffled so none leans on another having run, and a long
 * suite drawn last would otherwise run alone at the end while the other worker sits idle.
 */
export function longFirstSequencer(longSuites: readonly string[]) {
  return class LongFirstSequencer extends BaseSequencer {
    override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      const root = this.ctx.config.root;
      const rank = (file: TestSpecification) => {
        const index = longSuites.indexOf(path.relative(root, file.moduleId));
        return index < 0 ? longSuites.length : index;
      };
      const drawn = shuffle(files, this.ctx.config.sequence.seed);
      return drawn
        .map((file, order) => ({ file, order, rank: rank(file) }))
        .sort((a, b) => a.rank - b.rank || a.order - b.order)
        .map(({ file }) => file);
    }
  };
}

/** Fisher–Yates with a small seeded generator (mulberry32): the same seed, the same order. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
