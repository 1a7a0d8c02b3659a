/**
 * A small naive Bayes model over words, word pairs, word prefixes and character 4-grams,
 * trained on the hand-labelled replies (labelled-replies.tsv, without its held-out rows). The
 * rules decide first; the model only speaks when they find nothing (see classify.ts), so that
 * phrasings no rule lists ("we don't outsource this") are still read.
 *
 * The trained counts live in reply-model.json, written by scripts/train-reply-model.ts; a test
 * retrains and checks the file is what the labelled set gives.
 */
import { foldText, replyBody } from "./text";

export const MODEL_CATEGORIES = [
  "interested",
  "not_interested",
  "out_of_office",
  "referral",
  "unsubscribe",
  "other",
] as const;
type ModelCategory = (typeof MODEL_CATEGORIES)[number];

export interface ReplyModel {
  /** Replies per category, in MODEL_CATEGORIES order. */
  documents: number[];
  /** Features counted per category (each feature once per reply), same order. */
  totals: number[];
  /** Feature → replies per category that have it, same order. */
  features: Record<string, number[]>;
}

/** Additive smoothing: small, because most features are seen in a handful of replies. */
const SMOOTHING = 0.1;

/** The features of a reply's body (no quoted message, no signature). */
export function replyFeatures(text: string): string[] {
  const words = foldText(replyBody(text)).match(/[a-z0-9ß']+/g) ?? [];
  const features = new Set<string>();
  for (const word of words) {
    features.add(`w:${word}`);
    if (word.length > 4) features.add(`p:${word.slice(0, 5)}`);
  }
  for (let i = 0; i + 1 < words.length; i++) features.add(`b:${words[i]}_${words[i + 1]}`);
  const joined = ` ${words.join(" ")} `;
  for (let i = 0; i + 4 <= joined.length; i++) features.add(`c:${joined.slice(i, i + 4)}`);
  return [...features];
}

export function trainModel(
  examples: readonly { text: string; category: ModelCategory }[],
): ReplyModel {
  const documents = MODEL_CATEGORIES.map(() => 0);
  const totals = MODEL_CATEGORIES.map(() => 0);
  const features: Record<string, number[]> = {};
  for (const example of examples) {
    const index = MODEL_CATEGORIES.indexOf(example.category);
    documents[index]!++;
    for (const feature of replyFeatures(example.text)) {
      features[feature] ??= MODEL_CATEGORIES.map(() => 0);
      features[feature][index]!++;
      totals[index]!++;
    }
  }
  // Sorted keys: the file is the same whatever order the examples came in.
  const sorted: Record<string, number[]> = {};
  for (const key of Object.keys(features).sort()) sorted[key] = features[key]!;
  return { documents, totals, features: sorted };
}

const vocabularySizes = new WeakMap<ReplyModel, number>();

/** The likeliest category and its lead over the runner-up, in natural-log odds. */
export function predictCategory(
  model: ReplyModel,
  text: string,
): { category: ModelCategory; margin: number } {
  let vocabulary = vocabularySizes.get(model);
  if (vocabulary === undefined) {
    vocabulary = Object.keys(model.features).length;
    vocabularySizes.set(model, vocabulary);
  }
  const known = replyFeatures(text).filter((feature) => Object.hasOwn(model.features, feature));
  const scores = MODEL_CATEGORIES.map((category, index) => {
    let score = Math.log(model.documents[index]! + 1);
    const denominator = model.totals[index]! + SMOOTHING * vocabulary;
    for (const feature of known) {
      score += Math.log((model.features[feature]![index]! + SMOOTHING) / denominator);
    }
    return { category, score };
  }).sort((a, b) => b.score - a.score);
  return { category: scores[0]!.category, margin: scores[0]!.score - scores[1]!.score };
}
