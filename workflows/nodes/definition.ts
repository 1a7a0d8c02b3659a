/**
 * The shape every node kind module fills in: what a step is (config schema, defaults,
 * validation), how the palette and canvas present it, and what the engine does with it.
 */
import type { z } from "zod";
import type { TemplateOptions } from "./template";

export const EXIT_HANDLES = ["next", "yes", "no", "sent", "not_sent"] as const;
export type ExitHandle = (typeof EXIT_HANDLES)[number];

export interface ExitDefinition {
  handle: ExitHandle;
  label: string;
}

/** The action a step performs; also the kind of usage cap it draws on. */
export const SIDE_EFFECTS = ["visit", "follow", "connect", "message", "inmail"] as const;
export type SideEffect = (typeof SIDE_EFFECTS)[number];

export type Severity = "error" | "warning";

export type PaletteGroup = "entry" | "action" | "timing" | "condition" | "exit";

export interface WaitDuration {
  amount: number;
  unit: "hours" | "days";
  workingDaysOnly: boolean;
}

/** Engine-facing data. The engine interprets it; nothing here performs I/O. */
export interface EngineBehaviour<Config> {
  sideEffect: SideEffect | null;
  isCondition: boolean;
  isWait: boolean;
  waitDuration?: (config: Config) => WaitDuration;
  windowDays?: (config: Config) => number;
}

export type EngineFlags = Pick<EngineBehaviour<never>, "sideEffect" | "isCondition" | "isWait">;

/**
 * What is known about a lead on a path through the graph. Validation propagates these from the
 * start to find steps that cannot do their job on some path (a reply check with nothing sent).
 */
export const PATH_FACTS = ["invited", "connected", "contacted"] as const;
export type PathFact = (typeof PATH_FACTS)[number];

export type PathEffects = Partial<Record<ExitHandle, readonly PathFact[]>>;

export interface PathExpectation {
  fact: PathFact;
  /** "may_be_missing": some path reaches the step without the fact; "may_be_present": with it. */
  raisedWhen: "may_be_missing" | "may_be_present";
  severity: Severity;
  code: NodeIssueCode;
  message: string;
}

export const NODE_ISSUE_CODES = [
  "invalid_config",
  "empty_text",
  "variant_count",
  "variant_weight_invalid",
  "duplicate_variant_id",
  "text_too_long",
  "text_may_exceed_limit",
  "unknown_template_variable",
  "template_syntax",
  "inmail_body_long",
  "wait_working_days_ignored",
  "message_may_not_reach_connection",
  "inmail_to_connection",
  "invitation_to_connection",
  "reply_check_without_message",
  "acceptance_check_without_invitation",
] as const;
export type NodeIssueCode = (typeof NODE_ISSUE_CODES)[number];

export interface NodeIssue {
  severity: Severity;
  code: NodeIssueCode;
  message: string;
}

export interface NodeCheckContext {
  template: TemplateOptions;
}

export interface NodeSpec<
  Kind extends string,
  Schema extends z.ZodType,
  Engine extends EngineBehaviour<z.output<Schema>>,
> {
  kind: Kind;
  label: string;
  description: string;
  /** A lucide icon name; the canvas maps it to a component. */
  icon: string;
  colour: string;
  group: PaletteGroup;
  /** False for the start step: a campaign has exactly one and it comes with the graph. */
  inPalette: boolean;
  exits: readonly ExitDefinition[];
  configSchema: Schema;
  /** Words for config fields in messages ("Duration" rather than "amount"). */
  fieldLabels?: Readonly<Record<string, string>>;
  defaults: () => z.output<Schema>;
  /** One line for the canvas card: "Wait 3 days", "If accepted within 7 days". */
  summary: (config: z.output<Schema>) => string;
  /** Checks beyond the schema (texts and their limits); the config already parsed. */
  validate?: (config: z.output<Schema>, context: NodeCheckContext) => NodeIssue[];
  /** For conditions: how a lead who left by `exit` is described in branch labels. */
  branchLabel?: (config: z.output<Schema>, exit: ExitHandle) => string;
  /** Facts that hold for a lead leaving by each exit; `null` when the config is invalid. */
  pathEffects?: (config: z.output<Schema> | null) => PathEffects;
  pathExpectations?: readonly PathExpectation[];
  engine: Engine;
}

export type ConfigCheck = { valid: boolean; issues: NodeIssue[] };

/**
 * The kind-independent face of a node definition, for code that handles steps of any kind from
 * untrusted JSON (validation, branch labels, the canvas): every method takes `unknown` config.
 */
