import "server-only";

import Papa from "papaparse";
import { leadsByIds } from "@/db/queries/leads";
import { profileUrl } from "@/workflows/leads/index";
import type { Caller } from "../http/guard";
import { type LeadSelection, selectedLeadIds } from "./lead-selection";

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
