"use client";
import { useReactFlow } from "@xyflow/react";
import type { DragEvent, MouseEvent } from "react";
import { PALETTE_DRAG_TYPE } from "@/components/canvas/flow-canvas";
import { KindIcon } from "@/components/canvas/icons";
import { findNodeDefinition, type NodeKind, paletteKinds } from "@/workflows/nodes/index";
import { CARD_WIDTH } from "./model/operations";
import { useEditor, useEditorStore } from "./store-context";

/**
 * Every kind of step, with its icon and what it does. Drag one onto the canvas, or click it
 * (or press Enter on it) to add it after the selected exit, connection or step.
 */
export function Palette({
  onAdded,
  compact = false,
}: {
  onAdded: (nodeId: string, byKeyboard: boolean) => void;
  /** Icons only, in a narrow strip: each still adds its step on a click, a key or a drag. */
  compact?: boolean;
}) {
  const store = useEditorStore();
  const readOnly = useEditor((state) => state.readOnly);
  const target = useEditor((state) => {
    if (state.selectedExit) return "the chosen exit";
    if (state.selectedNodeIds.length === 1) return "the selected step";
    if (state.selectedEdgeIds.length === 1 && state.selectedNodeIds.length === 0)
      return "the selected connection";
    return null;
  });
  const { screenToFlowPosition } = useReactFlow();

  function add(kind: NodeKind, event: MouseEvent<HTMLButtonElement>) {
    const canvas = document.querySelector(".react-flow")?.getBoundingClientRect();
    const center = canvas
      ? screenToFlowPosition({
          x: canvas.left + canvas.width / 2,
          y: canvas.top + canvas.height / 2,
        })
      : { x: 0, y: 0 };
    const nodeId = store
      .getState()
      .appendStep(kind, { x: Math.round(center.x - CARD_WIDTH / 2), y: Math.round(center.y) });
    // A click made with the keyboard has no pointer position (detail 0).
    if (nodeId) onAdded(nodeId, event.detail === 0);
  }

  return (
    <nav aria-labelledby="palette-heading" className="flex flex-col gap-2">
      <div className={compact ? "sr-only" : undefined}>
        <h2 id="palette-heading" className="text-sm font-semibold text-slate-900">
          Steps
        </h2>
        <p id="palette-help" className="mt-0.5 text-xs text-slate-600">
          Drag onto the canvas, or press to add after {target ?? "the start"}.
        </p>
      </div>
      <ul className={compact ? "flex flex-col items-center gap-1.5" : "flex flex-col gap-1.5"}>
        {paletteKinds.map((kind) => {
          const definition = findNodeDefinition(kind)!;
          return (
            <li key={kind}>
              <button
                type="button"
                draggable={!readOnly}
                disabled={readOnly}
                onDragStart={(event: DragEvent<HTMLButtonElement>) => {
                  event.dataTransfer.setData(PALETTE_DRAG_TYPE, kind);
                  event.dataTransfer.effectAllowed = "copy";
                }}
                onClick={(event) => add(kind, event)}
                aria-describedby={`palette-${kind}-description palette-help`}
                data-kind={kind}
                title={compact ? `${definition.label}: ${definition.description}` : undefined}
                className={
                  compact
                    ? "flex cursor-grab rounded-md bg-white p-1.5 ring-1 ring-slate-200 hover:bg-slate-50 hover:ring-slate-300 active:cursor-grabbing disabled:cursor-not-allowed disabled:opacity-60"
                    : "flex w-full cursor-grab items-start gap-2 rounded-md bg-white px-2.5 py-2 text-left ring-1 ring-slate-200 hover:bg-slate-50 hover:ring-slate-300 active:cursor-grabbing disabled:cursor-not-allowed disabled:opacity-60"
                }
              >
                <span
                  className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded text-white"
                  style={{ backgroundColor: definition.colour }}
                >
                  <KindIcon icon={definition.icon} className="size-3.5" />
                </span>
                <span className={compact ? "sr-only" : "min-w-0"}>
                  <span className="block text-sm font-medium text-slate-900">
                    {definition.label}
                  </span>
                  <span id={`palette-${kind}-description`} className="block text-xs text-slate-600">
                    {definition.description}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
