"use client";
import { Handle, type NodeProps, Position } from "@xyflow/react";
import { type MouseEvent, useMemo } from "react";
import { NO_DIAGNOSTICS } from "@/components/editor/model/diagnostics";
import type { EditorNode } from "@/components/editor/model/document";
import { exitOffset } from "@/components/editor/model/layout";
import { useEditor } from "@/components/editor/store-context";
import { cn } from "@/components/ui/cn";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { KindIcon } from "./icons";

/** What React Flow hands a card: the step itself as `data`. */
export type CampaignFlowNode = {
  id: string;
  type: string;
  position: { x: number; y: number };
  data: EditorNode;
};

export type CardProps = NodeProps & { data: EditorNode };

/** "1 error · 2 warnings": the same words on the card and in the inspector. */
export function problemCount(errors: number, warnings: number): string {
  return [
    errors > 0 ? plural(errors, "error") : null,
    warnings > 0 ? plural(warnings, "warning") : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * One step on the canvas: its kind, what it will do ("Wait 3 days"), a badge when validation
 * has something to say about it, and its exits, each labelled and marked when nothing is
 * connected to it. Reads only its own slice of the editor state.
 */
export function StepCard({
  id,
  data,
  selected,
  children,
}: CardProps & { children?: React.ReactNode }) {
  const definition = findNodeDefinition(data.kind);
  const summary = useMemo(
    () => definition?.summarize(data.config) ?? data.kind,
    [definition, data],
  );
  const diagnostics = useEditor((state) => state.validation.byNode.get(id) ?? NO_DIAGNOSTICS);
  const exits = definition?.exits ?? [];
  // A string, so the card re-renders only when one of its own exits is wired or unwired.
  const wiredMask = useEditor((state) =>
    exits.map((exit) => (state.wiredExits.has(`${id}:${exit.handle}`) ? "1" : "0")).join(""),
  );
  const pickedExit = useEditor((state) =>
    state.selectedExit?.nodeId === id ? state.selectedExit.handle : null,
  );
  const selectExit = useEditor((state) => state.selectExit);
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  const warnings = diagnostics.length - errors.length;

  return (
    <div
      className={cn(
        "relative w-64 rounded-lg border bg-white text-left shadow-sm",
        errors.length > 0 ? "border-red-400" : "border-slate-300",
        selected && "ring-2 ring-brand-500 ring-offset-1",
      )}
    >
      {data.kind !== "start" ? (
        <Handle type="target" position={Position.Top} className="!size-3 !bg-slate-500" />
      ) : null}
      <div className="flex items-start gap-2 px-3 pt-2.5">
        <span
          className="mt-0.5 flex size-6 shrink-0 items-center justify-center rounded text-white"
          style={{ backgroundColor: definition?.colour ?? "#64748b" }}
        >
          <KindIcon icon={definition?.icon} className="size-3.5" />
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex items-center justify-between gap-2">
            <span className="text-xs font-semibold uppercase tracking-wide text-slate-600">
              {definition?.label ?? data.kind}
            </span>
            {diagnostics.length > 0 ? (
              <span
                title={diagnostics.map((diagnostic) => diagnostic.message).join("\n")}
                className={cn(
                  "rounded-full px-1.5 py-0.5 text-[11px] font-semibold leading-none",
                  errors.length > 0 ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900",
                )}
              >
                {problemCount(errors.length, warnings)}
              </span>
            ) : null}
          </div>
          <p className="mt-0.5 break-words text-sm text-slate-900">{summary}</p>
          {children}
        </div>
      </div>
      {exits.length > 0 ? (
        <div
          className={cn(
            "relative mt-2",
            exits.length === 1 && wiredMask === "1" ? "h-2" : "h-7 border-t border-slate-100",
          )}
        >
          {exits.map((exit, index) => {
            const wired = wiredMask[index] === "1";
            const left = `${exitOffset(index, exits.length) * 100}%`;
            const onPick = (event: MouseEvent) => {
              event.stopPropagation();
              selectExit({ nodeId: id, handle: exit.handle });
            };
            const named = exits.length > 1 || !wired;
            return (
              <div key={exit.handle}>
                {named ? (
                  // Mouse shortcut for choosing where the palette appends; keyboard users pick
                  // the exit in the inspector instead.
                  <button
                    type="button"
                    tabIndex={-1}
                    onClick={onPick}
                    style={{ left }}
                    className={cn(
                      "nodrag absolute top-1 -translate-x-1/2 whitespace-nowrap rounded px-1.5 text-[11px] font-medium leading-5",
                      wired
                        ? "text-slate-700"
                        : "border border-dashed border-amber-600 bg-amber-50 text-amber-900",
                      pickedExit === exit.handle && "ring-2 ring-brand-500",
                    )}
                  >
                    {wired ? exit.label : `${exits.length > 1 ? exit.label : "Exit"}: open`}
                  </button>
                ) : null}
                <Handle
                  type="source"
                  id={exit.handle}
                  position={Position.Bottom}
                  style={{ left }}
                  className={cn(
                    "!size-3",
                    wired ? "!bg-slate-600" : "!border-2 !border-amber-600 !bg-white",
                  )}
                />
              </div>
            );
          })}
        </div>
      ) : (
        <div className="h-2" />
      )}
    </div>
  );
}

/** The share of leads each A/B variant gets ("A 50% · B 50%"), for cards of texts. */
export function VariantShares({ variants }: { variants: unknown }) {
  if (!Array.isArray(variants) || variants.length < 2) return null;
  const weights = variants.map((variant) =>
    typeof variant?.weight === "number" && variant.weight > 0 ? variant.weight : 0,
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0) return null;
  return (
    <p className="mt-0.5 text-xs text-slate-600">
      {weights
        .map(
          (weight, index) => `${"ABCD"[index] ?? index + 1} ${Math.round((weight / total) * 100)}%`,
        )
        .join(" · ")}
    </p>
  );
}
