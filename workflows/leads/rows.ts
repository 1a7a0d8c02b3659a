/**
 * Rows of an export → leads: each row read through the column mapping, checked (with every
 * reason it cannot be taken), and rows naming the same profile merged into one lead.
 */
import type { CsvTable } from "./csv";
import type { ColumnMapping } from "./mapping";
import { parseProfileReference } from "./profile-url";

/** The longest values a lead's fields take (the same limits as the campaign API). */
export const LEAD_FIELD_LIMITS = {
  firstName: 100,
  lastName: 100,
  company: 200,
  title: 200,
  custom: 2000,
} as const;

const FIELD_LABELS = {
  firstName: "First name",
  lastName: "Last name",
  company: "Company",
  title: "Title",
} as const;

export type LeadTextField = keyof typeof FIELD_LABELS;
const TEXT_FIELDS = Object.keys(FIELD_LABELS) as LeadTextField[];

export interface ImportLead {
  publicIdentifier: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  custom: Record<string, string>;
}

/** A lead read from the file, with the rows (numbered as in the file) it came from. */
export interface ReadLead extends ImportLead {
  rows: number[];
}

export interface RejectedRow {
  row: number;
  /** What the profile column held, as written. */
  profile: string;
  reasons: string[];
}

export interface MergedRow {
  row: number;
  /** The row whose lead this one was merged into. */
  into: number;
  publicIdentifier: string;
  /** Fields where the rows disagree: the first row's value is kept. */
  differing: string[];
}

export interface LeadRows {
  leads: ReadLead[];
  rejected: RejectedRow[];
  merged: MergedRow[];
  /** Data rows read (blank lines aside). */
  rowCount: number;
}

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Trims and drops invisible characters; names and titles also lose line breaks and runs of spaces. */
function clean(value: string | undefined, singleLine: boolean): string {
  const text = (value ?? "").replace(INVISIBLE, "");
  return singleLine ? text.replace(/\s+/g, " ").trim() : text.trim();
}

/** "Jean-François de la Tour" → first "Jean-François", last "de la Tour". */
export function splitFullName(fullName: string): { firstName: string; lastName: string } {
  const space = fullName.indexOf(" ");
  if (space === -1) return { firstName: fullName, lastName: "" };
  return { firstName: fullName.slice(0, space), lastName: fullName.slice(space + 1).trim() };
}

function tooLong(label: string, value: string, max: number): string | null {
  const length = [...value].length;
  return length > max ? `${label} has ${length} characters (at most ${max}).` : null;
}

/** Reads one row through the mapping: the lead, or every reason it cannot be one. */
export function readLeadRow(
  cells: string[],
  mapping: ColumnMapping[],
  headerLength: number,
): { ok: true; lead: ImportLead } | { ok: false; profile: string; reasons: string[] } {
  const reasons: string[] = [];
  const extra = cells.slice(headerLength).filter((cell) => cell.trim().length > 0);
  if (extra.length > 0) {
    reasons.push(
      `Has ${cells.length} values where the header has ${headerLength} columns: a comma or semicolon inside a value without quotes?`,
    );
  }
  let profile = "";
  let fullName = "";
  const lead: ImportLead = {
    publicIdentifier: "",
    firstName: "",
    lastName: "",
    company: "",
    title: "",
    custom: {},
  };
  mapping.forEach((column, index) => {
    const cell = cells[index];
    switch (column.target) {
      case "profile":
        profile = clean(cell, true);
        break;
      case "fullName":
        fullName = clean(cell, true);
        break;
      case "firstName":
      case "lastName":
      case "company":
      case "title":
        lead[column.target] = clean(cell, true);
        break;
      case "custom": {
        const value = clean(cell, false);
        if (value) lead.custom[column.customKey] = value;
        break;
      }
      case "ignore":
        break;
    }
  });
  if (fullName && !lead.firstName && !lead.lastName) {
    Object.assign(lead, splitFullName(fullName));
  }
  const identity = parseProfileReference(profile);
  if (identity.ok) lead.publicIdentifier = identity.publicIdentifier;
  else reasons.push(identity.reason);
  for (const field of TEXT_FIELDS) {
    const problem = tooLong(FIELD_LABELS[field], lead[field], LEAD_FIELD_LIMITS[field]);
    if (problem) reasons.push(problem);
  }
  for (const [key, value] of Object.entries(lead.custom)) {
    const problem = tooLong(`Custom field "${key}"`, value, LEAD_FIELD_LIMITS.custom);
    if (problem) reasons.push(problem);
  }
  return reasons.length > 0 ? { ok: false, profile, reasons } : { ok: true, lead };
}

/**
 * Folds `next` into `kept` (two rows for one profile): blanks of the first are filled from the
 * second, and the first's values win where both have one. Returns the fields that disagreed.
 */
export function mergeLead(kept: ImportLead, next: ImportLead): string[] {
  const differing: string[] = [];
  for (const field of TEXT_FIELDS) {
    if (!kept[field]) kept[field] = next[field];
    else if (next[field] && next[field] !== kept[field]) differing.push(FIELD_LABELS[field]);
  }
  for (const [key, value] of Object.entries(next.custom)) {
    const current = kept.custom[key];
    if (!current) kept.custom[key] = value;
    else if (current !== value) differing.push(`Custom field "${key}"`);
  }
  return differing;
}

/** One lead per public identifier, in the order first seen, duplicates merged. */
export function mergeLeads<L extends ImportLead>(leads: L[]): L[] {
  const byIdentifier = new Map<string, L>();
  for (const lead of leads) {
    const kept = byIdentifier.get(lead.publicIdentifier);
    if (kept) mergeLead(kept, lead);
    else byIdentifier.set(lead.publicIdentifier, { ...lead, custom: { ...lead.custom } });
  }
  return [...byIdentifier.values()];
}

/** Reads every data row of a parsed file through the mapping. */
export function readLeadRows(table: CsvTable, mapping: ColumnMapping[]): LeadRows {
  const problemsByRow = new Map<number, string[]>();
  for (const problem of table.problems) {
    problemsByRow.set(problem.row, [...(problemsByRow.get(problem.row) ?? []), problem.message]);
  }
  const byIdentifier = new Map<string, ReadLead>();
  const rejected: RejectedRow[] = [];
  const merged: MergedRow[] = [];
  for (const { number, cells } of table.rows) {
    const read = readLeadRow(cells, mapping, table.header.length);
    const fileProblems = problemsByRow.get(number) ?? [];
    if (!read.ok || fileProblems.length > 0) {
      rejected.push({
        row: number,
        profile: read.ok
          ? (cells[mapping.findIndex((m) => m.target === "profile")] ?? "")
          : read.profile,
        reasons: [...fileProblems, ...(read.ok ? [] : read.reasons)],
      });
      continue;
    }
    const kept = byIdentifier.get(read.lead.publicIdentifier);
    if (kept) {
      merged.push({
        row: number,
        into: kept.rows[0]!,
        publicIdentifier: kept.publicIdentifier,
        differing: mergeLead(kept, read.lead),
      });
      kept.rows.push(number);
    } else {
      byIdentifier.set(read.lead.publicIdentifier, { ...read.lead, rows: [number] });
    }
  }
  return { leads: [...byIdentifier.values()], rejected, merged, rowCount: table.rows.length };
}
