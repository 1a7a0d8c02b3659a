"use client";
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { KindIcon } from "@/components/canvas/icons";
import { problemCount } from "@/components/canvas/node-card";
import { kindViews } from "@/components/canvas/nodes/index";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { findNodeDefinition, type NodeKind } from "@/workflows/nodes/index";
import { NO_DIAGNOSTICS } from "./model/diagnostics";
import type { EditorNode } from "./model/document";
import { fieldErrors } from "./model/fields";
import { useEditor, useEditorStore } from "./store-context";
import type { PreviewLead } from "./template-field";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ["Ctrl/⌘ Z", "Undo"],
  ["Ctrl/⌘ Shift Z, Ctrl Y", "Redo"],
  ["Ctrl/⌘ C, V", "Copy, paste steps"],
  ["Ctrl/⌘ D", "Duplicate steps"],
  ["Delete, Backspace", "Delete the selection"],
  ["Shift + drag", "Select several steps"],
  ["Esc", "Clear the selection"],
];

/**
 * The right-hand panel: the selected step's form (one per kind, checked by the kind's zod
 * schema), its diagnostics and exits; or what to do when nothing or several steps are selected.
 */
export function Inspector({
  samples,
  customFields,
  focusRequest,
}: {
  samples: PreviewLead[];
  customFields: string[];
  /** A step just added from the keyboard: its first field takes the focus when it shows. */
  focusRequest: RefObject<string | null>;
}) {
  const count = useEditor((state) => state.selectedNodeIds.length);
  const node = useEditor((state) =>
    state.selectedNodeIds.length === 1
      ? state.nodes.find((candidate) => candidate.id === state.selectedNodeIds[0])
      : undefined,
  );
  const section = useRef<HTMLElement>(null);
  const nodeId = node?.id;
  useEffect(() => {
    if (nodeId === undefined || focusRequest.current !== nodeId) return;
    focusRequest.current = null;
    const field = section.current?.querySelector<HTMLElement>(
      "input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled])",
    );
    (field ?? section.current)?.focus();
  }, [nodeId, focusRequest]);
  return (
    <section
      ref={section}
      aria-labelledby="inspector-heading"
      tabIndex={-1}
      className="flex min-h-0 flex-col gap-4 outline-none"
    >
      {node ? (
        <StepInspector key={node.id} node={node} samples={samples} customFields={customFields} />
      ) : count > 1 ? (
        <SeveralSelected count={count} />
      ) : (
        <NothingSelected />
      )}
    </section>
  );
}

