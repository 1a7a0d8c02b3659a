/**
 * Auto-layout with elkjs: layered, top to bottom, each exit a port at a fixed place on the
 * card's bottom edge in the kind's exit order, so "yes" / "Sent" branches land left of "no" /
 * "Not sent" ones. Steps and connections are handed to ELK in the order a lead walks them from
 * the start (exits in kind order), never in array order, so the same graph always gets the same
 * layout however it was edited.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { findNodeDefinition } from "@/workflows/nodes/index";
import type { EditorDocument, EditorEdge, EditorNode, Position } from "./document";
import { CARD_HEIGHT, CARD_WIDTH } from "./operations";

export interface Size {
  width: number;
  height: number;
}

export const LAYOUT_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "ORTHOGONAL",
  // Room for connections between cards and the layers, so a route never runs behind a card.
  "elk.spacing.edgeNode": "30",
  "elk.spacing.edgeEdge": "16",
  "elk.layered.spacing.edgeNodeBetweenLayers": "30",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "16",
  "elk.spacing.nodeNode": "60",
  "elk.layered.spacing.nodeNodeBetweenLayers": "90",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.nodePlacement.bk.fixedAlignment": "BALANCED",
  "elk.randomSeed": "1",
} as const;

/** Where a card's exit handle sits along its bottom edge, as a fraction of its width. */
export function exitOffset(index: number, count: number): number {
  return (index + 1) / (count + 1);
}

function exitIndex(node: EditorNode | undefined, handle: string): number {
  const exits = findNodeDefinition(node?.kind)?.exits ?? [];
  const index = exits.findIndex((exit) => exit.handle === handle);
  return index === -1 ? exits.length : index;
}

/** Steps in walking order from the start (exits in kind order), then any unreachable ones. */
export function walkingOrder(document: EditorDocument): EditorNode[] {
  const byId = new Map(document.nodes.map((node) => [node.id, node]));
  const outgoing = new Map<string, EditorEdge[]>();
  for (const edge of document.edges) {
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  }
  const ordered: EditorNode[] = [];
  const seen = new Set<string>();
  const visit = (start: EditorNode) => {
    const queue = [start];
    seen.add(start.id);
    while (queue.length > 0) {
      const node = queue.shift()!;
      ordered.push(node);
      const exits = [...(outgoing.get(node.id) ?? [])].sort(
        (left, right) => exitIndex(node, left.sourceHandle) - exitIndex(node, right.sourceHandle),
      );
      for (const edge of exits) {
        const target = byId.get(edge.target);
        if (target && !seen.has(target.id)) {
          seen.add(target.id);
          queue.push(target);
        }
      }
    }
  };
  const roots = [
    ...document.nodes.filter((node) => node.kind === "start"),
    ...[...document.nodes].sort((left, right) => (left.id < right.id ? -1 : 1)),
  ];
  for (const root of roots) if (!seen.has(root.id)) visit(root);
  return ordered;
}

/** A connection as auto-layout drew it: from its exit, round every card, to its target. */
export interface EdgeRoute {
  points: Position[];
}

export async function layoutDocument(
  document: EditorDocument,
  sizeOf: (nodeId: string) => Size | undefined,
): Promise<Map<string, Position>> {
  return (await layoutWithRoutes(document, sizeOf)).positions;
}

/**
 * Positions for every card and, for every connection, ELK's orthogonal route between them:
 * drawn along it, no connection passes behind a card (ELK keeps the channels between layers
 * and around the cards free for them).
 */
export async function layoutWithRoutes(
  document: EditorDocument,
  sizeOf: (nodeId: string) => Size | undefined,
): Promise<{ positions: Map<string, Position>; routes: Map<string, EdgeRoute> }> {
  const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
  const elk = new ELK();
  const order = walkingOrder(document);
  const rank = new Map(order.map((node, index) => [node.id, index]));
  const byId = new Map(order.map((node) => [node.id, node]));
  const children: ElkNode[] = order.map((node) => {
    const size = sizeOf(node.id) ?? { width: CARD_WIDTH, height: CARD_HEIGHT };
    const exits = findNodeDefinition(node.kind)?.exits ?? [];
    return {
      id: node.id,
      width: size.width,
      height: size.height,
      layoutOptions: { "elk.portConstraints": "FIXED_POS" },
      ports: [
        { id: `${node.id}::in`, x: size.width / 2, y: 0, width: 1, height: 1 },
        ...exits.map((exit, index) => ({
          id: `${node.id}::${exit.handle}`,
          x: size.width * exitOffset(index, exits.length),
          y: size.height,
          width: 1,
          height: 1,
        })),
      ],
    };
  });
  const edges: ElkExtendedEdge[] = [...document.edges]
    .filter((edge) => byId.has(edge.source) && byId.has(edge.target))
    .sort(
      (left, right) =>
        rank.get(left.source)! - rank.get(right.source)! ||
        exitIndex(byId.get(left.source), left.sourceHandle) -
          exitIndex(byId.get(right.source), right.sourceHandle),
    )
    .map((edge) => ({
      id: edge.id,
      sources: [`${edge.source}::${edge.sourceHandle}`],
      targets: [`${edge.target}::in`],
    }));
  const laidOut = await elk.layout({
    id: "campaign",
    layoutOptions: { ...LAYOUT_OPTIONS },
    children,
    edges,
  });
  const positions = new Map<string, Position>();
  for (const child of laidOut.children ?? []) {
    positions.set(child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) });
  }
  const routes = new Map<string, EdgeRoute>();
  for (const edge of laidOut.edges ?? []) {
    const section = edge.sections?.[0];
    if (!section) continue;
    routes.set(edge.id, {
      points: [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map(
        (point) => ({ x: Math.round(point.x), y: Math.round(point.y) }),
      ),
    });
  }
  return { positions, routes };
}
