"use client";
import { useReactFlow } from "@xyflow/react";
import { cn } from "@/components/ui/cn";
import { CARD_HEIGHT, CARD_WIDTH } from "./model/operations";
import { useEditor, useEditorStore } from "./store-context";

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Every diagnostic of the draft, errors first; each item jumps to its step on the canvas. */
export function Checklist() {
  const store = useEditorStore();
  const checklist = useEditor((state) => state.validation.checklist);
  const { setCenter, getZoom } = useReactFlow();
  const errors = checklist.filter((item) => item.severity === "error").length;
  const warnings = checklist.length - errors;

  function jump(nodeId: string | undefined, edgeId: string | undefined) {
    const state = store.getState();
    if (nodeId) {
      const node = state.nodes.find((candidate) => candidate.id === nodeId);
      if (!node) return;
      state.select({ nodeIds: [nodeId], edgeIds: [] });
      const size = state.sizes.get(nodeId) ?? { width: CARD_WIDTH, height: CARD_HEIGHT };
      void setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, {
        zoom: Math.max(getZoom(), 0.9),
        duration: 300,
      });
      document
        .querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`)
        ?.focus();
    } else if (edgeId) {
      state.select({ nodeIds: [], edgeIds: [edgeId] });
    }
  }

  return (
    <section aria-labelledby="checklist-heading" className="flex min-h-0 flex-col">
      <h2 id="checklist-heading" className="text-sm font-semibold text-slate-900">
        Checklist
      </h2>
      <p className="mt-0.5 text-xs text-slate-600" aria-live="polite">
        {checklist.length === 0
          ? "No problems found: ready to publish."
          : `${plural(errors, "error")}, ${plural(warnings, "warning")}${errors > 0 ? ": errors block publishing" : ""}.`}
      </p>
      {checklist.length > 0 ? (
        <ul className="mt-2 min-h-0 space-y-1 overflow-y-auto">
          {checklist.map((item) => (
            <li key={item.key}>
              <button
                type="button"
                onClick={() => jump(item.nodeId, item.edgeId)}
                disabled={!item.nodeId && !item.edgeId}
                className={cn(
                  "w-full rounded-md px-2 py-1.5 text-left text-xs ring-1 ring-inset",
                  item.severity === "error"
                    ? "bg-red-50 text-red-900 ring-red-200 hover:bg-red-100"
                    : "bg-amber-50 text-amber-950 ring-amber-200 hover:bg-amber-100",
                )}
              >
                <span className="font-semibold">
                  {item.severity === "error" ? "Error" : "Warning"}
                  {item.stepLabel ? ` · ${item.stepLabel}` : ""}:
                </span>{" "}
                {item.message}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