function NothingSelected() {
  return (
    <div className="space-y-3">
      <h2 id="inspector-heading" className="text-sm font-semibold text-slate-900">
        Inspector
      </h2>
      <p className="text-sm text-slate-700">
        Select a step to change what it does. Add steps from the list on the left, and connect an
        exit at the bottom of a card to the top of the next one.
      </p>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Shortcuts</h3>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs text-slate-700">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="contents">
            <dt className="font-mono text-slate-800">{keys}</dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function SeveralSelected({ count }: { count: number }) {
  const store = useEditorStore();
  const readOnly = useEditor((state) => state.readOnly);
  return (
    <div className="space-y-3">
      <h2 id="inspector-heading" className="text-sm font-semibold text-slate-900">
        {count} steps selected
      </h2>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => store.getState().copy()}>
          Copy
        </Button>
        <Button
          variant="secondary"
          disabled={readOnly}
          onClick={() => store.getState().duplicate()}
        >
          Duplicate
        </Button>
        <Button
          variant="danger"
          disabled={readOnly}
          onClick={() => store.getState().deleteSelection()}
        >
          Delete
        </Button>
      </div>
    </div>
  );
}

function StepInspector({
  node,
  samples,
  customFields,
}: {
  node: EditorNode;
  samples: PreviewLead[];
  customFields: string[];
}) {
  const store = useEditorStore();
  const readOnly = useEditor((state) => state.readOnly);
  const diagnostics = useEditor((state) => state.validation.byNode.get(node.id) ?? NO_DIAGNOSTICS);
  const [sampleIndex, setSampleIndex] = useState(0);
  const definition = findNodeDefinition(node.kind);
  const config = isRecord(node.config) ? node.config : {};
  const errors = useMemo(
    () => fieldErrors(node.kind as NodeKind, node.config),
    [node.kind, node.config],
  );
  const View = kindViews[node.kind as NodeKind];
  const preview = samples[sampleIndex] ?? samples[0] ?? { label: "a lead", lead: {} };

  const setConfig = useCallback(
    (next: Record<string, unknown>, field: string) =>
      store.getState().updateConfig(node.id, next, `${node.id}:${field}`),
    [store, node.id],
  );
  const setField = useCallback(
    (field: string, value: unknown) => setConfig({ ...config, [field]: value }, field),
    [config, setConfig],
  );

  return (
    <div className="space-y-4">
      <header className="flex items-start gap-2">
        <span
          className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded text-white"
          style={{ backgroundColor: definition?.colour ?? "#64748b" }}
        >
          <KindIcon icon={definition?.icon} />
        </span>
        <div className="min-w-0">
          <h2 id="inspector-heading" className="text-base font-semibold text-slate-900">
            {definition?.label ?? node.kind}
          </h2>
          <p className="text-xs text-slate-600">{definition?.description}</p>
        </div>
      </header>

      {diagnostics.length > 0 ? (
        <p className="text-xs font-semibold text-slate-700">
          {problemCount(
            diagnostics.filter((diagnostic) => diagnostic.severity === "error").length,
            diagnostics.filter((diagnostic) => diagnostic.severity !== "error").length,
          )}
        </p>
      ) : null}
      {diagnostics.length > 0 ? (
        <ul aria-label="Problems with this step" className="space-y-1">
          {diagnostics.map((diagnostic, index) => (
            <li
              key={`${diagnostic.code}-${index}`}
              className={cn(
                "rounded-md px-2 py-1.5 text-xs ring-1 ring-inset",
                diagnostic.severity === "error"
                  ? "bg-red-50 text-red-900 ring-red-200"
                  : "bg-amber-50 text-amber-950 ring-amber-200",
              )}
            >
              <span className="font-semibold">
                {diagnostic.severity === "error" ? "Error" : "Warning"}:
              </span>{" "}
              {diagnostic.message}
            </li>
          ))}
        </ul>
      ) : null}

      {definition?.send?.writesText && samples.length > 1 ? (
        <div>
          <label htmlFor="preview-lead" className="mb-1 block text-sm font-medium text-slate-700">
            Preview texts for
          </label>
          <select
            id="preview-lead"
            value={sampleIndex}
            onChange={(event) => setSampleIndex(Number(event.target.value))}
            className={inputClass}
          >
            {samples.map((sample, index) => (
              <option key={`${sample.label}-${index}`} value={index}>
                {sample.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}

      {View ? (
        <View.Inspector
          nodeId={node.id}
          config={config}
          errors={errors}
          setField={setField}
          setConfig={setConfig}
          preview={preview}
          customFields={customFields}
          readOnly={readOnly}
        />
      ) : null}

      <Exits node={node} />

      {node.kind !== "start" ? (
        <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-3">
          <Button
            variant="secondary"
            className="px-2.5 py-1.5 text-xs"
            disabled={readOnly}
            onClick={() => store.getState().duplicate()}
          >
            Duplicate step
          </Button>
          <Button
            variant="danger"
            className="px-2.5 py-1.5 text-xs"
            disabled={readOnly}
            onClick={() => store.getState().deleteSelection()}
          >
            Delete step
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** Where each exit leads, and which one the palette adds the next step after. */
function Exits({ node }: { node: EditorNode }) {
  const store = useEditorStore();
  const definition = findNodeDefinition(node.kind);
  const targets = useEditor((state) =>
    (definition?.exits ?? [])
      .map((exit) => {
        const edge = state.edges.find(
          (candidate) => candidate.source === node.id && candidate.sourceHandle === exit.handle,
        );
        const target = edge && state.nodes.find((candidate) => candidate.id === edge.target);
        const targetDefinition = findNodeDefinition(target?.kind);
        return target && targetDefinition
          ? `${targetDefinition.label}: ${targetDefinition.summarize(target.config)}`
          : "";
      })
      .join("\u0000"),
  );
  const picked = useEditor((state) =>
    state.selectedExit?.nodeId === node.id ? state.selectedExit.handle : null,
  );
  const exits = definition?.exits ?? [];
  if (exits.length === 0) return null;
  const leadsTo = targets.split("\u0000");
  const firstOpen = exits.findIndex((_, index) => !leadsTo[index]);
  const chosen = picked ?? exits[firstOpen === -1 ? 0 : firstOpen]!.handle;
  return (
    <fieldset className="space-y-1.5">
      <legend className="mb-1 text-sm font-medium text-slate-700">
        Exits{exits.length > 1 ? ": the palette adds after the one chosen" : ""}
      </legend>
      {exits.map((exit, index) => {
        const target = leadsTo[index];
        const description = (
          <span className="min-w-0">
            <span className="font-medium text-slate-900">{exit.label}</span>
            <span className={cn("block text-xs", target ? "text-slate-600" : "text-amber-900")}>
              {target ? `→ ${target}` : "Open: connect it to a step, or add one from the palette."}
            </span>
          </span>
        );
        const frame = "flex items-start gap-2 rounded-md px-2 py-1.5 text-sm ring-1 ring-slate-200";
        if (exits.length === 1) {
          return (
            <div key={exit.handle} className={frame}>
              {description}
            </div>
          );
        }
        return (
          <label key={exit.handle} className={frame}>
            <input
              type="radio"
              name={`${node.id}-exit`}
              checked={chosen === exit.handle}
              onChange={() => store.getState().selectExit({ nodeId: node.id, handle: exit.handle })}
              className="mt-1"
            />
            {description}
          </label>
        );
      })}
    </fieldset>
  );
}
