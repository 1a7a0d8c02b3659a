/**
 * Which column of an export holds what: guessed from the headers (in the words lead tools and
 * Sales Navigator exports use, in English and French) and, for the profile address, from the
 * values themselves. The person importing confirms or corrects every guess.
 */
import { parseProfileReference } from "./profile-url";

export const COLUMN_TARGETS = [
  "profile",
  "firstName",
  "lastName",
  "fullName",
  "company",
  "title",
  "custom",
  "ignore",
] as const;
export type ColumnTarget = (typeof COLUMN_TARGETS)[number];

/** Targets that one column at most may take. */
export const SINGLE_TARGETS: readonly ColumnTarget[] = [
  "profile",
  "firstName",
  "lastName",
  "fullName",
  "company",
  "title",
];

export const TARGET_LABELS: Record<ColumnTarget, string> = {
  profile: "LinkedIn profile (address or public identifier)",
  firstName: "First name",
  lastName: "Last name",
  fullName: "Full name (split into first and last)",
  company: "Company",
  title: "Title",
  custom: "Custom field",
  ignore: "Do not import",
};

export interface ColumnMapping {
  target: ColumnTarget;
  /** The template name of the field when the target is "custom": {{custom.<key>}}. */
  customKey: string;
}

/** Lead fields take at most this many custom fields (as the campaign API does). */
export const MAX_CUSTOM_FIELDS = 50;
export const CUSTOM_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** "LinkedIn URL" → "linkedin url"; "profileUrl" → "profile url"; "Prénom" → "prenom". */
export function normalizeHeader(header: string): string {
  return header
    .replace(/linked\s*in/gi, "linkedin")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const SYNONYMS: Array<[Exclude<ColumnTarget, "custom" | "ignore">, string[]]> = [
  [
    "profile",
    [
      "linkedin url",
      "linkedin profile",
      "linkedin profile url",
      "linkedin link",
      "linkedin",
      "person linkedin url",
      "profile url",
      "profile link",
      "public profile url",
      "public identifier",
      "public id",
      "li url",
      "url linkedin",
      "profil linkedin",
      "lien linkedin",
    ],
  ],
  ["firstName", ["first name", "firstname", "given name", "first", "prenom"]],
  [
    "lastName",
    ["last name", "lastname", "surname", "family name", "last", "nom de famille", "nom"],
  ],
  ["fullName", ["full name", "fullname", "name", "contact name", "lead name", "person name"]],
  [
    "company",
    [
      "company",
      "company name",
      "current company",
      "organization",
      "organisation",
      "organization name",
      "account name",
      "account",
      "employer",
      "societe",
      "entreprise",
    ],
  ],
  [
    "title",
    [
      "title",
      "job title",
      "current title",
      "position",
      "current position",
      "role",
      "headline",
      "poste",
      "fonction",
    ],
  ],
];

/** A template-safe name for a custom field: "Company size" → "companySize". */
export function customKeyFor(header: string, index: number): string {
  const words = normalizeHeader(header).split(" ").filter(Boolean);
  let key = words
    .map((word, i) => (i === 0 ? word : `${word[0]!.toUpperCase()}${word.slice(1)}`))
    .join("");
  if (!/^[a-z]/i.test(key)) key = key ? `field${key}` : `column${index + 1}`;
  return key.slice(0, 40);
}

function looksLikeProfileColumn(values: string[]): boolean {
  const filled = values.filter((value) => value.trim().length > 0).slice(0, 50);
  if (filled.length === 0) return false;
  const profiles = filled.filter(
    (value) => /linkedin\.com\//i.test(value) && parseProfileReference(value).ok,
  ).length;
  return profiles / filled.length >= 0.5;
}

/**
 * Guesses each column's target from its header, then, when no header names the profile, looks
 * for a column whose values are mostly profile addresses. Every other column becomes a custom
 * field (up to the limit), so nothing in the export is lost unless the user says so.
 */
export function guessMapping(header: string[], sampleRows: string[][] = []): ColumnMapping[] {
  const normalized = header.map(normalizeHeader);
  const taken = new Set<ColumnTarget>();
  const targets: Array<ColumnTarget | null> = header.map(() => null);
  // Company addresses ("Company LinkedIn URL") must not pass for the person's profile.
  const companyAddress = normalized.map(
    (h) => /\b(company|organi[sz]ation|account)\b/.test(h) && /\b(url|linkedin|link)\b/.test(h),
  );
  for (const [target, synonyms] of SYNONYMS) {
    for (const synonym of synonyms) {
      if (taken.has(target)) break;
      const index = normalized.findIndex(
        (h, i) => targets[i] === null && !companyAddress[i] && h === synonym,
      );
      if (index !== -1) {
        targets[index] = target;
        taken.add(target);
      }
    }
  }
  if (!taken.has("profile")) {
    const index = header.findIndex(
      (_, i) =>
        targets[i] === null &&
        !companyAddress[i] &&
        looksLikeProfileColumn(sampleRows.map((row) => row[i] ?? "")),
    );
    if (index !== -1) targets[index] = "profile";
  }
  // A full name alongside first and last names would only repeat them.
  const fullName = targets.indexOf("fullName");
  if (fullName !== -1 && taken.has("firstName") && taken.has("lastName")) {
    targets[fullName] = null;
  }

  const usedKeys = new Set<string>();
  let customCount = 0;
  return header.map((column, index) => {
    let key = customKeyFor(column, index);
    for (let n = 2; usedKeys.has(key); n++) key = `${customKeyFor(column, index).slice(0, 37)}${n}`;
    usedKeys.add(key);
    const guessed = targets[index];
    if (guessed) return { target: guessed, customKey: key };
    if (normalized[index] === "" || customCount >= MAX_CUSTOM_FIELDS) {
      return { target: "ignore", customKey: key };
    }
    customCount++;
    return { target: "custom", customKey: key };
  });
}

/** What is wrong with a mapping as a whole, before any row is read. */
export function mappingProblems(mapping: ColumnMapping[]): string[] {
  const problems: string[] = [];
  const count = (target: ColumnTarget) => mapping.filter((m) => m.target === target).length;
  if (count("profile") === 0) {
    problems.push("Pick the column that holds the LinkedIn profile addresses.");
  }
  for (const target of SINGLE_TARGETS) {
    if (count(target) > 1) {
      problems.push(`Only one column can be "${TARGET_LABELS[target]}".`);
    }
  }
  const custom = mapping.filter((m) => m.target === "custom");
  if (custom.length > MAX_CUSTOM_FIELDS) {
    problems.push(`At most ${MAX_CUSTOM_FIELDS} custom fields: set the others to "Do not import".`);
  }
  const keys = new Set<string>();
  for (const { customKey } of custom) {
    if (!CUSTOM_KEY.test(customKey)) {
      problems.push(
        `"${customKey}" cannot name a custom field: start with a letter, then letters, digits or _ (40 at most).`,
      );
    } else if (keys.has(customKey)) {
      problems.push(`Two columns are both the custom field "${customKey}".`);
    }
    keys.add(customKey);
  }
  return problems;
}
