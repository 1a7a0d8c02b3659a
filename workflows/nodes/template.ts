/**
 * Personalisation templates in connection notes, messages and InMails:
 * `{{firstName}}`, `{{lastName}}`, `{{company}}`, `{{title}}`, `{{custom.fieldName}}`, each with
 * an optional fallback used when the lead has no value: `{{firstName|there}}`.
 */
import { characterCount } from "./limits";

export const LEAD_VARIABLES = ["firstName", "lastName", "company", "title"] as const;
export type LeadVariable = (typeof LEAD_VARIABLES)[number];

export const CUSTOM_FIELD_PREFIX = "custom.";
const CUSTOM_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The lead fields a template can use. Missing and blank values fall back. */
export interface TemplateLead {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  title?: string | null;
  custom?: Readonly<Record<string, string | null | undefined>>;
}

export type TemplateSegment =
  | { type: "text"; text: string }
  | { type: "variable"; name: string; fallback: string | null; placeholder: string };

export type TemplateProblemCode = "unknown_template_variable" | "template_syntax";

export interface TemplateProblem {
  code: TemplateProblemCode;
  message: string;
}

/**
 * The longest value we expect for each variable when checking a text against a limit before
 * any lead is known. Real names and titles can be longer; these are "plausible worst cases".
 */
export interface LongestValues {
  firstName: number;
  lastName: number;
  company: number;
  title: number;
  /** Any custom field without its own entry below. */
  custom: number;
  customFields: Readonly<Record<string, number>>;
}

export const DEFAULT_LONGEST_VALUES: LongestValues = {
  firstName: 20,
  lastName: 25,
  company: 40,
  title: 60,
  custom: 50,
  customFields: {},
};

export interface TemplateOptions {
  /** Custom field names leads have; when absent any `custom.x` is accepted. */
  knownCustomFields?: readonly string[];
  longestValues?: Partial<LongestValues>;
}

export interface TemplateAnalysis {
  segments: TemplateSegment[];
  /** Variable names used, in order of first use, without duplicates. */
  variables: string[];
  problems: TemplateProblem[];
  /** Characters of the text around the placeholders: the length no lead can shorten. */
  literalLength: number;
  /** Length when every variable takes its longest plausible value (or a longer fallback). */
  worstCaseLength: number;
}

export function parseTemplate(text: string): {
  segments: TemplateSegment[];
  problems: TemplateProblem[];
} {
  const segments: TemplateSegment[] = [];
  const problems: TemplateProblem[] = [];
  let cursor = 0;
  const addText = (literal: string) => {
    if (literal === "") return;
    segments.push({ type: "text", text: literal });
    // Braces left over after matching placeholders are a half-typed placeholder.
    if (literal.includes("{{") || literal.includes("}}")) {
      problems.push({
        code: "template_syntax",
        message: `A placeholder is not closed properly near "${excerptAroundBraces(literal)}". Write variables as {{firstName}}.`,
      });
    }
  };
  for (const match of text.matchAll(PLACEHOLDER)) {
    const start = match.index;
    addText(text.slice(cursor, start));
    const placeholder = match[0];
    const inner = match[1] ?? "";
    const bar = inner.indexOf("|");
    const name = (bar === -1 ? inner : inner.slice(0, bar)).trim();
    const fallback = bar === -1 ? null : inner.slice(bar + 1).trim();
    if (name === "") {
      problems.push({
        code: "template_syntax",
        message: `The placeholder ${placeholder} names no variable. Write variables as {{firstName}}.`,
      });
    }
    segments.push({ type: "variable", name, fallback, placeholder });
    cursor = start + placeholder.length;
  }
  addText(text.slice(cursor));
  return { segments, problems };
}

export function isCustomVariable(name: string): boolean {
  return (
    name.startsWith(CUSTOM_FIELD_PREFIX) &&
    CUSTOM_FIELD_NAME.test(name.slice(CUSTOM_FIELD_PREFIX.length))
  );
}

function isLeadVariable(name: string): name is LeadVariable {
  return (LEAD_VARIABLES as readonly string[]).includes(name);
}

/** Why a variable name is not usable, or null when it is. */
function unknownVariableMessage(name: string, options: TemplateOptions): string | null {
  if (isLeadVariable(name)) return null;
  if (isCustomVariable(name)) {
    const field = name.slice(CUSTOM_FIELD_PREFIX.length);
    const known = options.knownCustomFields;
    if (known === undefined || known.includes(field)) return null;
    return known.length === 0
      ? `Your leads have no custom field "${field}" (they have no custom fields yet).`
      : `Your leads have no custom field "${field}". Known fields: ${known.join(", ")}.`;
  }
  const suggestion = suggestVariable(name, options);
  return suggestion === null
    ? `Unknown variable {{${name}}}. Use {{firstName}}, {{lastName}}, {{company}}, {{title}} or {{custom.fieldName}}.`
    : `Unknown variable {{${name}}}: did you mean {{${suggestion}}}?`;
}

