/**
 * The shape every node kind module fills in: what a step is (config schema, defaults,
 * validation), how the palette and canvas present it, and what the engine does with it.
 */
import type { z } from "zod";
import type { TemplateLead, TemplateOptions } from "./template";

/**
 * An exit's name as a kind module writes it ("next", "yes", "no_post"…). The union of every
 * kind's exits is `ExitHandle`, derived in the catalog.
 */
export type ExitName = string;

export interface ExitDefinition<Handle extends ExitName = ExitName> {
  handle: Handle;
  label: string;
}

export type Severity = "error" | "warning";

export type PaletteGroup = "entry" | "action" | "timing" | "condition" | "exit";

export interface WaitDuration {
  amount: number;
  unit: "hours" | "days";
  workingDaysOnly: boolean;
}

/** Engine-facing data. The engine interprets it; nothing here performs I/O. */
export interface EngineBehaviour<Config> {
  isCondition: boolean;
  isWait: boolean;
  waitDuration?: (config: Config) => WaitDuration;
  windowDays?: (config: Config) => number;
}

export type EngineFlags = Pick<EngineBehaviour<never>, "isCondition" | "isWait">;

/**
 * What a step asks the provider for: the action kind (the provider call, the action's row and
 * the cap it draws on), the request for that call, and what the reservation records.
 */
export interface SendPlan<Action extends string = string, Request = unknown> {
  action: Action;
  request: Request;
  /** The A/B variant chosen, for the reports. */
  variant: string | null;
  /** Whether the lead is sent words (what a reply can answer). */
  hasText: boolean;
  /** Paid credits the send may use (an InMail to a closed profile). */
  credits: number;
}

/** Where a lead goes when a step does not perform its action (or already has). */
export type SendRoute =
  | { type: "exit"; exit: ExitName; note?: string }
  | { type: "end"; outcome: string; reason: string };

/** What a step knows about the lead when it prepares its send. */
export interface SendInput {
  lead: TemplateLead;
  /** A uniform draw in [0, 1), fixed by the seed, the lead and the step: picks the variant. */
  roll: number;
  /** The lead is known to be a 1st-degree connection. */
  firstDegree: boolean;
  isOpenProfile: boolean;
}

/** How an action kind is counted and named on the account and dashboard screens. */
export interface ActionPresentation {
  /** The per-day cap's default, per account; the warm-up scales it. */
  defaultDailyCap: number;
  /** The cap's label in the account settings: "Visits a day". */
  capLabel: string;
  /** Done actions counted: "Visits". */
  plural: string;
  /** One done action in a lead's timeline: "Profile visited". */
  timeline: string;
  /** The series colour in charts. */
  chartColour: string;
}

/**
 * A step that acts on LinkedIn: everything the engine, the providers and the screens need.
 * `Plan` is what `prepare` may return (an InMail step may send a message instead).
 */
export interface SendBehaviour<Config, Action extends string, Plan extends SendPlan>
  extends ActionPresentation {
  action: Action;
  /** The step writes to the lead (a note, a message): the editor previews its texts. */
  writesText: boolean;
  /** The exit a lead takes once the action is done. */
  doneExit: ExitName;
  /** Refusals a provider may answer for this kind only, with words for them. */
  notSentReasons?: Readonly<Record<string, string>>;
  /** The request for this lead, or a route when the step cannot send to them. */
  prepare(config: Config, input: SendInput): Plan | SendRoute;
  /** Where a lead goes when LinkedIn would not take the action. Never a silent failure. */
  notSent(config: Config, reason: string): SendRoute;
}

/** The kind-independent face of a send, for the engine: the config is the step's own. */
export interface SendFace extends ActionPresentation {
  action: string;
  writesText: boolean;
  doneExit: ExitName;
  notSentReasons?: Readonly<Record<string, string>>;
  prepare(config: unknown, input: SendInput): SendPlan | SendRoute;
  notSent(config: unknown, reason: string): SendRoute;
}

