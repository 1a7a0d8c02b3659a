import "server-only";

import { z } from "zod";
import { type PlanResult, publishVersion } from "@/db/queries/publish";
import type { PublishResult } from "@/views/drafts";
import {
  freezeVersion,
  type StrandedChoiceError,
  strandedChoiceSchema,
} from "@/workflows/graph/index";
import { conflict, HttpError, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { refuseOversizedGraph } from "./draft-graph";
import { draftConflict, hash, id, liveOf, planGroups, requireDraft } from "./draft-shared";

/** How often publishing tries again while a worker holds some of the campaign's leads. */
export const PUBLISH_RETRY_DELAYS_MS = [250, 500, 1000] as const;

export const publishInput = z.object({
  campaignId: id,
  /** The draft hash the user reviewed: publishing is refused if the draft changed since. */
  draftHash: hash,
  /** What to do with the leads at each stranded step, by step id. */
  choices: z.record(z.string().max(64), strandedChoiceSchema).default({}),
});

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export interface PublishOptions {
  /** Waits between tries while a worker holds some leads; the default retries briefly. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function publishCampaignDraft(
  caller: Caller,
  input: z.infer<typeof publishInput>,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const { db, workspace } = caller;
  const row = await requireDraft(caller, input.campaignId);
  if (row.status === "finished") {
    throw conflict("This campaign has finished: a new version would never run.");
  }
  if (row.draftHash !== input.draftHash) throw draftConflict();
  refuseOversizedGraph(row.draftGraph);
  const frozen = await freezeVersion(row.draftGraph);
  if (!frozen.ok) {
    const { errors } = frozen.validation;
    throw new HttpError(
      400,
      "graph_invalid",
      `The workflow cannot be published: ${plural(errors.length, "error")}, starting with "${errors[0]?.message ?? "unknown"}".`,
    );
  }
  const live = await liveOf(caller, row.liveVersionId);
  if (live !== null && live.hash === frozen.version.contentHash) {
    throw conflict(
      `Nothing to publish: the draft is the same as the live version, v${live.version}.`,
      "no_changes",
    );
  }
  const newGraph = frozen.version.graph;
  const delays = options.retryDelaysMs ?? PUBLISH_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? wait;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await publishVersion<StrandedChoiceError[]>(db, workspace.workspaceId, row.id, {
      expectedDraftHash: input.draftHash,
      version: frozen.version,
      now: options.now?.() ?? new Date(),
      plan: (groups, versions): PlanResult<StrandedChoiceError[]> => {
        const planned = planGroups(groups, versions, newGraph, input.choices);
        return planned.errors.length > 0
          ? { ok: false, refusal: planned.errors }
          : { ok: true, moves: planned.moves };
      },
      describe: (move, version) =>
        move.to.action === "move"
          ? `Moved to step ${move.to.toNodeId} when version ${version} was published: step ${move.nodeId} changed.`
          : `Ended when version ${version} was published: step ${move.nodeId} is not in it.`,
    });
    switch (outcome.type) {
      case "published":
        return { versionId: outcome.versionId, version: outcome.version, leads: outcome.leads };
      case "not_found":
        throw notFound("Campaign");
      case "draft_changed":
        throw draftConflict();
      case "refused": {
        const [first] = outcome.refusal;
        throw new HttpError(
          409,
          "stranded_leads",
          outcome.refusal.length === 1 && first
            ? first.message
            : `${plural(outcome.refusal.length, "group")} of leads need a decision, starting with: ${first?.message ?? ""}`,
        );
      }
      case "busy": {
        const delay = delays[attempt];
        if (delay !== undefined) {
          await sleep(delay);
          continue;
        }
        const who =
          outcome.count === null
            ? "Some leads are"
            : outcome.count === 1
              ? "1 lead is"
              : `${outcome.count} leads are`;
        throw conflict(
          `${who} being processed right now, try again in a few seconds.`,
          "leads_busy",
        );
      }
    }
  }
}