export interface NodeDescriptor {
  kind: string;
  label: string;
  description: string;
  icon: string;
  colour: string;
  group: PaletteGroup;
  inPalette: boolean;
  exits: readonly ExitDefinition[];
  engine: EngineFlags;
  pathExpectations?: readonly PathExpectation[];
  defaults: () => unknown;
  hasExit(handle: unknown): handle is ExitHandle;
  checkConfig(config: unknown, context: NodeCheckContext): ConfigCheck;
  /** The card summary, or a neutral text when the config does not parse. */
  summarize(config: unknown): string;
  describeExit(config: unknown, exit: ExitHandle): string;
  effectsOf(config: unknown): PathEffects;
}

export type NodeDefinition<
  Kind extends string,
  Schema extends z.ZodType,
  Engine extends EngineBehaviour<z.output<Schema>>,
> = NodeSpec<Kind, Schema, Engine> & NodeDescriptor & { kind: Kind };

export function defineNode<
  const Kind extends string,
  Schema extends z.ZodType,
  Engine extends EngineBehaviour<z.output<Schema>>,
>(spec: NodeSpec<Kind, Schema, Engine>): NodeDefinition<Kind, Schema, Engine> {
  const parse = (config: unknown) => spec.configSchema.safeParse(config, { error: describeIssue });
  const exitLabel = (exit: ExitHandle) =>
    spec.exits.find((candidate) => candidate.handle === exit)?.label ?? exit;
  return {
    ...spec,
    hasExit: (handle: unknown): handle is ExitHandle =>
      spec.exits.some((exit) => exit.handle === handle),
    checkConfig(config, context) {
      const parsed = parse(config);
      if (!parsed.success) {
        return { valid: false, issues: configIssues(parsed.error.issues, spec.fieldLabels ?? {}) };
      }
      return { valid: true, issues: spec.validate?.(parsed.data, context) ?? [] };
    },
    summarize(config) {
      const parsed = parse(config);
      return parsed.success ? spec.summary(parsed.data) : `${spec.label} · needs attention`;
    },
    describeExit(config, exit) {
      const parsed = parse(config);
      if (parsed.success && spec.branchLabel !== undefined)
        return spec.branchLabel(parsed.data, exit);
      return `${spec.label}: ${exitLabel(exit)}`;
    },
    effectsOf(config) {
      if (spec.pathEffects === undefined) return {};
      const parsed = parse(config);
      return spec.pathEffects(parsed.success ? parsed.data : null);
    },
  };
}

const EXPECTED_TYPE_WORDS: Readonly<Record<string, string>> = {
  object: "a set of fields",
  array: "a list",
  int: "a whole number",
  number: "a number",
  string: "text",
  boolean: "on or off (true or false)",
};

/** Zod's default texts ("Invalid input: expected number, received undefined") made plainer. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "invalid_type") return undefined;
  if (issue.input === undefined || issue.input === null) return "is missing";
  const expected = String(issue.expected);
  return `should be ${Object.hasOwn(EXPECTED_TYPE_WORDS, expected) ? EXPECTED_TYPE_WORDS[expected] : expected}`;
}

const VARIANT_LETTERS = "ABCD";

export function variantLetter(index: number): string {
  return VARIANT_LETTERS[index] ?? `#${index + 1}`;
}

function describeField(
  path: readonly PropertyKey[],
  fieldLabels: Readonly<Record<string, string>>,
) {
  if (path.length === 0) return "Settings";
  return path
    .map((segment) => {
      if (typeof segment === "number") return `variant ${variantLetter(segment)}`;
      const key = String(segment);
      return Object.hasOwn(fieldLabels, key) ? fieldLabels[key] : key;
    })
    .join(", ");
}

function diagnosticCodeOf(issue: z.core.$ZodIssue): NodeIssueCode {
  const requested = issue.code === "custom" ? issue.params?.diagnosticCode : undefined;
  return (NODE_ISSUE_CODES as readonly unknown[]).includes(requested)
    ? (requested as NodeIssueCode)
    : "invalid_config";
}

/** Zod issues as node issues; custom issues carry their own code and full message. */
export function configIssues(
  issues: readonly z.core.$ZodIssue[],
  fieldLabels: Readonly<Record<string, string>>,
): NodeIssue[] {
  return issues.map((issue) => {
    const code = diagnosticCodeOf(issue);
    const message =
      code === "invalid_config"
        ? `${describeField(issue.path, fieldLabels)}: ${issue.message}`
        : issue.message;
    return { severity: "error", code, message };
  });
}
