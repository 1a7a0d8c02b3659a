/**
 * The hand-labelled reply set (labelled-replies.tsv) and how the classifier is measured on it.
 * Pure: the caller reads the file.
 */
import { classifyReply, REPLY_CATEGORIES, type ReplyCategory } from "./classify";
import { REPLY_LANGUAGES } from "./language";

export interface LabelledReply {
  line: number;
  split: "tune" | "holdout" | "fresh" | "fresh2" | "fresh3" | "fresh4" | "train2";
  language: (typeof REPLY_LANGUAGES)[number];
  category: ReplyCategory;
  returnDate: string | null;
  referral: string | null;
  text: string;
}

/** The rows the model learns from; "fresh3" and "fresh4" are held out and only measure. */
export const TRAINING_SPLITS: readonly LabelledReply["split"][] = [
  "tune",
  "holdout",
  "fresh",
  "fresh2",
  "train2",
];

/** The set's reference date: every relative date in it is read against this day. */
export const LABELLED_REFERENCE_DATE = "2026-02-16";

export function parseLabelledReplies(tsv: string): LabelledReply[] {
  const rows: LabelledReply[] = [];
  const lines = tsv.split("\n");
  let header = true;
  lines.forEach((raw, index) => {
    if (raw.startsWith("#") || raw.trim() === "") return;
    if (header) {
      header = false;
      return;
    }
    const fields = raw.split("\t");
    const [split, language, category, returnDate, referral, text] = fields;
    if (
      fields.length !== 6 ||
      (split !== "tune" &&
        split !== "holdout" &&
        split !== "fresh" &&
        split !== "fresh2" &&
        split !== "fresh3" &&
        split !== "fresh4" &&
        split !== "train2") ||
      !(REPLY_LANGUAGES as readonly string[]).includes(language!) ||
      !(REPLY_CATEGORIES as readonly string[]).includes(category!)
    ) {
      throw new Error(`labelled-replies.tsv line ${index + 1} is malformed`);
    }
    rows.push({
      line: index + 1,
      split,
      language: language as LabelledReply["language"],
      category: category as ReplyCategory,
      returnDate: returnDate === "-" ? null : returnDate!,
      referral: referral === "-" ? null : referral!,
      text: text!.replaceAll("\\n", "\n"),
    });
  });
  return rows;
}

export interface Tally {
  correct: number;
  total: number;
}

export interface Measurement {
  overall: Tally;
  byCategory: Record<ReplyCategory, Tally>;
  byLanguage: Record<string, Tally>;
  /** Out-of-office rows classified as such: return date exactly right (null when none given). */
  returnDate: Tally;
  /** Referral rows classified as such: name right (case-insensitive; null when none given). */
  referralName: Tally;
  /** Rows whose language was detected right ("und" for a reply without words). */
  language: Tally;
  misses: { row: LabelledReply; got: ReplyCategory }[];
}

const tally = (): Tally => ({ correct: 0, total: 0 });
const count = (t: Tally, ok: boolean) => {
  t.total++;
  if (ok) t.correct++;
};

export function measure(rows: readonly LabelledReply[]): Measurement {
  const result: Measurement = {
    overall: tally(),
    byCategory: Object.fromEntries(REPLY_CATEGORIES.map((c) => [c, tally()])) as Record<
      ReplyCategory,
      Tally
    >,
    byLanguage: Object.fromEntries(REPLY_LANGUAGES.map((l) => [l, tally()])),
    returnDate: tally(),
    referralName: tally(),
    language: tally(),
    misses: [],
  };
  for (const row of rows) {
    const got = classifyReply(row.text, { referenceDate: LABELLED_REFERENCE_DATE });
    const ok = got.category === row.category;
    count(result.overall, ok);
    count(result.byCategory[row.category], ok);
    count(result.byLanguage[row.language]!, ok);
    // A reply without words (emoji only) has no language: "und" is the right answer there.
    const expectedLanguage = /[\p{L}]/u.test(row.text) ? row.language : "und";
    count(result.language, got.language === expectedLanguage);
    if (!ok) result.misses.push({ row, got: got.category });
    if (ok && row.category === "out_of_office")
      count(result.returnDate, got.returnDate === row.returnDate);
    if (ok && row.category === "referral") {
      count(
        result.referralName,
        (got.referral ?? "").toLowerCase() === (row.referral ?? "").toLowerCase(),
      );
    }
  }
  return result;
}

export function share(t: Tally): number {
  return t.total === 0 ? 1 : t.correct / t.total;
}
