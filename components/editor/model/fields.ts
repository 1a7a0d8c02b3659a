/**
 * The inspector's form checks: a step's config parsed by its kind's zod schema, with each
 * problem filed under the path of the field it is about ("variants.1.weight"), so the form can
 * show it beside that field. Whole-step problems (a text too long, a missing connection) come
 * from validation and show in the step's diagnostics instead.
 */
import { getNodeDefinition, type NodeKind } from "@/workflows/nodes/index";

export type FieldErrors = Readonly<Record<string, readonly string[]>>;

export const NO_FIELD_ERRORS: FieldErrors = Object.freeze({});

export function fieldErrors(kind: NodeKind, config: unknown): FieldErrors {
  const parsed = getNodeDefinition(kind).configSchema.safeParse(config);
  if (parsed.success) return NO_FIELD_ERRORS;
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join(".");
    errors[path] = [...(errors[path] ?? []), issue.message];
  }
  return errors;
}

/** A number field's value: the number when the text is one, else the text itself (kept, so
 * the user sees and fixes it; the schema reports it). */
export function numberFromInput(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : text;
}
