import { describe, expect, it } from "vitest";
import type { TestSpecification } from "vitest/node";
import { longFirstSequencer } from "./long-first-sequencer";

const LONG = ["db/long-a.test.ts", "db/long-b.test.ts"];
const names = Array.from({ length: 20 }, (_, i) => `x/file-${i}.test.ts`);

async function order(seed: number, files = [...names, ...LONG.toReversed()]) {
  const Sequencer = longFirstSequencer(LONG);
  const sequencer = new Sequencer({ config: { root: "/repo", sequence: { seed } } } as never);
  const specs = files.map((name) => ({ moduleId: `/repo/${name}` }) as TestSpecification);
  return (await sequencer.sort(specs)).map((spec) => spec.moduleId.slice("/repo/".length));
}

describe("the long-first test file order", () => {
  it("starts the long suites first, in the order listed, then the rest shuffled", async () => {
    const sorted = await order(42);
    expect(sorted.slice(0, 2)).toEqual(LONG);
    expect(sorted.slice(2).toSorted()).toEqual(names.toSorted());
    expect(sorted.slice(2)).not.toEqual(names);
  });

  it("gives the same order for the same seed, another for another seed", async () => {
    expect(await order(7)).toEqual(await order(7));
    expect(await order(7)).not.toEqual(await order(8));
  });
});