/** A known variable the user probably meant: same letters ignoring case and `_`, or a typo away. */
function suggestVariable(name: string, options: TemplateOptions): string | null {
  const simplify = (value: string) => value.toLowerCase().replace(/[^a-z0-9.]/g, "");
  const wanted = simplify(name);
  const candidates = [
    ...LEAD_VARIABLES,
    ...(options.knownCustomFields ?? []).map((field) => `${CUSTOM_FIELD_PREFIX}${field}`),
  ];
  let best: { candidate: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = editDistance(simplify(candidate), wanted);
    if (distance <= 2 && (best === null || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate ?? null;
}

/** Levenshtein distance; inputs are short variable names. */
function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution =
        (previous[column - 1] ?? 0) + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(
        Math.min(substitution, (previous[column] ?? 0) + 1, (current[column - 1] ?? 0) + 1),
      );
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

export function resolveLongestValues(overrides?: Partial<LongestValues>): LongestValues {
  return { ...DEFAULT_LONGEST_VALUES, ...overrides };
}

function longestValueOf(name: string, longest: LongestValues): number {
  if (isLeadVariable(name)) return longest[name];
  if (isCustomVariable(name)) {
    const field = name.slice(CUSTOM_FIELD_PREFIX.length);
    return Object.hasOwn(longest.customFields, field)
      ? (longest.customFields[field] ?? longest.custom)
      : longest.custom;
  }
  return 0;
}

export function analyseTemplate(text: string, options: TemplateOptions = {}): TemplateAnalysis {
  const { segments, problems } = parseTemplate(text);
  const longest = resolveLongestValues(options.longestValues);
  const variables: string[] = [];
  let literalLength = 0;
  let worstCaseLength = 0;
  for (const segment of segments) {
    if (segment.type === "text") {
      literalLength += characterCount(segment.text);
      worstCaseLength += characterCount(segment.text);
      continue;
    }
    if (segment.name === "") continue;
    if (!variables.includes(segment.name)) {
      variables.push(segment.name);
      const unknown = unknownVariableMessage(segment.name, options);
      if (unknown !== null) problems.push({ code: "unknown_template_variable", message: unknown });
    }
    const fallbackLength = segment.fallback === null ? 0 : characterCount(segment.fallback);
    worstCaseLength += Math.max(longestValueOf(segment.name, longest), fallbackLength);
  }
  return { segments, variables, problems, literalLength, worstCaseLength };
}

function leadValue(name: string, lead: TemplateLead): string | null {
  let value: string | null | undefined;
  if (isLeadVariable(name)) {
    value = lead[name];
  } else if (isCustomVariable(name)) {
    const field = name.slice(CUSTOM_FIELD_PREFIX.length);
    // Own properties only: a field named "constructor" must not reach Object.prototype.
    value =
      lead.custom !== undefined && Object.hasOwn(lead.custom, field) ? lead.custom[field] : null;
  }
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

export interface RenderedTemplate {
  text: string;
  /** Variables with no value for this lead and no fallback; they rendered as nothing. */
  missingVariables: string[];
}

export function renderTemplate(text: string, lead: TemplateLead): RenderedTemplate {
  const { segments } = parseTemplate(text);
  const missingVariables: string[] = [];
  let rendered = "";
  for (const segment of segments) {
    if (segment.type === "text") {
      rendered += segment.text;
      continue;
    }
    const value = leadValue(segment.name, lead) ?? segment.fallback;
    if (value === null) {
      if (!missingVariables.includes(segment.name)) missingVariables.push(segment.name);
      continue;
    }
    rendered += value;
  }
  return { text: rendered, missingVariables };
}

const VARIABLE_WORDS: Readonly<Record<LeadVariable, string>> = {
  firstName: "first name",
  lastName: "last name",
  company: "company",
  title: "job title",
};

/**
 * A template as a reader would see it for a lead we know nothing about, for labels: each
 * variable shows its fallback, or its name in brackets ("Quick question, there",
 * "Hi [first name]"); never the raw `{{…}}` syntax.
 */
export function previewTemplate(text: string): string {
  let preview = "";
  for (const segment of parseTemplate(text).segments) {
    if (segment.type === "text") {
      preview += segment.text.replace(/\{\{|\}\}/g, "");
      continue;
    }
    if (segment.fallback) {
      preview += segment.fallback;
      continue;
    }
    const name = segment.name;
    const word = isCustomVariable(name)
      ? name.slice(CUSTOM_FIELD_PREFIX.length)
      : (VARIABLE_WORDS[name as LeadVariable] ?? name);
    preview += `[${word}]`;
  }
  return preview;
}

export type RenderForSendResult =
  | { ok: true; text: string }
  | { ok: false; reason: "too_long"; text: string; length: number; limit: number }
  | { ok: false; reason: "missing_variable"; missingVariables: string[] };

/**
 * What the engine calls just before sending: the text rendered for this lead, refused when a
 * variable has no value and no fallback ("Hi ," is worse than not sending) or when the rendered
 * text is over LinkedIn's limit.
 */
export function renderForSend(
  template: string,
  lead: TemplateLead,
  limit: number,
): RenderForSendResult {
  const rendered = renderTemplate(template, lead);
  if (rendered.missingVariables.length > 0) {
    return { ok: false, reason: "missing_variable", missingVariables: rendered.missingVariables };
  }
  const length = characterCount(rendered.text);
  if (length > limit) return { ok: false, reason: "too_long", text: rendered.text, length, limit };
  return { ok: true, text: rendered.text };
}

function excerptAroundBraces(text: string): string {
  const opening = text.indexOf("{{");
  const at = opening === -1 ? text.indexOf("}}") : opening;
  const from = Math.max(0, at - 10);
  return text.slice(from, from + 30).trim();
}
