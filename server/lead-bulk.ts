import "server-only";

import Papa from "papaparse";
import { z } from "zod";
import { findCampaign } from "@/db/queries/campaigns";
import { enrollLeads } from "@/db/queries/launch";
import {
  addToBlocklist,
  leadIdsMatching,
  leadsByIds,
  removeLeadsFromCampaign,
} from "@/db/queries/leads";
import { profileUrl } from "@/workflows/leads/index";
import { conflict, notFound } from "./http/errors";
import type { Caller } from "./http/guard";
import { leadFilterOf, listLeadsInput } from "./leads";

// What the leads list does to many leads at once: the ones ticked on the page, or every lead
// its filters match. Ids are looked up inside the caller's workspace, so another workspace's
// leads and campaigns are never touched.

/** A bulk operation takes at most this many leads: an import's worth. */
export const MAX_SELECTED_LEADS = 20_000;

const id = z.string().min(1).max(100);

export const leadSelectionInput = z
  .object({
    /** The leads ticked on the page. */
    leadIds: z.array(id).min(1).max(MAX_SELECTED_LEADS).optional(),
    /** Or every lead the list's filters match. */
    filter: listLeadsInput.omit({ page: true, pageSize: true }).optional(),
  })
  .refine((selection) => (selection.leadIds ? !selection.filter : !!selection.filter), {
    message: "Choose the leads: tick them, or select every lead the filters match.",
  });
export type LeadSelection = z.infer<typeof leadSelectionInput>;

async function selectedLeadIds(caller: Caller, selection: LeadSelection): Promise<string[]> {
  const { db, workspace } = caller;
  if (selection.leadIds) {
    const rows = await leadsByIds(db, workspace.workspaceId, [...new Set(selection.leadIds)]);
    return rows.map((row) => row.id);
  }
  const { filter } = await leadFilterOf(caller, selection.filter ?? {});
  return leadIdsMatching(db, workspace.workspaceId, filter, MAX_SELECTED_LEADS);
}

/** The campaign, when it can take new leads; a clear refusal otherwise. */
async function campaignTakingLeads(caller: Caller, campaignId: string) {
  const row = await findCampaign(caller.db, caller.workspace.workspaceId, campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "finished")
    throw conflict("This campaign has finished: it takes no new leads.");
  if (row.status === "archived")
    throw conflict("This campaign is archived: it takes no new leads.");
  if (!row.liveVersionId) throw conflict("Publish the campaign's workflow before adding leads.");
  return row;
}

export const addSelectedToCampaignInput = z.object({
  selection: leadSelectionInput,
  campaignId: id,
  /** Enroll leads even while another campaign of the workspace is contacting them. */
  allowInOtherCampaigns: z.boolean().default(false),
});

export async function addSelectedToCampaign(
  caller: Caller,
  input: z.infer<typeof addSelectedToCampaignInput>,
) {
  const target = await campaignTakingLeads(caller, input.campaignId);
  const leadIds = await selectedLeadIds(caller, input.selection);
  const result = await enrollLeads(caller.db, caller.workspace.workspaceId, target.id, leadIds, {
    now: new Date(),
    allowInOtherCampaigns: input.allowInOtherCampaigns,
  });
  return {
    campaignName: target.name,
    selected: leadIds.length,
    enrolled: result.enrolled,
    skipped: {
      alreadyInCampaign: result.skippedAlreadyEnrolled,
      inOtherCampaign: result.skippedInOtherCampaign,
      blocklisted: result.skippedBlocked,
    },
  };
}

export const removeSelectedFromCampaignInput = z.object({
  selection: leadSelectionInput,
  campaignId: id,
});

/** Takes the selected leads out of one campaign; those it had already finished stay as they are. */
export async function removeSelectedFromCampaign(
  caller: Caller,
  input: z.infer<typeof removeSelectedFromCampaignInput>,
) {
  const row = await findCampaign(caller.db, caller.workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  const leadIds = await selectedLeadIds(caller, input.selection);
  const removed = await removeLeadsFromCampaign(
    caller.db,
    caller.workspace.workspaceId,
    row.id,
    leadIds,
    { at: new Date(), note: `Removed from the campaign by ${caller.user.name}` },
  );
  return { campaignName: row.name, selected: leadIds.length, removed };
}

export const blocklistSelectedInput = z.object({
  selection: leadSelectionInput,
  reason: z.string().trim().max(200).optional(),
});

/** Blocklists the selected leads: never enrolled again, and campaigns contacting them stop. */
export async function blocklistSelected(
  caller: Caller,
  input: z.infer<typeof blocklistSelectedInput>,
) {
  const { db, workspace } = caller;
  const leadIds = await selectedLeadIds(caller, input.selection);
  const leads = await leadsByIds(db, workspace.workspaceId, leadIds);
  const result = await addToBlocklist(
    db,
    workspace.workspaceId,
    leads.map((row) => ({ publicIdentifier: row.publicIdentifier, reason: input.reason || null })),
    { at: new Date(), note: `Blocklisted by ${caller.user.name}` },
  );
  return {
    selected: leads.length,
    added: result.added,
    alreadyListed: leads.length - result.added,
    stoppedEnrollments: result.stoppedEnrollments,
  };
}

/** Starts a cell that a spreadsheet would run as a formula with a quote, so it stays text. */
const FORMULA = /^[=+\-@\t\r]/;
const cell = (value: string) => (FORMULA.test(value) ? `'${value}` : value);

/**
 * The selected leads as CSV, in the columns an import reads back (the imported columns after
 * the standard ones), so an export can be edited and imported again.
 */
export async function exportSelectedLeads(caller: Caller, selection: LeadSelection) {
  const { db, workspace } = caller;
  const leadIds = await selectedLeadIds(caller, selection);
  const leads = await leadsByIds(db, workspace.workspaceId, leadIds);
  const customColumns = [
    ...new Set(leads.flatMap((row) => Object.keys((row.custom ?? {}) as object))),
  ].sort();
  const fields = [
    "First Name",
    "Last Name",
    "Company",
    "Title",
    "LinkedIn URL",
    "Public identifier",
    ...customColumns,
  ];
  const data = leads.map((row) => {
    const custom = (row.custom ?? {}) as Record<string, string>;
    return [
      row.firstName,
      row.lastName,
      row.company,
      row.title,
      profileUrl(row.publicIdentifier),
      row.publicIdentifier,
      ...customColumns.map((column) => custom[column] ?? ""),
    ].map((value) => cell(String(value ?? "")));
  });
  return { count: leads.length, csv: `${Papa.unparse({ fields, data })}\r\n` };
}
