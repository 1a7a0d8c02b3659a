import "server-only";

import { z } from "zod";
import { swapDraft } from "@/db/queries/drafts";
import { contentHash, parseDraftGraph } from "@/workflows/graph/index";
import { badRequest } from "../http/errors";
import type { Caller } from "../http/guard";
import { refuseOversizedGraph } from "./draft-graph";
import {
  differsFromLive,
  draftConflict,
  hash,
  id,
  liveOf,
  requireDraft,
  shorten,
} from "./draft-shared";

export const saveDraftInput = z.object({
  campaignId: id,
  /** The draft hash the editor started from: the save is refused if the draft moved on. */
  baseHash: hash,
  graph: z.unknown(),
});

export interface SavedDraft {
  hash: string;
  savedAt: string;
  unpublishedChanges: boolean;
}

export async function saveCampaignDraft(
  caller: Caller,
  input: z.infer<typeof saveDraftInput>,
): Promise<SavedDraft> {
  refuseOversizedGraph(input.graph);
  const parsed = parseDraftGraph(input.graph);
  if (!parsed.ok)
    throw badRequest(`This is not a campaign graph: ${shorten(parsed.message)}`, "invalid_graph");
  const graph = parsed.graph;
  const row = await requireDraft(caller, input.campaignId);
  if (row.draftHash !== input.baseHash) throw draftConflict();
  const newHash = await contentHash(graph);
  const live = await liveOf(caller, row.liveVersionId);
  const at = new Date();
  // Written even when the hash is unchanged: the stored graph may be one that no longer reads.
  const swapped = await swapDraft(caller.db, caller.workspace.workspaceId, row.id, {
    baseHash: input.baseHash,
    graph,
    hash: newHash,
    at,
  });
  if (!swapped) throw draftConflict();
  return {
    hash: newHash,
    savedAt: at.toISOString(),
    unpublishedChanges: await differsFromLive(graph, live?.hash ?? null),
  };
}
