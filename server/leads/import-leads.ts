import "server-only";

import { z } from "zod";
import { findCampaign } from "@/db/queries/campaigns";
import { enrollLeads } from "@/db/queries/launch";
import { importLeadRows } from "@/db/queries/leads";
import { notifyWorkspace } from "@/db/queries/notifications";
import type { ImportLeadsResult } from "@/views/leads";
import {
  CUSTOM_KEY,
  LEAD_FIELD_LIMITS,
  MAX_CUSTOM_FIELDS,
  mergeLeads,
  profileReferenceSchema,
} from "@/workflows/leads/index";
import { conflict, HttpError, invalidInput, notFound } from "../http/errors";
import { type Caller, parseInput } from "../http/guard";
import { checkInputShape, Yielder } from "../http/request-body";
import { id } from "./lead-shared";

/** One import holds this many rows at most: 10,000-row exports are common, this leaves room. */
export const MAX_IMPORT_LEADS = 20_000;

const leadText = (max: number) => z.string().trim().max(max).default("");

export const importedLeadInput = z.object({
  /** A profile address or a public identifier; stored as the canonical public identifier. */
  publicIdentifier: profileReferenceSchema,
  firstName: leadText(LEAD_FIELD_LIMITS.firstName),
  lastName: leadText(LEAD_FIELD_LIMITS.lastName),
  company: leadText(LEAD_FIELD_LIMITS.company),
  title: leadText(LEAD_FIELD_LIMITS.title),
  custom: z
    .record(
      z.string().regex(CUSTOM_KEY, "Custom field names: a letter, then letters, digits and _"),
      z.string().max(LEAD_FIELD_LIMITS.custom),
    )
    .refine(
      (fields) => Object.keys(fields).length <= MAX_CUSTOM_FIELDS,
      `At most ${MAX_CUSTOM_FIELDS} custom fields per lead.`,
    )
    .default({}),
});

export const importLeadsInput = z.object({
  leads: z
    .array(importedLeadInput)
    .min(1, "The file holds no lead to import.")
    .max(
      MAX_IMPORT_LEADS,
      `Import at most ${MAX_IMPORT_LEADS.toLocaleString("en-US")} leads at a time.`,
    ),
  /** Enroll the imported leads in this campaign, in the same transaction. */
  campaignId: id.optional(),
  /** Enroll leads even while another campaign of the workspace is contacting them. */
  allowInOtherCampaigns: z.boolean().default(false),
  /** Drawn by the browser, so its "Cancel import" can name this import (import-registry.ts). */
  importId: z.uuid().optional(),
});

/** Rows checked between two turns given to other requests. */
const IMPORT_SLICE_ROWS = 250;

const importedLeadsSlice = z.array(importedLeadInput);

const importEnvelope = importLeadsInput.extend({
  leads: z
    .array(z.unknown())
    .min(1, "The file holds no lead to import.")
    .max(
      MAX_IMPORT_LEADS,
      `Import at most ${MAX_IMPORT_LEADS.toLocaleString("en-US")} leads at a time.`,
    ),
});

/**
 * importLeadsInput's parse for a whole import, a slice of rows at a time with turns for other
 * requests in between, so a 20,000-row import never holds the server. Same checks and errors
 * (paths `leads.<row>.<field>`), NUL refused in every field.
 */
export async function parseImportLeadsInput(
  raw: unknown,
): Promise<z.infer<typeof importLeadsInput>> {
  const rows = (raw as { leads?: unknown } | null)?.leads;
  // The envelope, with the rows only counted here: they are checked below, slice by slice.
  const envelope = parseInput(importEnvelope, {
    ...(typeof raw === "object" && raw !== null ? raw : {}),
    leads: Array.isArray(rows) ? rows.map(() => null) : rows,
  });
  const leads: z.infer<typeof importedLeadInput>[] = [];
  const yielder = new Yielder();
  for (let offset = 0; offset < (rows as unknown[]).length; offset += IMPORT_SLICE_ROWS) {
    const slice = (rows as unknown[]).slice(offset, offset + IMPORT_SLICE_ROWS);
    slice.forEach((row, index) => {
      checkInputShape(row, ["leads", offset + index]);
    });
    const parsed = importedLeadsSlice.safeParse(slice);
    if (!parsed.success) {
      throw invalidInput(
        new z.ZodError(
          parsed.error.issues.map((issue) => {
            const [index, ...rest] = issue.path;
            return { ...issue, path: ["leads", offset + Number(index), ...rest] };
          }),
        ),
      );
    }
    leads.push(...parsed.data);
    await yielder.maybe();
  }
  return { ...envelope, leads };
}

const importCancelled = () =>
  new HttpError(499, "cancelled", "The import was cancelled: nothing was saved.");

/**
 * Imports leads all or nothing: every row is checked before anything is written, then the
 * leads and their enrollments are written in one transaction, which a failure — or the caller
 * going away before the end (`signal`) — rolls back whole.
 */
export async function importLeads(
  caller: Caller,
  input: z.infer<typeof importLeadsInput>,
  options: { signal?: AbortSignal } = {},
): Promise<ImportLeadsResult> {
  const { db, workspace } = caller;
  // A client gone while its upload was read and checked: no transaction to start.
  if (options.signal?.aborted) throw importCancelled();
  const target = input.campaignId
    ? await findCampaign(db, workspace.workspaceId, input.campaignId)
    : null;
  if (input.campaignId) {
    if (!target) throw notFound("Campaign");
    if (target.status === "finished") {
      throw conflict("This campaign has finished: it takes no new leads.");
    }
    if (target.status === "archived") {
      throw conflict("This campaign is archived: it takes no new leads.");
    }
    if (!target.liveVersionId) {
      throw conflict("Publish the campaign's workflow before adding leads.");
    }
  }
  const leads = mergeLeads(input.leads);
  const now = new Date();
  const signal = options.signal;
  // Between two batches: a turn of the event loop, so a cancel (its own request, or the
  // upload's connection closing) is seen while the transaction can still roll back.
  const checkpoint = async () => {
    if (!signal) return;
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) {
      throw importCancelled();
    }
  };
  return db.transaction(async (tx) => {
    const imported = await importLeadRows(tx, workspace.workspaceId, leads, checkpoint);
    let enrollment: ImportLeadsResult["enrollment"] = null;
    if (target) {
      const result = await enrollLeads(tx, workspace.workspaceId, target.id, imported.ids, {
        now,
        allowInOtherCampaigns: input.allowInOtherCampaigns,
      });
      enrollment = {
        campaignId: target.id,
        campaignName: target.name,
        enrolled: result.enrolled,
        skipped: {
          alreadyInCampaign: result.skippedAlreadyEnrolled,
          inOtherCampaign: result.skippedInOtherCampaign,
          blocklisted: result.skippedBlocked,
        },
      };
    }
    // Thrown inside the transaction, so it rolls back: a cancelled import leaves nothing.
    await checkpoint();
    await notifyWorkspace(tx, {
      workspaceId: workspace.workspaceId,
      kind: "import_finished",
      title: `${caller.user.name}'s import finished: ${leads.length} lead${leads.length === 1 ? "" : "s"}`,
      body: `${imported.created} new, ${leads.length - imported.created} updated${
        enrollment ? `; ${enrollment.enrolled} added to "${enrollment.campaignName}"` : ""
      }.`,
      link: enrollment ? `/campaigns/${enrollment.campaignId}` : "/leads",
      at: now,
    });
    return {
      received: input.leads.length,
      leads: leads.length,
      created: imported.created,
      updated: leads.length - imported.created,
      enrollment,
    };
  });
}
