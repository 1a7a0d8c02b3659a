import "server-only";

import { findNodeDefinition } from "@/workflows/nodes/index";

export const SEP = "\u001f";

export interface GraphShape {
  nodes: Array<{ id: string; kind: string; position?: { x: number; y: number }; config: unknown }>;
  edges: Array<{ id: string; source: string; sourceHandle: string; target: string }>;
}

export const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export function exitLabel(kind: string | null, exit: string): string {
  return findNodeDefinition(kind ?? undefined)?.exits.find((e) => e.handle === exit)?.label ?? exit;
}
