/**
 * The one list of node kinds. The graph schema, validation, palette and canvas all derive from
 * it: adding a kind means writing its module and adding it to NODE_DEFINITIONS.
 */
import type { z } from "zod";
import { connectNode } from "./connect";
import type { NodeDescriptor } from "./definition";
import { endNode } from "./end";
import { followNode } from "./follow";
import { ifAcceptedNode } from "./if-accepted";
import { ifRepliedNode } from "./if-replied";
import { inmailNode } from "./inmail";
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
  waitNode,
  ifAcceptedNode,
  ifRepliedNode,
  endNode,
] as const;

type KnownNodeDefinition = (typeof NODE_DEFINITIONS)[number];
export type NodeKind = KnownNodeDefinition["kind"];
export type NodeCatalog = { readonly [D in KnownNodeDefinition as D["kind"]]: D };
export type NodeConfig<Kind extends NodeKind> = z.output<NodeCatalog[Kind]["configSchema"]>;

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
