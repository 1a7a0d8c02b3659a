import "server-only";

import type { z } from "zod";
import { customFieldNames, sampleLeads } from "@/db/queries/drafts";
import { roleAtLeast } from "@/db/queries/workspaces";
import type { EditorData, SampleLead } from "@/views/drafts";
import { type DraftGraph, parseDraftGraph } from "@/workflows/graph/index";
import type { Caller } from "../http/guard";
import { blankDraftGraph } from "./draft-graph";
import {
  type campaignDraftInput,
  differsFromLive,
  liveOf,
  requireDraft,
  shorten,
} from "./draft-shared";

/** Shown after the workspace's own leads: one full profile, and one that needs the fallbacks. */
const BUILT_IN_SAMPLES: SampleLead[] = [
  {
    label: "Sample: Ada Lovelace, Head of Research",
    lead: {
      firstName: "Ada",
      lastName: "Lovelace",
      company: "Analytical Engines Ltd",
      title: "Head of Research",
    },
  },
  { label: "Sample: a lead with no name, company or title", lead: {} },
];

export async function loadCampaignDraft(
  caller: Caller,
  input: z.infer<typeof campaignDraftInput>,
): Promise<EditorData> {
  const { db, workspace } = caller;
  const row = await requireDraft(caller, input.campaignId);
  const [live, leads, customFields] = await Promise.all([
    liveOf(caller, row.liveVersionId),
    sampleLeads(db, workspace.workspaceId, row.id, 3),
    customFieldNames(db, workspace.workspaceId),
  ]);
  const parsed = parseDraftGraph(row.draftGraph);
  let graph: DraftGraph;
  let problem: string | null = null;
  if (parsed.ok) {
    graph = parsed.graph;
  } else {
    const fromLive = live === null ? null : parseDraftGraph(live.graph);
    graph = fromLive?.ok ? fromLive.graph : blankDraftGraph();
    problem = `The saved draft could not be read (${shorten(parsed.message)}). ${
      fromLive?.ok
        ? `The editor opened the last published version, v${live?.version}, in its place`
        : "The editor opened an empty campaign in its place"
    }; your next change replaces the unreadable draft.`;
  }
  return {
    campaign: { id: row.id, name: row.name, status: row.status },
    graph,
    draftHash: row.draftHash,
    migratedFrom: parsed.ok ? parsed.migratedFrom : null,
    problem,
    live: live
      ? {
          id: live.id,
          version: live.version,
          publishedAt: new Date(live.publishedAt).toISOString(),
        }
      : null,
    unpublishedChanges: await differsFromLive(row.draftGraph, live?.hash ?? null),
    sampleLeads: [
      ...leads.map((lead) => ({
        label:
          `${lead.firstName} ${lead.lastName}`.trim() ||
          `${lead.publicIdentifier} (no name on file)`,
        lead: {
          firstName: lead.firstName,
          lastName: lead.lastName,
          company: lead.company,
          title: lead.title,
          custom: isStringRecord(lead.custom) ? lead.custom : {},
        },
      })),
      ...BUILT_IN_SAMPLES,
    ],
    customFields,
    canEdit: roleAtLeast(workspace.role, "admin"),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((field) => typeof field === "string")
  );
}
