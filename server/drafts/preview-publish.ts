import "server-only";

import type { z } from "zod";
import { inFlightOfCampaign, nextVersionNumber } from "@/db/queries/publish";
import type { PublishPreview, StepRef } from "@/views/drafts";
import { type AnyGraph, validateGraph } from "@/workflows/graph/index";
import { findNodeDefinition } from "@/workflows/nodes/index";
import type { Caller } from "../http/guard";
import { refuseOversizedGraph } from "./draft-graph";
import {
  type campaignDraftInput,
  differsFromLive,
  liveOf,
  planGroups,
  readableGraph,
  requireDraft,
} from "./draft-shared";

function describeStep(graph: AnyGraph | null, nodeId: string): string {
  const node = graph?.nodes.find((candidate) => candidate.id === nodeId);
  const definition = findNodeDefinition(node?.kind);
  if (!node || !definition) return `step ${nodeId}`;
  // Summaries name their kind ("Wait 3 days", "Connect · note 120/300").
  return definition.summarize(node.config);
}

/** Steps that read the same ("End · no answer" twice) get their id added, to tell them apart. */
function distinctLabels(steps: StepRef[]): StepRef[] {
  const counts = new Map<string, number>();
  for (const step of steps) counts.set(step.label, (counts.get(step.label) ?? 0) + 1);
  return steps.map((step) =>
    (counts.get(step.label) ?? 0) > 1
      ? { ...step, label: `${step.label} (step ${step.nodeId})` }
      : step,
  );
}

export async function previewPublish(
  caller: Caller,
  input: z.infer<typeof campaignDraftInput>,
): Promise<PublishPreview> {
  const { db, workspace } = caller;
  const row = await requireDraft(caller, input.campaignId);
  const [live, inFlight, nextVersion] = await Promise.all([
    liveOf(caller, row.liveVersionId),
    inFlightOfCampaign(db, workspace.workspaceId, row.id, new Date()),
    nextVersionNumber(db, workspace.workspaceId, row.id),
  ]);
  // A draft stored before the limits existed is refused here, not walked.
  refuseOversizedGraph(row.draftGraph);
  const validation = validateGraph(row.draftGraph);
  const newGraph = readableGraph(row.draftGraph);
  const planned = planGroups(inFlight.groups, inFlight.versions, newGraph, {});
  return {
    draftHash: row.draftHash,
    errors: validation.errors,
    warnings: validation.warnings,
    unpublishedChanges: await differsFromLive(row.draftGraph, live?.hash ?? null),
    nextVersion,
    liveVersion: live?.version ?? null,
    inFlight: inFlight.groups.reduce((sum, group) => sum + group.count, 0),
    busy: inFlight.busy,
    staying: [...planned.staying].map(([nodeId, count]) => ({
      nodeId,
      count,
      label: describeStep(newGraph, nodeId),
    })),
    stranded: [...planned.stranded].map(([nodeId, group]) => ({
      nodeId,
      count: group.count,
      reason: group.reason,
      oldKind: group.oldKind,
      newKind: group.newKind,
      label: describeStep(group.oldGraph, nodeId),
    })),
    targets: distinctLabels(
      newGraph.nodes
        .filter((node) => node.kind !== "start")
        .map((node) => ({ nodeId: node.id, label: describeStep(newGraph, node.id) })),
    ),
  };
}