/** The icon drawn on cards: a 24×24 lucide-style outline, as SVG elements' data. */
export type IconShape =
  | { path: string }
  | { circle: { cx: number; cy: number; r: number } }
  | { rect: { x: number; y: number; width: number; height: number; rx?: number } };

export interface NodeIcon {
  /** The lucide name it is drawn after. */
  name: string;
  shapes: readonly IconShape[];
}

/**
 * What is known about a lead on a path through the graph. Validation propagates these from the
 * start to find steps that cannot do their job on some path (a reply check with nothing sent).
 */
export const PATH_FACTS = ["invited", "connected", "contacted"] as const;
export type PathFact = (typeof PATH_FACTS)[number];

export type PathEffects = Partial<Record<ExitName, readonly PathFact[]>>;

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
  Handle extends ExitName = ExitName,
  Send extends SendBehaviour<z.output<Schema>, string, SendPlan> | undefined = undefined,
> {
  kind: Kind;
  label: string;
  description: string;
  /** The card's icon, drawn inline by the canvas. */
  icon: NodeIcon;
  colour: string;
  group: PaletteGroup;
  /** False for the start step: a campaign has exactly one and it comes with the graph. */
  inPalette: boolean;
  exits: readonly ExitDefinition<Handle>[];
  configSchema: Schema;
  /** Words for config fields in messages ("Duration" rather than "amount"). */
  fieldLabels?: Readonly<Record<string, string>>;
  defaults: () => z.output<Schema>;
  /** One line for the canvas card: "Wait 3 days", "If accepted within 7 days". */
  summary: (config: z.output<Schema>) => string;
  /** Checks beyond the schema (texts and their limits); the config already parsed. */
  validate?: (config: z.output<Schema>, context: NodeCheckContext) => NodeIssue[];
  /** For conditions: how a lead who left by `exit` is described in branch labels. */
  branchLabel?: (config: z.output<Schema>, exit: ExitName) => string;
  /** Facts that hold for a lead leaving by each exit; `null` when the config is invalid. */
  pathEffects?: (config: z.output<Schema> | null) => PathEffects;
  pathExpectations?: readonly PathExpectation[];
  engine: Engine;
  /** For steps that act on LinkedIn: the action, its cap, its request and its routes. */
  send?: Send;
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
  icon: NodeIcon;
  colour: string;
  group: PaletteGroup;
  inPalette: boolean;
  exits: readonly ExitDefinition[];
  engine: EngineFlags;
  send?: SendFace;
  pathExpectations?: readonly PathExpectation[];
  defaults: () => unknown;
  hasExit(handle: unknown): handle is ExitName;
  checkConfig(config: unknown, context: NodeCheckContext): ConfigCheck;
  /** The card summary, or a neutral text when the config does not parse. */
  summarize(config: unknown): string;
  describeExit(config: unknown, exit: ExitName): string;
  effectsOf(config: unknown): PathEffects;
}

export type NodeDefinition<
  Kind extends string,
  Schema extends z.ZodType,
  Engine extends EngineBehaviour<z.output<Schema>>,
  Handle extends ExitName = ExitName,
  Send extends SendBehaviour<z.output<Schema>, string, SendPlan> | undefined = undefined,
> = Omit<NodeSpec<Kind, Schema, Engine, Handle, Send>, "send"> &
  Omit<NodeDescriptor, "exits" | "send"> & { kind: Kind; send: Send };

export function defineNode<
  const Kind extends string,
  Schema extends z.ZodType,
  Engine extends EngineBehaviour<z.output<Schema>>,
  const Handle extends ExitName,
  Send extends SendBehaviour<z.output<Schema>, string, SendPlan> | undefined = undefined,
>(
  spec: NodeSpec<Kind, Schema, Engine, Handle, Send>,
): NodeDefinition<Kind, Schema, Engine, Handle, Send> {
  const parse = (config: unknown) => spec.configSchema.safeParse(config, { error: describeIssue });
  const exitLabel = (exit: ExitName) =>
    spec.exits.find((candidate) => candidate.handle === exit)?.label ?? exit;
  return {
    ...spec,
    send: spec.send as Send,
    hasExit: (handle: unknown): handle is ExitName =>
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
