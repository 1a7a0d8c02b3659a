import "server-only";

import type { z } from "zod";
import { enrollmentsOfLead, findLead, isBlocklisted } from "@/db/queries/leads";
import { waitingReasonsOf } from "@/db/queries/waiting";
import type { LeadDetail } from "@/views/leads";
import { labelBranch } from "@/workflows/graph/branches";
import type { AnyGraph } from "@/workflows/graph/schema";
import { profileUrl } from "@/workflows/leads/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { displayName, type leadIdInput, stepSummary } from "./lead-shared";

export async function describeLead(
  caller: Caller,
  input: z.infer<typeof leadIdInput>,
): Promise<LeadDetail> {
  const { db, workspace } = caller;
  const row = await findLead(db, workspace.workspaceId, input.leadId);
  if (!row) throw notFound("Lead");
  const [blocked, enrollments] = await Promise.all([
    isBlocklisted(db, workspace.workspaceId, row.publicIdentifier),
    enrollmentsOfLead(db, workspace.workspaceId, row.id),
  ]);
  const waiting = await waitingReasonsOf(
    db,
    workspace.workspaceId,
    enrollments.filter((e) => e.state === "active"),
    engineNow(),
  );
  return {
    lead: {
      id: row.id,
      publicIdentifier: row.publicIdentifier,
      providerId: row.providerId,
      name: displayName(row),
      firstName: row.firstName,
      lastName: row.lastName,
      company: row.company,
      title: row.title,
      custom: (row.custom ?? {}) as Record<string, string>,
      profile: row.profile as {
        networkDistance?: number | null;
        isPremium?: boolean;
        isOpenProfile?: boolean;
        canSendInmail?: boolean;
      } | null,
      profileUrl: profileUrl(row.publicIdentifier),
      createdAt: row.createdAt,
    },
    blocklisted: blocked ? { reason: blocked.reason, since: blocked.at } : null,
    enrollments: enrollments.map((e) => ({
      id: e.id,
      campaign: { id: e.campaignId, name: e.campaignName, status: e.campaignStatus },
      accountName: e.accountName,
      version: e.version,
      state: e.state,
      step: stepSummary(e.graph, e.nodeId),
      branch: labelBranch(e.graph as AnyGraph, e.branch),
      outcome: e.outcome,
      reason: e.reason,
      nextRunAt: e.state === "active" ? e.nextRunAt : null,
      /** Why an active enrollment waits, in words, and until when. */
      waiting: waiting.get(e.id) ?? null,
      enrolledAt: e.enrolledAt,
      updatedAt: e.updatedAt,
    })),
  };
}
