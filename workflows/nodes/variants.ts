/**
 * A/B variants of a text (connection note, message, InMail). One variant means no A/B test;
 * two to four are compared, each lead getting one at random in proportion to the weights. The
 * engine records which variant it picked.
 */
import { z } from "zod";
import { type NodeIssueCode, variantLetter } from "./definition";

export const MAX_VARIANTS = 4;
export const MAX_VARIANT_WEIGHT = 100;

export const variantIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, "should be 1 to 32 letters, digits, - or _");

export interface WeightedVariant {
  id: string;
  weight: number;
}

function issue(
  ctx: z.core.$RefinementCtx,
  code: NodeIssueCode,
  message: string,
  path: PropertyKey[] = [],
) {
  ctx.addIssue({ code: "custom", message, path, params: { diagnosticCode: code } });
}

/**
 * Rules shared by every variant list. Weights are checked here rather than with `z.int()` so
 * the problem carries its own diagnostic code and a message naming the variant.
 */
export function variantRules(options: { minimum: 0 | 1; noun: string }) {
  return (variants: readonly WeightedVariant[], ctx: z.core.$RefinementCtx) => {
    if (variants.length < options.minimum) {
      issue(ctx, "empty_text", `The ${options.noun} has no text yet.`);
    }
    if (variants.length > MAX_VARIANTS) {
      issue(
        ctx,
        "variant_count",
        `An A/B test compares at most ${MAX_VARIANTS} variants of the ${options.noun}; this one has ${variants.length}.`,
      );
    }
    const seen = new Set<string>();
    variants.forEach((variant, index) => {
      const { weight } = variant;
      if (!Number.isInteger(weight) || weight < 1 || weight > MAX_VARIANT_WEIGHT) {
        issue(
          ctx,
          "variant_weight_invalid",
          `${capitalise(options.noun)}, variant ${variantLetter(index)}: the weight must be a whole number from 1 to ${MAX_VARIANT_WEIGHT}.`,
          [index, "weight"],
        );
      }
      if (seen.has(variant.id)) {
        issue(
          ctx,
          "duplicate_variant_id",
          `${capitalise(options.noun)}, variant ${variantLetter(index)}: another variant has the same id "${variant.id}", so results could not be told apart.`,
          [index, "id"],
        );
      }
      seen.add(variant.id);
    });
  };
}

/** "Note" for a single text, "Note, variant B" inside an A/B test. */
export function variantName(noun: string, index: number, count: number): string {
  return count > 1 ? `${capitalise(noun)}, variant ${variantLetter(index)}` : capitalise(noun);
}

/**
 * Picks a variant in proportion to its weight. `roll` is a uniform number in [0, 1) drawn (and
 * stored) by the caller, so the choice is reproducible.
 */
export function pickVariant<Variant extends WeightedVariant>(
  variants: readonly Variant[],
  roll: number,
): Variant | undefined {
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  let remaining = Math.min(Math.max(roll, 0), 1) * total;
  for (const variant of variants) {
    if (remaining < variant.weight) return variant;
    remaining -= variant.weight;
  }
  return variants.at(-1);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
