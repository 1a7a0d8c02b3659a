"use client";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { MAX_VARIANT_WEIGHT, MAX_VARIANTS, variantLetter } from "@/workflows/nodes/index";
import { NumberField } from "./fields";
import type { FieldErrors } from "./model/fields";

export type Variant = { id: string; weight: unknown } & Record<string, unknown>;

function isVariant(value: unknown): value is Variant {
  return typeof value === "object" && value !== null && typeof (value as Variant).id === "string";
}

function nextVariantId(variants: readonly Variant[]): string {
  const used = new Set(variants.map((variant) => variant.id));
  for (const letter of "abcdefghijklmnopqrstuvwxyz") if (!used.has(letter)) return letter;
  return `v${variants.length + 1}`;
}

/**
 * A/B variants of a text: each with a weight (its share of leads) and its own fields, up to
 * four. One variant is a plain text; the weights show only once there is something to compare.
 */
export function VariantsField({
  id,
  path,
  noun,
  value,
  minimum,
  errors,
  onChange,
  newVariant,
  renderVariant,
  empty,
  disabled,
}: {
  id: string;
  /** The config field holding the list ("variants"), for errors and undo grouping. */
  path: string;
  noun: string;
  value: unknown;
  minimum: 0 | 1;
  errors: FieldErrors;
  onChange: (variants: Variant[], field: string) => void;
  newVariant: (id: string, copyOf: Variant | undefined) => Variant;
  renderVariant: (
    variant: Variant,
    index: number,
    update: (change: Record<string, unknown>, field: string) => void,
    label: string,
  ) => ReactNode;
  /** Shown when the list is empty (a connection without a note). */
  empty?: ReactNode;
  disabled?: boolean;
}) {
  const variants = Array.isArray(value) ? value.filter(isVariant) : [];
  const abTest = variants.length > 1;
  const weights = variants.map((variant) =>
    typeof variant.weight === "number" && variant.weight > 0 ? variant.weight : 0,
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const listErrors = errors[path] ?? [];

  const update = (index: number) => (change: Record<string, unknown>, field: string) =>
    onChange(
      variants.map((variant, at) => (at === index ? { ...variant, ...change } : variant)),
      `${path}.${index}.${field}`,
    );

  return (
    <div className="space-y-3">
      {variants.length === 0 ? empty : null}
      {variants.map((variant, index) => {
        const letter = variantLetter(index);
        const label = abTest ? `Variant ${letter}` : noun;
        const share = total > 0 ? Math.round((weights[index]! / total) * 100) : 0;
        return (
          <fieldset
            key={variant.id}
            className={abTest ? "space-y-3 rounded-md p-3 ring-1 ring-slate-200" : "space-y-3"}
          >
            <legend className={abTest ? "px-1 text-sm font-semibold text-slate-800" : "sr-only"}>
              {label}
            </legend>
            {renderVariant(variant, index, update(index), label)}
            {abTest ? (
              <div className="flex items-end gap-3">
                <NumberField
                  id={`${id}-${variant.id}-weight`}
                  label={`Weight of variant ${letter}`}
                  value={variant.weight}
                  min={1}
                  max={MAX_VARIANT_WEIGHT}
                  onChange={(weight) => update(index)({ weight }, "weight")}
                  errors={errors[`${path}.${index}.weight`]}
                  hint={`${share}% of leads`}
                  disabled={disabled}
                  className="w-40"
                />
                {variants.length > minimum ? (
                  <Button
                    variant="ghost"
                    className="mb-5 px-2 py-1 text-xs"
                    disabled={disabled}
                    onClick={() =>
                      onChange(
                        variants.filter((_, at) => at !== index),
                        `${path}.remove`,
                      )
                    }
                  >
                    Remove variant {letter}
                  </Button>
                ) : null}
              </div>
            ) : variants.length > minimum ? (
              <Button
                variant="ghost"
                className="px-2 py-1 text-xs"
                disabled={disabled}
                onClick={() => onChange([], `${path}.remove`)}
              >
                Remove the {noun.toLowerCase()}
              </Button>
            ) : null}
          </fieldset>
        );
      })}
      {listErrors.length > 0 ? (
        <p className="text-xs text-red-700">{listErrors.join(" ")}</p>
      ) : null}
      {variants.length < MAX_VARIANTS ? (
        <Button
          variant="secondary"
          className="px-2.5 py-1 text-xs"
          disabled={disabled}
          onClick={() =>
            onChange(
              [...variants, newVariant(nextVariantId(variants), variants.at(-1))],
              `${path}.add`,
            )
          }
        >
          {variants.length === 0
            ? `Add a ${noun.toLowerCase()}`
            : `Add variant ${variantLetter(variants.length)} (A/B test)`}
        </Button>
      ) : null}
    </div>
  );
}
