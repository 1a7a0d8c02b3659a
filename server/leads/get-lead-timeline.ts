import "server-only";

import type { z } from "zod";
import { enrollmentsOfLead, findLead, timelineRowsOfLead } from "@/db/queries/leads";
import { buildLeadTimeline } from "@/workflows/leads/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import type { leadIdInput } from "./lead-shared";

export async function leadTimeline(caller: Caller, input: z.infer<typeof leadIdInput>) {
  const { db, workspace } = caller;
  const row = await findLead(db, workspace.workspaceId, input.leadId);
  if (!row) throw notFound("Lead");
  const [enrollments, rows] = await Promise.all([
    enrollmentsOfLead(db, workspace.workspaceId, row.id),
    timelineRowsOfLead(db, workspace.workspaceId, row.id),
  ]);
  const items = buildLeadTimeline({
    enrollments: enrollments.map((e) => ({
      id: e.id,
      campaignId: e.campaignId,
      campaignName: e.campaignName,
      accountName: e.accountName,
      version: e.version,
      graph: e.graph,
      enrolledAt: e.enrolledAt,
    })),
    ...rows,
  });
  return { leadId: row.id, items };
}
