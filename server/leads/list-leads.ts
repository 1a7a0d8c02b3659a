import "server-only";

import { z } from "zod";
import { campaignExists } from "@/db/queries/campaigns";
import {
  LEAD_STATUSES,
  type LeadFilter,
  type LeadListPosition,
  listLeadRows,
} from "@/db/queries/leads";
import { activeEnrollmentsOf, waitingReasonsOf } from "@/db/queries/waiting";
import type { LeadListItem } from "@/views/leads";
import { WAITING_REASON_CODES } from "@/workflows/engine/waiting-reason";
import { CUSTOM_KEY } from "@/workflows/leads/index";
import { REPLY_CATEGORIES } from "@/workflows/replies/index";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { displayName, id, optional } from "./lead-shared";

export const LEADS_PAGE_SIZE = 50;

export const listLeadsInput = z.object({
  search: optional(z.string().trim().max(100)),
  campaignId: optional(id),
  status: optional(z.enum(LEAD_STATUSES)),
  /** With a campaign: its leads now at this step. */
  stepId: optional(id),
  /** An imported column, and a part of its value (empty: every lead that has the column). */
  field: optional(z.string().regex(CUSTOM_KEY).max(40)),
  value: optional(z.string().trim().max(100)),
  /** Leads whose newest reply has this category. */
  replyCategory: optional(z.enum(REPLY_CATEGORIES)),
  /** With a campaign: its leads in progress that wait for this reason (at the step, if given). */
  waiting: optional(z.enum(WAITING_REASON_CODES)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(LEADS_PAGE_SIZE),
});

/** At most this many of a campaign's leads in progress are read to filter by why they wait. */
export const WAITING_FILTER_LIMIT = 10_000;

/**
 * The leads list's filters as the database reads them: the same for the list and for "every
 * lead the filters match" in bulk actions. Why a lead waits is worked out (not stored), so that
 * filter reads the campaign's leads in progress, soonest due first, up to WAITING_FILTER_LIMIT.
 */
export async function leadFilterOf(
  caller: Caller,
  input: Omit<z.infer<typeof listLeadsInput>, "page" | "pageSize">,
): Promise<{ filter: LeadFilter; waitingCapped: boolean }> {
  const { db, workspace } = caller;
  if (input.campaignId && !(await campaignExists(db, workspace.workspaceId, input.campaignId))) {
    throw notFound("Campaign");
  }
  const stepId = input.campaignId ? input.stepId : undefined;
  let leadIds: string[] | undefined;
  let waitingCapped = false;
  if (input.campaignId && input.waiting) {
    const active = await activeEnrollmentsOf(
      db,
      workspace.workspaceId,
      input.campaignId,
      stepId,
      WAITING_FILTER_LIMIT + 1,
    );
    waitingCapped = active.length > WAITING_FILTER_LIMIT;
    if (waitingCapped) active.length = WAITING_FILTER_LIMIT;
    const reasons = await waitingReasonsOf(db, workspace.workspaceId, active, engineNow());
    leadIds = active.filter((e) => reasons.get(e.id)?.code === input.waiting).map((e) => e.leadId);
  }
  return {
    filter: {
      search: input.search || undefined,
      campaignId: input.campaignId,
      status: input.status,
      stepId,
      field: input.field,
      value: input.field ? input.value || undefined : undefined,
      replyCategory: input.replyCategory,
      leadIds,
    },
    waitingCapped,
  };
}

export async function listLeads(
  caller: Caller,
  input: z.infer<typeof listLeadsInput>,
  /** Keyset paging (the API): the rows after this place in the list, whatever `page` says. */
  after?: LeadListPosition,
) {
  const { db, workspace } = caller;
  const { filter, waitingCapped } = await leadFilterOf(caller, input);
  // Why each lead in progress waits, in every campaign it is in (a step clicked on the live
  // graph lists its leads with their reasons): read by the page's own statement.
  const { rows, total, totalCapped, waiting } = await listLeadRows(db, workspace.workspaceId, {
    ...filter,
    // One row more than the page: whether another page follows.
    limit: input.pageSize + 1,
    offset: (input.page - 1) * input.pageSize,
    after,
    waitingAt: engineNow(),
  });
  const more = rows.length > input.pageSize;
  if (more) rows.length = input.pageSize;
  const leads: LeadListItem[] = rows.map(({ position: _position, campaigns, ...row }) => ({
    ...row,
    name: displayName(row),
    campaigns: campaigns.map(({ enrollment, ...ref }) => ({
      ...ref,
      waiting: waiting.get(enrollment.id)?.text ?? null,
    })),
  }));
  return {
    leads,
    total,
    /** More than `total` match: the count stopped at LEAD_COUNT_CAP. */
    totalCapped,
    /** The waiting filter read only the first WAITING_FILTER_LIMIT leads in progress. */
    waitingCapped,
    page: input.page,
    pageSize: input.pageSize,
    /** Where the page ends, when another page follows. */
    next: more ? (rows.at(-1)?.position ?? null) : null,
  };
}
