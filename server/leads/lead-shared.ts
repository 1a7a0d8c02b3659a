import "server-only";

import { z } from "zod";
import { findNodeDefinition } from "@/workflows/nodes/index";

// Lead operations shared by the route handlers and the server actions: imports (into the
// workspace, and optionally straight into a campaign), the list, a lead's timeline across
// campaigns, and the blocklist. Ids from the client are looked up inside caller.workspace, so
// another workspace's ids come back as "not found" and nothing of theirs changes.

export const id = z.string().min(1).max(100);

/** Form fields send "" for "any": the same as leaving the filter out. */
export const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const displayName = (row: {
  firstName: string;
  lastName: string;
  publicIdentifier: string;
}) => `${row.firstName} ${row.lastName}`.trim() || row.publicIdentifier;

export const leadIdInput = z.object({ leadId: id });

export function stepSummary(graph: unknown, nodeId: string): string {
  const node = (
    graph as { nodes?: Array<{ id: string; kind: string; config: unknown }> }
  )?.nodes?.find((candidate) => candidate.id === nodeId);
  if (!node) return nodeId;
  return findNodeDefinition(node.kind)?.summarize(node.config) ?? node.kind;
}

export const MAX_BLOCKLIST_ENTRIES = 10_000;
