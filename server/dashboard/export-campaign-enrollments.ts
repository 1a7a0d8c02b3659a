import "server-only";

import Papa from "papaparse";
import type { z } from "zod";
import { findCampaign, findLiveVersion } from "@/db/queries/campaigns";
import { exportPage } from "@/db/queries/dashboard";
import { labelBranch } from "@/workflows/graph/index";
import { findNodeDefinition } from "@/workflows/nodes/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { exitLabel, type GraphShape } from "./dashboard-shared";
import type { dashboardInput } from "./get-campaign-dashboard";

/** Cells a spreadsheet would run as a formula: = + - @, and tab or return in front of them. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** CSV lines (with a trailing line break); formula-like cells get a leading apostrophe. */
export function csvLines(rows: string[][]): string {
  if (rows.length === 0) return "";
  return `${Papa.unparse(rows, { escapeFormulae: FORMULA_START, newline: "\r\n" })}\r\n`;
}

export const EXPORT_COLUMNS = [
  "public_identifier",
  "first_name",
  "last_name",
  "company",
  "title",
  "status",
  "current_step",
  "branch",
  "path",
  "outcome",
  "reason",
  "enrolled_at",
  "updated_at",
] as const;

const EXPORT_STATUS: Record<string, string> = {
  active: "in progress",
  done: "finished",
  failed: "failed",
  removed: "removed",
};

const EXPORT_PAGE = 2_000;

/**
 * The campaign's enrollments as CSV, streamed a page at a time: status, current step, branch
 * (the condition exits taken), path (every step left, with the exit of each condition) and
 * outcome. The page is `application/csv` with a file name, so browsers download it.
 */
export async function exportCampaignEnrollments(
  caller: Caller,
  input: z.infer<typeof dashboardInput>,
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { db, workspace } = caller;
  const w = workspace.workspaceId;
  const row = await findCampaign(db, w, input.campaignId);
  if (!row) throw notFound("Campaign");
  const live = row.liveVersionId ? await findLiveVersion(db, w, row.liveVersionId) : null;
  const graph = (live?.graph ?? row.draftGraph) as GraphShape;
  const summaries = new Map(
    graph.nodes.map((n) => [
      n.id,
      { kind: n.kind, summary: findNodeDefinition(n.kind)?.summarize(n.config) ?? n.id },
    ]),
  );
  const stepText = (nodeId: string, exit: string | null) => {
    const node = summaries.get(nodeId);
    const text = node?.summary ?? nodeId;
    const conditional =
      exit !== null && exit !== "next" && findNodeDefinition(node?.kind)?.exits.length !== 1;
    return conditional ? `${text} (${exitLabel(node?.kind ?? null, exit).toLowerCase()})` : text;
  };
  const encoder = new TextEncoder();
  let after: string | null = null;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvLines([[...EXPORT_COLUMNS]])));
          return;
        }
        const page = await exportPage(db, w, row.id, after, EXPORT_PAGE);
        if (page.length === 0) {
          controller.close();
          return;
        }
        after = page.at(-1)!.enrollmentId;
        const lines = page.map((e) => [
          e.publicIdentifier,
          e.firstName,
          e.lastName,
          e.company,
          e.title,
          EXPORT_STATUS[e.state] ?? e.state,
          summaries.get(e.nodeId)?.summary ?? e.nodeId,
          labelBranch(graph as Parameters<typeof labelBranch>[0], e.branch),
          e.steps
            .filter((s) => s.exit !== null)
            .map((s) => stepText(s.nodeId, s.exit))
            .concat(e.state === "active" ? [] : [summaries.get(e.nodeId)?.summary ?? e.nodeId])
            .join(" › "),
          e.outcome ?? "",
          e.reason ?? "",
          e.enrolledAt,
          e.updatedAt,
        ]);
        controller.enqueue(encoder.encode(csvLines(lines)));
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const slug = row.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return { filename: `${slug || "campaign"}-enrollments.csv`, body };
}
