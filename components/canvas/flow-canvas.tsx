"use client";
import {
  Background,
  Controls,
  type Edge,
  type EdgeChange,
  type Connection as FlowConnection,
  MiniMap,
  type Node,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { type DragEvent, useCallback, useMemo, useRef } from "react";
import { checkConnection } from "@/components/editor/model/connections";
import type { EditorEdge, EditorNode } from "@/components/editor/model/document";
import type { Size } from "@/components/editor/model/layout";
import { CARD_WIDTH } from "@/components/editor/model/operations";
import { documentOfState } from "@/components/editor/model/store";
import { useEditor, useEditorStore } from "@/components/editor/store-context";
import { findNodeDefinition, isNodeKind } from "@/workflows/nodes/index";
import { nodeTypes } from "./nodes/index";
import { edgeTypes } from "./routed-edge";

/**
 * "Fit view" keeps the cards clear of the overlays: the minimap (200 × 150 px, bottom right)
 * and the zoom controls (bottom left) never sit on a card after fitting.
 */
export const FIT_VIEW_OPTIONS = {
  padding: { top: "32px", left: "64px", bottom: "32px", right: "236px" },
  maxZoom: 1,
} as const;

/** The drag-and-drop type palette items carry: the kind of step to add. */
export const PALETTE_DRAG_TYPE = "application/x-outflow-step";

interface CachedNode {
  source: EditorNode;
  selected: boolean;
  size: Size | undefined;
  flow: Node;
}

/**
 * React Flow's nodes for the document. A node object is rebuilt only when its step, selection
 * or measured size changed, so React Flow (and the memoized cards) skip the others.
 */
function useFlowNodes(): Node[] {
  const nodes = useEditor((state) => state.nodes);
  const selected = useEditor((state) => state.selectedNodeIds);
  const sizes = useEditor((state) => state.sizes);
  const cache = useRef(new Map<string, CachedNode>());
  return useMemo(() => {
    const selectedIds = new Set(selected);
    const next = new Map<string, CachedNode>();
    const flowNodes = nodes.map((node) => {
      const isSelected = selectedIds.has(node.id);
      const size = sizes.get(node.id);
      const cached = cache.current.get(node.id);
      const reuse =
        cached && cached.source === node && cached.selected === isSelected && cached.size === size;
      const definition = findNodeDefinition(node.kind);
      const flow: Node = reuse
        ? cached.flow
        : {
            id: node.id,
            type: node.kind,
            position: node.position,
            data: node as unknown as Record<string, unknown>,
            selected: isSelected,
            deletable: false,
            ...(size ? { measured: size } : {}),
            ariaLabel: `${definition?.label ?? node.kind} step: ${definition?.summarize(node.config) ?? ""}`,
          };
      next.set(node.id, { source: node, selected: isSelected, size, flow });
      return flow;
    });
    cache.current = next;
    return flowNodes;
  }, [nodes, selected, sizes]);
}

function useFlowEdges(): Edge[] {
  const edges = useEditor((state) => state.edges);
  const nodes = useEditor((state) => state.nodes);
  const selected = useEditor((state) => state.selectedEdgeIds);
  const cache = useRef(new Map<string, { source: EditorEdge; selected: boolean; flow: Edge }>());
  return useMemo(() => {
    const selectedIds = new Set(selected);
    const kinds = new Map(nodes.map((node) => [node.id, node.kind]));
    const next = new Map<string, { source: EditorEdge; selected: boolean; flow: Edge }>();
    const flowEdges = edges.map((edge) => {
      const isSelected = selectedIds.has(edge.id);
      const cached = cache.current.get(edge.id);
      if (cached && cached.source === edge && cached.selected === isSelected) {
        next.set(edge.id, cached);
        return cached.flow;
      }
      const from = findNodeDefinition(kinds.get(edge.source));
      const to = findNodeDefinition(kinds.get(edge.target));
      const exit = from?.exits.find((candidate) => candidate.handle === edge.sourceHandle);
      const flow: Edge = {
        id: edge.id,
        source: edge.source,
        sourceHandle: edge.sourceHandle,
        target: edge.target,
        selected: isSelected,
        deletable: false,
        type: "routed",
        ariaLabel: `From ${from?.label ?? edge.source}${exit && from && from.exits.length > 1 ? ` (${exit.label})` : ""} to ${to?.label ?? edge.target}`,
      };
      next.set(edge.id, { source: edge, selected: isSelected, flow });
      return flow;
    });
    cache.current = next;
    return flowEdges;
  }, [edges, nodes, selected]);
}

function sameSize(left: Size | undefined, right: Size): boolean {
  return left !== undefined && left.width === right.width && left.height === right.height;
}

/** The canvas: steps as cards, connections as edges, drop target of the palette. */
export function FlowCanvas({ onReady }: { onReady?: () => void }) {
  const store = useEditorStore();
  const readOnly = useEditor((state) => state.readOnly);
  const flowNodes = useFlowNodes();
  const flowEdges = useFlowEdges();
  const { screenToFlowPosition } = useReactFlow();

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const state = store.getState();
      const positions = new Map<string, { x: number; y: number }>();
      let dragging = false;
      let sizes: Map<string, Size> | null = null;
      const selected = new Set(state.selectedNodeIds);
      let selectionChanged = false;
      for (const change of changes) {
        if (change.type === "position" && change.position) {
          positions.set(change.id, change.position);
          dragging ||= change.dragging === true;
        } else if (change.type === "dimensions" && change.dimensions) {
          const current = (sizes ?? state.sizes).get(change.id);
          if (!sameSize(current, change.dimensions)) {
            sizes ??= new Map(state.sizes);
            sizes.set(change.id, {
              width: change.dimensions.width,
              height: change.dimensions.height,
            });
          }
        } else if (change.type === "select") {
          if (change.selected !== selected.has(change.id)) selectionChanged = true;
          if (change.selected) selected.add(change.id);
          else selected.delete(change.id);
        }
      }
      if (sizes) state.setSizes(sizes);
      if (positions.size > 0) {
        // Outside a drag (arrow keys), nudges of the same steps in a row are one undo step.
        state.moveNodes(
          positions,
          dragging ? undefined : `nudge:${[...positions.keys()].join(",")}`,
        );
      }
      if (selectionChanged) {
        state.select({
          nodeIds: state.nodes.map((node) => node.id).filter((id) => selected.has(id)),
        });
      }
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const state = store.getState();
      const selected = new Set(state.selectedEdgeIds);
      let changed = false;
      for (const change of changes) {
        if (change.type !== "select") continue;
        if (change.selected !== selected.has(change.id)) changed = true;
        if (change.selected) selected.add(change.id);
        else selected.delete(change.id);
      }
      if (changed) {
        state.select({
          edgeIds: state.edges.map((edge) => edge.id).filter((id) => selected.has(id)),
        });
      }
    },
    [store],
  );

  const onConnect = useCallback(
    (connection: FlowConnection) => {
      store.getState().connect({
        source: connection.source,
        sourceHandle: connection.sourceHandle,
        target: connection.target,
      });
    },
    [store],
  );

  const isValidConnection = useCallback(
    (connection: FlowConnection | Edge) =>
      checkConnection(documentOfState(store.getState()), {
        source: connection.source,
        sourceHandle: connection.sourceHandle,
        target: connection.target,
      }).ok,
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_DRAG_TYPE);
      if (!isNodeKind(kind)) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addStep(kind, {
        x: Math.round(point.x - CARD_WIDTH / 2),
        y: Math.round(point.y - 24),
      });
    },
    [screenToFlowPosition, store],
  );

  const beginDrag = useCallback(() => store.getState().beginGesture("drag"), [store]);
  const endDrag = useCallback(() => store.getState().endGesture(), [store]);

  return (
    <ReactFlow
      nodes={flowNodes}
      edges={flowEdges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      isValidConnection={isValidConnection}
      onNodeDragStart={beginDrag}
      onNodeDragStop={endDrag}
      onSelectionDragStart={beginDrag}
      onSelectionDragStop={endDrag}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onInit={onReady}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      deleteKeyCode={null}
      selectionKeyCode="Shift"
      multiSelectionKeyCode={["Meta", "Control"]}
      edgeTypes={edgeTypes}
      defaultEdgeOptions={{ type: "routed" }}
      fitView
      fitViewOptions={FIT_VIEW_OPTIONS}
      minZoom={0.1}
      maxZoom={2}
      aria-label="Campaign canvas"
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} fitViewOptions={FIT_VIEW_OPTIONS} />
      <MiniMap pannable zoomable ariaLabel="Overview of the campaign" />
    </ReactFlow>
  );
}
