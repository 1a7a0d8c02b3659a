/**
 * Reply classification: what a lead's reply means for the campaign. Rules over the text the
 * lead wrote (quoted messages and signatures cut off), in English, French, German and Spanish.
 *
 * Order of precedence, most consequential first: a request to stop wins over everything
 * ("Not interested. Stop messaging me" is an unsubscribe), an auto-reply over what it says,
 * a pointer to someone else over a yes or no. Between a yes and a no, the clause after the last
 * "but" (mais, aber, pero) counts double, and a tie is a no.
 *
 * When no rule matches, a naive Bayes model trained on the labelled replies (model.ts) decides,
 * if it is clearly sure (its category at least e² ≈ 7 times likelier than the next one).
 */
import { findReturnDate, parseIsoDate } from "./dates";
import { detectLanguage, type ReplyLanguage } from "./language";
import { MODEL_CATEGORIES, predictCategory, type ReplyModel } from "./model";
import { findReferralName } from "./referral";
import modelData from "./reply-model.json";
import { RULES, type RuleCategory } from "./rules";
import { foldText, hasNoWords, replyBody } from "./text";

const MODEL: ReplyModel = modelData;
/** Natural-log odds the model needs over its runner-up to overrule "no rule matched". */
const MODEL_MARGIN = 2;

/** The model scores the same categories the classifier answers with: one list. */
export const REPLY_CATEGORIES = MODEL_CATEGORIES;
export type ReplyCategory = (typeof REPLY_CATEGORIES)[number];

export interface ReplyClassification {
  category: ReplyCategory;
  language: ReplyLanguage;
  /** Out of office only: the day the author is back (YYYY-MM-DD), when the text gives one. */
  returnDate: string | null;
  /** Referral only: the person the author points to, as written, when the text names one. */
  referral: string | null;
}

export interface ClassifyOptions {
  /** The day the reply came, YYYY-MM-DD or a Date (its UTC day): dates are read against it. */
  referenceDate: string | Date;
}

/** Longer texts are read up to here: a LinkedIn message is at most 8,000 characters. */
export const MAX_REPLY_CHARS = 20_000;

const PRECEDENCE: readonly RuleCategory[] = ["unsubscribe", "out_of_office", "referral"];
const BUT = /\b(?:but|however|mais|cependant|aber|jedoch|pero|sin embargo)\b/g;

function referenceDay(value: string | Date): Date {
  const date =
    typeof value === "string"
      ? parseIsoDate(value)
      : Number.isFinite(value.getTime())
        ? new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate()))
        : null;
  if (date === null)
    throw new RangeError(`referenceDate must be a date (YYYY-MM-DD), got ${String(value)}`);
  return date;
}

/** The rules with the global flag, for counting every match; built once. */
const GLOBAL_RULES = Object.fromEntries(
  (Object.keys(RULES) as RuleCategory[]).map((category) => [
    category,
    RULES[category].map(
      (pattern) =>
        new RegExp(
          pattern.source,
          pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`,
        ),
    ),
  ]),
) as Record<RuleCategory, RegExp[]>;

/** Score of a category: its matches, doubled after the last "but"; matched spans are blanked. */
function score(category: RuleCategory, text: string, lastBut: number) {
  let points = 0;
  let masked = text;
  for (const pattern of GLOBAL_RULES[category]) {
    for (const match of text.matchAll(pattern)) {
      points += match.index >= lastBut ? 2 : 1;
      masked =
        masked.slice(0, match.index) +
        " ".repeat(match[0].length) +
        masked.slice(match.index + match[0].length);
    }
  }
  return { points, masked };
}

function matchesAny(category: RuleCategory, text: string): boolean {
  return RULES[category].some((pattern) => pattern.test(text));
}

/** The category of the body alone (no quoted text, no signature), folded. */
function categoryOf(folded: string): ReplyCategory {
  if (hasNoWords(folded)) return "other";
  for (const category of PRECEDENCE) if (matchesAny(category, folded)) return category;
  const lastBut = Math.max(-1, ...[...folded.matchAll(BUT)].map((match) => match.index));
  const no = score("not_interested", folded, lastBut);
  // "not interested" must not count as "interested": the no's words are blanked first.
  const yes = score("interested", no.masked, lastBut);
  if (no.points === 0 && yes.points === 0) return "other";
  return yes.points > no.points ? "interested" : "not_interested";
}

export function classifyReply(text: string, options: ClassifyOptions): ReplyClassification {
  const reference = referenceDay(options.referenceDate);
  const body = replyBody(text.slice(0, MAX_REPLY_CHARS));
  const language = detectLanguage(body);
  let category = categoryOf(foldText(body));
  if (category === "other" && !hasNoWords(body)) {
    const guess = predictCategory(MODEL, body);
    if (guess.margin > MODEL_MARGIN) category = guess.category;
  }
  return {
    category,
    language,
    returnDate: category === "out_of_office" ? findReturnDate(body, reference, language) : null,
    referral: category === "referral" ? findReferralName(body) : null,
  };
}
