import { describe, expect, it } from "vitest";
import { messageConfigSchema } from "./message";
import { pickVariant } from "./variants";

const variants = [
  { id: "a", weight: 1, text: "A" },
  { id: "b", weight: 3, text: "B" },
];

describe("picking an A/B variant", () => {
  it("picks in proportion to the weights", () => {
    expect(pickVariant(variants, 0)?.id).toBe("a");
    expect(pickVariant(variants, 0.24)?.id).toBe("a");
    expect(pickVariant(variants, 0.25)?.id).toBe("b");
    expect(pickVariant(variants, 0.999)?.id).toBe("b");
  });

  it("keeps a roll out of range on the last or first variant", () => {
    expect(pickVariant(variants, 1)?.id).toBe("b");
    expect(pickVariant(variants, -1)?.id).toBe("a");
  });

  it("returns nothing when there is no variant", () => {
    expect(pickVariant([], 0.5)).toBeUndefined();
  });
});

describe("variant rules", () => {
  const codes = (config: unknown) => {
    const parsed = messageConfigSchema.safeParse(config);
    return parsed.success
      ? []
      : parsed.error.issues.map((issue) =>
          issue.code === "custom" ? issue.params?.diagnosticCode : issue.code,
        );
  };

  it("accepts one to four variants with whole weights from 1 to 100", () => {
    expect(codes({ variants: [{ id: "a", weight: 100, text: "x" }] })).toEqual([]);
  });

  it("rejects a fifth variant", () => {
    const five = ["a", "b", "c", "d", "e"].map((id) => ({ id, weight: 1, text: id }));
    expect(codes({ variants: five })).toEqual(["variant_count"]);
  });

  it("rejects zero, fractional and oversized weights", () => {
    expect(
      codes({
        variants: [
          { id: "a", weight: 0, text: "x" },
          { id: "b", weight: 1.5, text: "x" },
          { id: "c", weight: 101, text: "x" },
        ],
      }),
    ).toEqual(["variant_weight_invalid", "variant_weight_invalid", "variant_weight_invalid"]);
  });

  it("rejects two variants with the same id", () => {
    expect(
      codes({
        variants: [
          { id: "a", weight: 1, text: "x" },
          { id: "a", weight: 1, text: "y" },
        ],
      }),
    ).toEqual(["duplicate_variant_id"]);
  });
});
