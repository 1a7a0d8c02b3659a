/**
 * Live validation for the editor: the workflow model's `validateGraph` on the document, with
 * its diagnostics grouped per step (for the badges on the cards) and as a checklist (errors
 * first, in the order the steps appear). Results are reused when only positions changed, and
 * each step's list keeps its identity while its diagnostics stay the same, so a card re-renders
 * only when its own badge changes.
 */
import { type Diagnostic, type ValidationResult, validateGraph } from "@/workflows/graph/index";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { type EditorDocument, graphOf } from "./document";

export interface ChecklistItem {
  key: string;
  severity: Diagnostic["severity"];
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** The step's kind as the palette names it ("Connect"), when the item is about a step. */
  stepLabel?: string;
}

export interface ValidationView {
  document: EditorDocument;
  result: ValidationResult;
  byNode: ReadonlyMap<string, readonly Diagnostic[]>;
  checklist: readonly ChecklistItem[];
}

export const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

/** Same steps, kinds, configs and connections: only positions may differ. */
function sameLogic(left: EditorDocument, right: EditorDocument): boolean {
  if (left.edges !== right.edges || left.nodes.length !== right.nodes.length) return false;
  return left.nodes.every((node, index) => {
    const other = right.nodes[index]!;
    return node.id === other.id && node.kind === other.kind && node.config === other.config;
  });
}

function sameDiagnostics(left: readonly Diagnostic[], right: readonly Diagnostic[]): boolean {
  return (
    left.length === right.length &&
    left.every(
      (diagnostic, index) =>
        diagnostic.code === right[index]!.code &&
        diagnostic.message === right[index]!.message &&
        diagnostic.severity === right[index]!.severity,
    )
  );
}

export function validateDocument(
  document: EditorDocument,
  previous?: ValidationView | null,
): ValidationView {
  if (previous && (previous.document === document || sameLogic(previous.document, document))) {
    return previous.document === document ? previous : { ...previous, document };
  }
  const result = validateGraph(graphOf(document));
  const grouped = new Map<string, Diagnostic[]>();
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.nodeId === undefined) continue;
    grouped.set(diagnostic.nodeId, [...(grouped.get(diagnostic.nodeId) ?? []), diagnostic]);
  }
  const byNode = new Map<string, readonly Diagnostic[]>();
  for (const [nodeId, diagnostics] of grouped) {
    const before = previous?.byNode.get(nodeId);
    byNode.set(nodeId, before && sameDiagnostics(before, diagnostics) ? before : diagnostics);
  }
  const order = new Map(document.nodes.map((node, index) => [node.id, index]));
  const kinds = new Map(document.nodes.map((node) => [node.id, node.kind]));
  const checklist = result.diagnostics
    .map((diagnostic, index): ChecklistItem & { order: number } => ({
      key: `${index}:${diagnostic.code}:${diagnostic.nodeId ?? diagnostic.edgeId ?? ""}`,
      severity: diagnostic.severity,
      message: diagnostic.message,
      ...(diagnostic.nodeId !== undefined ? { nodeId: diagnostic.nodeId } : {}),
      ...(diagnostic.edgeId !== undefined ? { edgeId: diagnostic.edgeId } : {}),
      ...(diagnostic.nodeId !== undefined
        ? { stepLabel: findNodeDefinition(kinds.get(diagnostic.nodeId))?.label ?? "Step" }
        : {}),
      order: diagnostic.nodeId !== undefined ? (order.get(diagnostic.nodeId) ?? -1) : -1,
    }))
    .sort(
      (left, right) =>
        (left.severity === right.severity ? 0 : left.severity === "error" ? -1 : 1) ||
        left.order - right.order,
    )
    .map(({ order: _order, ...item }) => item);
  return { document, result, byNode, checklist };
}
