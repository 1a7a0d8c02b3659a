import "server-only";

import { z } from "zod";
import { findCampaign } from "@/db/queries/campaigns";
import { enrollLeads, upsertLeads } from "@/db/queries/launch";
import type { AddLeadsResult } from "@/views/campaigns";
import { profileReferenceSchema } from "@/workflows/leads/profile-url";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { id } from "./campaign-shared";

/**
 * A lead's LinkedIn identity as given by hand: a profile address or its public identifier, read
 * by the same parser as imports and the blocklist into one canonical public identifier.
 */
export const publicIdentifierSchema = profileReferenceSchema;

const leadText = (max: number) => z.string().trim().max(max).optional();

export const leadInput = z.object({
  publicIdentifier: publicIdentifierSchema,
  firstName: leadText(100),
  lastName: leadText(100),
  company: leadText(200),
  title: leadText(200),
  custom: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "Custom field names: letters, digits and _"),
      z.string().max(2000),
    )
    .refine((fields) => Object.keys(fields).length <= 50, "At most 50 custom fields per lead.")
    .optional(),
});

export const addLeadsInput = z.object({
  campaignId: id,
  leads: z
    .array(leadInput)
    .min(1, "Give at least one lead.")
    .max(5000, "Add at most 5,000 leads at a time."),
  /** Enroll leads even while another campaign of the workspace is contacting them. */
  allowInOtherCampaigns: z.boolean().default(false),
});

export async function addLeadsToCampaign(
  caller: Caller,
  input: z.infer<typeof addLeadsInput>,
): Promise<AddLeadsResult> {
  const { db, workspace } = caller;
  const row = await findCampaign(db, workspace.workspaceId, input.campaignId);
  if (!row) throw notFound("Campaign");
  if (row.status === "finished")
    throw conflict("This campaign has finished: it takes no new leads.");
  if (row.status === "archived")
    throw conflict("This campaign is archived: it takes no new leads.");
  if (!row.liveVersionId) throw conflict("Publish the campaign's workflow before adding leads.");
  // One entry per identity, the first given: a list pasted twice enrolls each person once.
  const distinct = new Map<string, (typeof input.leads)[number]>();
  for (const given of input.leads) {
    if (!distinct.has(given.publicIdentifier)) distinct.set(given.publicIdentifier, given);
  }
  const leadIds = await upsertLeads(db, workspace.workspaceId, [...distinct.values()]);
  const result = await enrollLeads(db, workspace.workspaceId, row.id, leadIds, {
    now: new Date(),
    allowInOtherCampaigns: input.allowInOtherCampaigns,
  });
  return {
    received: distinct.size,
    enrolled: result.enrolled,
    skipped: {
      alreadyInCampaign: result.skippedAlreadyEnrolled,
      inOtherCampaign: result.skippedInOtherCampaign,
      blocklisted: result.skippedBlocked,
    },
  };
}
