import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultConfig, EXIT_HANDLES, NODE_KINDS } from "../nodes/index";
import { branchMap, labelBranch, parseBranchKey } from "./branches";
import { DIAGNOSTIC_CODES, diagnosticSchema } from "./diagnostics";
import { parseDraftGraph } from "./parse";
import { validateGraph } from "./validate";

/** Every odd value fast-check can make, including objects without a prototype. */
const garbage = fc.anything({
  maxDepth: 2,
  maxKeys: 5,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withBoxedValues: true,
  withSparseArray: true,
  withTypedArray: true,
  withObjectString: true,
});

/** A small id pool so that random edges often hit real steps. */
const nodeId = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("a", "b", "c", "d", "e", "f") },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: garbage },
);

const node = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(...NODE_KINDS).chain((kind) =>
      fc.record({
        id: nodeId,
        kind: fc.oneof({ weight: 9, arbitrary: fc.constant<unknown>(kind) }, garbage),
        position: fc.oneof(
          { weight: 9, arbitrary: fc.record({ x: fc.double(), y: fc.double() }) },
          garbage,
        ),
        config: fc.oneof(
          { weight: 5, arbitrary: fc.constant<unknown>(defaultConfig(kind)) },
          { weight: 1, arbitrary: fc.object() },
          { weight: 1, arbitrary: garbage },
        ),
      }),
    ),
  },
  { weight: 1, arbitrary: garbage },
);

const edge = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        id: fc.oneof(
          fc.uuid().map((id) => id.slice(0, 8)),
          fc.string(),
          garbage,
        ),
        source: nodeId,
        sourceHandle: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom<unknown>(...EXIT_HANDLES) },
          { weight: 1, arbitrary: garbage },
        ),
        target: nodeId,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: garbage },
);

const graphLike = fc.record(
  {
    schemaVersion: fc.oneof(
      { weight: 8, arbitrary: fc.constant<unknown>(2) },
      { weight: 1, arbitrary: fc.constant<unknown>(1) },
      { weight: 1, arbitrary: garbage },
    ),
    nodes: fc.oneof(
      // Mostly distinct ids, so that wiring and path rules are reached, not only duplicate ids.
      {
        weight: 6,
        arbitrary: fc.uniqueArray(node, {
          maxLength: 10,
          selector: (candidate) => (candidate as { id?: unknown } | null)?.id,
        }),
      },
      { weight: 3, arbitrary: fc.array(node, { maxLength: 10 }) },
      garbage,
    ),
    edges: fc.oneof({ weight: 9, arbitrary: fc.array(edge, { maxLength: 16 }) }, garbage),
  },
  { requiredKeys: [] },
);

const codes = new Set<string>(DIAGNOSTIC_CODES);

function expectWellFormed(input: unknown) {
  const result = validateGraph(input);
  for (const diagnostic of result.diagnostics) {
    expect(diagnosticSchema.safeParse(diagnostic).success).toBe(true);
    expect(codes.has(diagnostic.code)).toBe(true);
    expect(diagnostic.message.length).toBeGreaterThan(0);
  }
  expect(result.errors.length + result.warnings.length).toBe(result.diagnostics.length);
  expect(result.ok).toBe(result.errors.length === 0);
  return result;
}

describe("validation never throws", () => {
  it("returns well-formed diagnostics for random graph-like objects", () => {
    fc.assert(
      fc.property(graphLike, (input) => void expectWellFormed(input)),
      { numRuns: 500 },
    );
  });

  it("reports anything that is not an object as not a graph", () => {
    fc.assert(
      fc.property(garbage, (input) => {
        const result = expectWellFormed(input);
        if (typeof input !== "object" || input === null || Array.isArray(input)) {
          expect(result.isGraph).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("accepts any JSON text parsed by the API without throwing", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => void expectWellFormed(input)),
      {
        numRuns: 300,
      },
    );
  });

  it("computes branches of any readable draft with keys that never repeat a step", () => {
    fc.assert(
      fc.property(graphLike, (input) => {
        const parsed = parseDraftGraph(input);
        if (!parsed.ok) return;
        const { byNode } = branchMap(parsed.graph, { maxStates: 500 });
        for (const paths of byNode.values()) {
          for (const path of paths) {
            const ids = path.steps.map((step) => step.nodeId);
            expect(new Set(ids).size).toBe(ids.length);
            expect(labelBranch(parsed.graph, path.key)).toBe(path.label);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("labels any string as a branch key without throwing", () => {
    const graph = { schemaVersion: 2 as const, nodes: [], edges: [] };
    fc.assert(
      fc.property(fc.string(), (key) => {
        expect(typeof labelBranch(graph, key)).toBe("string");
        expect(Array.isArray(parseBranchKey(key))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
