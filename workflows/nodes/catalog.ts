/**
 * The one list of node kinds. The graph schema, validation, palette, canvas, the engine's sends,
 * the action kinds and their caps, the providers' request types and the wording of the
 * dashboard and the timeline all derive from it: adding a kind means writing its module, adding
 * it to NODE_DEFINITIONS, and (for a kind that acts) answering its action in each provider.
 */
import type { z } from "zod";
import { connectNode } from "./connect";
import type {
  ActionPresentation,
  ExitDefinition,
  NodeDescriptor,
  SendFace,
  SendPlan,
} from "./definition";
import { endNode } from "./end";
import { followNode } from "./follow";
import { ifAcceptedNode } from "./if-accepted";
import { ifRepliedNode } from "./if-replied";
import { inmailNode } from "./inmail";
import { likePostNode } from "./like-post";
import { messageNode } from "./message";
import { startNode } from "./start";
import { visitNode } from "./visit";
import { waitNode } from "./wait";

/** In palette order. */
const NODE_DEFINITIONS = [
  startNode,
  visitNode,
  followNode,
  connectNode,
  messageNode,
  inmailNode,
  likePostNode,
  waitNode,
  ifAcceptedNode,
  ifRepliedNode,
  endNode,
] as const;

type KnownNodeDefinition = (typeof NODE_DEFINITIONS)[number];
export type NodeKind = KnownNodeDefinition["kind"];
export type NodeCatalog = { readonly [D in KnownNodeDefinition as D["kind"]]: D };
export type NodeConfig<Kind extends NodeKind> = z.output<NodeCatalog[Kind]["configSchema"]>;

/** Every exit name some kind has. */
export type ExitHandle = HandlesOf<KnownNodeDefinition>;
// A kind without exits (End) infers its handles as any string: it adds none.
type HandlesOf<D> = D extends { exits: readonly ExitDefinition<infer Handle>[] }
  ? string extends Handle
    ? never
    : Handle
  : never;
export const EXIT_HANDLES = [
  ...new Set(
    NODE_DEFINITIONS.flatMap((definition) =>
      (definition.exits as readonly ExitDefinition[]).map((exit) => exit.handle),
    ),
  ),
] as unknown as readonly [ExitHandle, ...ExitHandle[]];

type SendOf<D> = D extends { send?: infer S } ? Exclude<S, undefined> : never;
type KnownSend = SendOf<KnownNodeDefinition>;
type PlanOf<S> = S extends { prepare: (...args: never[]) => infer R }
  ? Extract<R, SendPlan>
  : never;

/** What a step does on LinkedIn; also the cap it draws on and the action row's kind. */
export type ActionKind = KnownSend["action"];
/** What the provider is asked for, per action kind. */
export type ActionRequest<Kind extends ActionKind> = Extract<
  PlanOf<KnownSend>,
  { action: Kind }
>["request"];
/** Refusals a provider may answer for one kind only (beyond the shared ones). */
export type KindNotSentReason = KnownSend extends infer S
  ? S extends { notSentReasons: Readonly<Record<infer Reason, string>> }
    ? Reason & string
    : never
  : never;

const SENDING_DEFINITIONS = NODE_DEFINITIONS.flatMap((definition) =>
  (definition as NodeDescriptor).send
    ? [definition as unknown as NodeDescriptor & { send: SendFace }]
    : [],
);

/** In palette order of the step that performs each. */
export const ACTION_KINDS = [
  ...new Set(SENDING_DEFINITIONS.map((definition) => definition.send.action)),
] as unknown as readonly [ActionKind, ...ActionKind[]];

/** How each action kind is capped and named, from the step that performs it. */
export const ACTIONS = Object.freeze(
  Object.fromEntries(
    SENDING_DEFINITIONS.map(({ send }) => [
      send.action,
      {
        defaultDailyCap: send.defaultDailyCap,
        capLabel: send.capLabel,
        plural: send.plural,
        timeline: send.timeline,
        chartColour: send.chartColour,
      },
    ]),
  ),
) as Readonly<Record<ActionKind, ActionPresentation>>;

export function isActionKind(value: unknown): value is ActionKind {
  return typeof value === "string" && Object.hasOwn(ACTIONS, value);
}

/** A value for every action kind, in ACTION_KINDS order. */
export function byActionKind<T>(value: (kind: ActionKind) => T): Record<ActionKind, T> {
  return Object.fromEntries(ACTION_KINDS.map((kind) => [kind, value(kind)])) as Record<
    ActionKind,
    T
  >;
}

export const NODE_KINDS = NODE_DEFINITIONS.map(
  (definition) => definition.kind,
) as unknown as readonly [NodeKind, ...NodeKind[]];

export const nodeCatalog = Object.freeze(
  Object.fromEntries(NODE_DEFINITIONS.map((definition) => [definition.kind, definition])),
) as NodeCatalog;

// A Map, not the catalog object, for lookups by untrusted strings ("toString", "__proto__").
const definitionsByKind: ReadonlyMap<string, NodeDescriptor> = new Map(
  NODE_DEFINITIONS.map((definition) => [definition.kind, definition]),
);

export function isNodeKind(value: unknown): value is NodeKind {
  return typeof value === "string" && definitionsByKind.has(value);
}

export function getNodeDefinition<Kind extends NodeKind>(kind: Kind): NodeCatalog[Kind] {
  return nodeCatalog[kind];
}

/** For kinds read from untrusted JSON: undefined when the kind is unknown. */
export function findNodeDefinition(kind: unknown): NodeDescriptor | undefined {
  return typeof kind === "string" ? definitionsByKind.get(kind) : undefined;
}

/** Every definition through its kind-independent face, in palette order. */
export const nodeDescriptors: readonly NodeDescriptor[] = NODE_DEFINITIONS;

export const paletteKinds: readonly NodeKind[] = NODE_DEFINITIONS.filter(
  (definition) => definition.inPalette,
).map((definition) => definition.kind);

/** A fresh default config for a new step of this kind. */
export function defaultConfig<Kind extends NodeKind>(kind: Kind): NodeConfig<Kind> {
  return getNodeDefinition(kind).defaults() as NodeConfig<Kind>;
}
