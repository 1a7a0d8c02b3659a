/**
 * The language of a reply, among the four Outflow reads: English, French, German, Spanish.
 * Short replies ("Nein danke", "Ok merci!") defeat n-gram detectors, so common function and
 * politeness words decide first; tinyld (restricted to the four) settles the rest.
 */
import { detect } from "tinyld/light";
import { foldText, hasNoWords } from "./text";

export const REPLY_LANGUAGES = ["en", "fr", "de", "es"] as const;
/** "und" (undetermined, as in BCP 47) when nothing in the text tells. */
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number] | "und";

const CUES: Record<(typeof REPLY_LANGUAGES)[number], readonly string[]> = {
  en: [
    "the",
    "and",
    "you",
    "your",
    "i",
    "i'm",
    "im",
    "i'll",
    "i've",
    "is",
    "are",
    "we",
    "we're",
    "not",
    "thanks",
    "thank",
    "please",
    "pls",
    "hi",
    "hello",
    "yes",
    "no",
    "me",
    "my",
    "for",
    "this",
    "that",
    "with",
    "to",
    "of",
    "on",
    "it",
    "be",
    "will",
    "back",
    "would",
    "could",
    "let's",
    "sounds",
    "sure",
    "out",
    "office",
    "until",
    "who",
    "how",
    "what",
    "thx",
    "don't",
    "our",
    "unsubscribe",
    "spamming",
    "messaging",
    "remove",
  ],
  fr: [
    "je",
    "j'ai",
    "de",
    "vous",
    "votre",
    "vos",
    "nous",
    "le",
    "la",
    "les",
    "des",
    "du",
    "un",
    "une",
    "est",
    "et",
    "pas",
    "merci",
    "bonjour",
    "oui",
    "non",
    "pour",
    "avec",
    "sur",
    "mon",
    "ma",
    "mes",
    "ne",
    "plus",
    "c'est",
    "ce",
    "qui",
    "suis",
    "serai",
    "au",
    "aux",
    "jusqu'au",
    "svp",
    "m'",
    "moi",
    "d'etre",
    "tres",
    "bien",
    "retour",
    "ca",
    "on",
    "il",
    "elle",
    "notre",
  ],
  de: [
    "ich",
    "sie",
    "ihr",
    "ihre",
    "ihnen",
    "wir",
    "uns",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "und",
    "ist",
    "nicht",
    "kein",
    "keine",
    "danke",
    "bitte",
    "hallo",
    "ja",
    "nein",
    "fur",
    "mit",
    "mich",
    "mir",
    "bin",
    "bis",
    "zum",
    "zur",
    "gerne",
    "gern",
    "ab",
    "wieder",
    "auf",
    "aus",
    "auch",
    "noch",
    "schon",
    "wer",
    "wie",
    "was",
    "vielen",
    "dank",
    "uhr",
    "mal",
    "abmelden",
  ],
  es: [
    "yo",
    "tu",
    "te",
    "usted",
    "nos",
    "nosotros",
    "el",
    "la",
    "los",
    "las",
    "de",
    "del",
    "un",
    "una",
    "es",
    "y",
    "no",
    "gracias",
    "hola",
    "si",
    "por",
    "para",
    "con",
    "mi",
    "mis",
    "me",
    "estoy",
    "hasta",
    "mas",
    "muy",
    "que",
    "quien",
    "cuando",
    "como",
    "esto",
    "este",
    "esta",
    "porfa",
    "favor",
    "vale",
    "claro",
    "pero",
    "ya",
    "tenemos",
    "al",
    "lo",
    "le",
    "deja",
    "dejen",
  ],
};

/** Letters and marks that only one of the four languages writes. */
const LETTERS: readonly [RegExp, (typeof REPLY_LANGUAGES)[number]][] = [
  [/[äöüß]/i, "de"],
  [/[ñ¿¡]/i, "es"],
  [/[àâçèêëîïôûœ]/i, "fr"],
];

const WEIGHTS = new Map<string, Map<string, number>>();
for (const [language, words] of Object.entries(CUES)) {
  for (const word of words) {
    const entry = WEIGHTS.get(word) ?? new Map<string, number>();
    entry.set(language, 1);
    WEIGHTS.set(word, entry);
  }
}

export function detectLanguage(text: string): ReplyLanguage {
  if (hasNoWords(text)) return "und";
  const scores = new Map<string, number>();
  const add = (language: string, points: number) =>
    scores.set(language, (scores.get(language) ?? 0) + points);
  for (const token of foldText(text).match(/[a-z]+(?:'[a-z]*)?/g) ?? []) {
    // A word two languages share ("no", "la") counts for each a little less.
    const entry = WEIGHTS.get(token);
    if (entry) for (const language of entry.keys()) add(language, 1 / entry.size);
  }
  for (const [pattern, language] of LETTERS) if (pattern.test(text)) add(language, 1.5);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (best !== undefined && best[1] >= 1 && best[1] > (second?.[1] ?? 0)) {
    return best[0] as ReplyLanguage;
  }
  const guess = detect(text, { only: [...REPLY_LANGUAGES] });
  if ((REPLY_LANGUAGES as readonly string[]).includes(guess)) return guess as ReplyLanguage;
  return (best?.[1] ?? 0) > 0 ? (best![0] as ReplyLanguage) : "und";
}
