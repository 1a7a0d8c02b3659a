import "server-only";

import { z } from "zod";
import { findDraft, findVersion } from "@/db/queries/drafts";
import type { GroupMove, InFlightGroup, PinnedVersion } from "@/db/queries/publish";
import {
  type AnyGraph,
  applyStrandedChoices,
  CURRENT_SCHEMA_VERSION,
  contentHash,
  mapVersions,
  parseDraftGraph,
  parseGraph,
  type StrandedChoice,
  type StrandedChoiceError,
  type StrandedReason,
} from "@/workflows/graph/index";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";

// The campaign editor's operations: load the draft, save it (compare-and-swap on its content
// hash), preview what publishing would do to the leads in flight, and publish. Each takes the
// resolved caller; ids are looked up inside caller.workspace, so other workspaces' are 404.

export const id = z.string().min(1).max(100);

export const hash = z.string().min(1).max(200);

export const campaignDraftInput = z.object({ campaignId: id });

export const draftConflict = () =>
  conflict(
    "This campaign was changed in another tab or by someone else since you opened it. Reload to get the latest version; your changes here were not saved.",
    "draft_conflict",
  );

export function shorten(text: string, length = 300): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** True when the draft differs from the live version (or nothing is published yet). */
export async function differsFromLive(draft: unknown, liveHash: string | null): Promise<boolean> {
  if (liveHash === null) return true;
  const parsed = parseGraph(draft);
  if (!parsed.ok) return true;
  return (await contentHash(parsed.graph)) !== liveHash;
}

export async function requireDraft(caller: Caller, campaignId: string) {
  const row = await findDraft(caller.db, caller.workspace.workspaceId, campaignId);
  if (!row) throw notFound("Campaign");
  return row;
}

export async function liveOf(caller: Caller, liveVersionId: string | null) {
  return liveVersionId === null
    ? null
    : findVersion(caller.db, caller.workspace.workspaceId, liveVersionId);
}

export function readableGraph(graph: unknown): AnyGraph {
  const parsed = parseDraftGraph(graph);
  return parsed.ok ? parsed.graph : { schemaVersion: CURRENT_SCHEMA_VERSION, nodes: [], edges: [] };
}

interface PlannedGroups {
  moves: GroupMove[];
  errors: StrandedChoiceError[];
  staying: Map<string, number>;
  stranded: Map<
    string,
    {
      count: number;
      reason: StrandedReason;
      oldKind: string | null;
      newKind: string | null;
      oldGraph: AnyGraph;
    }
  >;
}

/** The version mapping for every pinned version at once, and the user's choices applied. */
export function planGroups(
  groups: InFlightGroup[],
  versions: PinnedVersion[],
  newGraph: AnyGraph,
  choices: Readonly<Record<string, StrandedChoice>>,
): PlannedGroups {
  const planned: PlannedGroups = { moves: [], errors: [], staying: new Map(), stranded: new Map() };
  const byVersion = new Map<string, Record<string, number>>();
  for (const group of groups) {
    const counts = byVersion.get(group.versionId) ?? {};
    counts[group.nodeId] = (counts[group.nodeId] ?? 0) + group.count;
    byVersion.set(group.versionId, counts);
  }
  for (const [versionId, counts] of byVersion) {
    const pinned = versions.find((version) => version.id === versionId);
    const oldGraph = readableGraph(pinned?.graph);
    const mapping = mapVersions(oldGraph, newGraph, counts);
    for (const group of mapping.staying) {
      planned.staying.set(group.nodeId, (planned.staying.get(group.nodeId) ?? 0) + group.count);
    }
    for (const group of mapping.stranded) {
      const seen = planned.stranded.get(group.nodeId);
      planned.stranded.set(group.nodeId, {
        ...group,
        count: (seen?.count ?? 0) + group.count,
        oldGraph: seen?.oldGraph ?? oldGraph,
      });
    }
    // Choices for steps no longer stranded (their leads moved on meanwhile) are not needed.
    const relevant = Object.fromEntries(
      mapping.stranded
        .filter((group) => Object.hasOwn(choices, group.nodeId))
        .map((group) => [group.nodeId, choices[group.nodeId]]),
    );
    const applied = applyStrandedChoices(mapping, newGraph, relevant);
    if (!applied.ok) {
      planned.errors.push(...applied.errors);
      continue;
    }
    planned.moves.push(
      ...applied.moves.map((move) => ({ versionId, nodeId: move.fromNodeId, to: move.to })),
    );
  }
  return planned;
}
