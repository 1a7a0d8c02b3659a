import "server-only";

import { z } from "zod";
import { existingSenderAccountIds } from "@/db/queries/accounts";
import { createCampaign, createDraftCampaign } from "@/db/queries/launch";
import {
  contentHash,
  type Diagnostic,
  parseDraftGraph,
  validateGraph,
} from "@/workflows/graph/index";
import { copyStarterGraph, starterTemplates } from "@/workflows/templates/index";
import { blankDraftGraph, refuseOversizedGraph } from "../drafts/draft-graph";
import { HttpError, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { id } from "./campaign-shared";

/** The "template" of a campaign drawn from scratch: only its start step. */
export const BLANK_TEMPLATE_ID = "blank";

export const createCampaignInput = z
  .object({
    name: z.string().trim().min(2, "Give the campaign a name of at least 2 characters.").max(100),
    templateId: z.string().min(1).max(100).optional(),
    graph: z.unknown().optional(),
    accountIds: z
      .array(id)
      .min(1, "Pick at least one sender account.")
      .max(50, "A campaign sends from at most 50 accounts."),
    /** Create a draft to open in the editor: nothing is published or run yet. */
    draft: z.boolean().optional(),
  })
  .refine((input) => (input.templateId === undefined) !== (input.graph === undefined), {
    message: "Start from a starter template or give a graph (one of the two).",
    path: ["templateId"],
  })
  .refine((input) => input.draft === true || input.templateId !== BLANK_TEMPLATE_ID, {
    message: "A blank campaign opens in the editor as a draft: draw it before it can run.",
    path: ["templateId"],
  });

/** A graph that validation refuses: a 400 carrying every diagnostic, for the editor to show. */
export class GraphRefusedError extends HttpError {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      400,
      "graph_invalid",
      `The workflow cannot be published: ${errors.length === 1 ? "1 error" : `${errors.length} errors`}, starting with "${errors[0]?.message ?? "unknown"}".`,
    );
    this.name = "GraphRefusedError";
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, diagnostics: this.diagnostics } };
  }
}

export async function createCampaignFor(
  caller: Caller,
  input: z.infer<typeof createCampaignInput>,
) {
  const { db, workspace } = caller;
  refuseOversizedGraph(input.graph);
  if (input.draft) return createDraftCampaignFor(caller, input);
  let graph: unknown = input.graph;
  if (input.templateId !== undefined) {
    graph = copyStarterGraph(input.templateId);
    if (graph === undefined) {
      throw new HttpError(400, "invalid_input", "templateId: There is no such starter template.", {
        templateId: [`Pick one of: ${starterTemplates.map((t) => t.id).join(", ")}.`],
      });
    }
  }
  const validation = validateGraph(graph);
  if (!validation.ok) throw new GraphRefusedError(validation.diagnostics);

  const accountIds = [...new Set(input.accountIds)];
  const found = await existingSenderAccountIds(db, workspace.workspaceId, accountIds);
  if (found.length !== accountIds.length) throw notFound("Sender account");

  const { campaignId, versionId } = await createCampaign(db, workspace.workspaceId, {
    name: input.name,
    graph,
    accountIds,
  });
  return {
    id: campaignId,
    name: input.name,
    status: "running" as const,
    liveVersionId: versionId,
    warnings: validation.warnings,
  };
}

/** A draft campaign (blank, from a template, or from a graph) to finish in the editor. */
async function createDraftCampaignFor(caller: Caller, input: z.infer<typeof createCampaignInput>) {
  const { db, workspace } = caller;
  let graph: unknown = input.graph;
  if (input.templateId === BLANK_TEMPLATE_ID) graph = blankDraftGraph();
  else if (input.templateId !== undefined) {
    graph = copyStarterGraph(input.templateId);
    if (graph === undefined) {
      throw new HttpError(400, "invalid_input", "templateId: There is no such starter template.", {
        templateId: [
          `Pick one of: ${[BLANK_TEMPLATE_ID, ...starterTemplates.map((t) => t.id)].join(", ")}.`,
        ],
      });
    }
  }
  const parsed = parseDraftGraph(graph);
  if (!parsed.ok)
    throw new HttpError(400, "invalid_graph", `This is not a campaign graph: ${parsed.message}`);
  const accountIds = [...new Set(input.accountIds)];
  const found = await existingSenderAccountIds(db, workspace.workspaceId, accountIds);
  if (found.length !== accountIds.length) throw notFound("Sender account");
  const { campaignId } = await createDraftCampaign(db, workspace.workspaceId, {
    name: input.name,
    graph: parsed.graph,
    draftHash: await contentHash(parsed.graph),
    accountIds,
  });
  return {
    id: campaignId,
    name: input.name,
    status: "draft" as const,
    liveVersionId: null,
    warnings: [] as Diagnostic[],
  };
}
