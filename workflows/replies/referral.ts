/**
 * The person a referral names ("please contact Jane Doe", "wenden Sie sich an Thomas
 * Schneider", "voyez avec ma collègue Sophie Bernard"), cut from the original text so that the
 * name keeps its accents and case.
 */
import { foldText } from "./text";

/** Phrases after which the name comes (folded text: lowercase, no accents). */
const BEFORE_NAME: readonly RegExp[] = [
  // English
  /\b(?:contact|ask|try|cc'?ing|loop(?:ing)? in|copying in|introduce you to)\b/g,
  /\b(?:reach(?:ing)? out to|direct (?:this|it) to|talk to|speak (?:to|with)|get in touch with|forward(?:ing|ed)? (?:this |it |your message )?to)\b/g,
  /\b(?:person|contact|guy) (?:would be|is|to talk to is)\b/g,
  /\b(?:copying|cc'?ing)\b/g,
  /\b(?:suivi par|a contacter|en contacto con|contacto adecuado es|(?:anfrage|nachricht|das|es) an)\b/g,
  /\b(?:colleague|coworker|co-worker)\b/g,
  // French
  /\b(?:contactez|contacter|voyez avec|voir avec|adressez-vous a|ecrire a|transfere a|mets en copie|en copie|collegue|je laisse|rapprochez-vous de)\b/g,
  // German
  /\b(?:sich (?:bitte |direkt |doch )?(?:an|bei)|kontaktieren sie|sprechen sie (?:am besten |bitte )?mit|kollegin|kollege|kollegen|leite (?:das|es|ihre nachricht) (?:an|weiter an)|ich setze|(?:frag|fragen sie) (?:mal |doch )?(?:bei)?|ansprechpartner(?:in)? ist|zustandig ist|das macht bei uns|entscheidet(?: bei uns)?|schreiben sie|gebe (?:das|es) an)\b/g,
  // Spanish
  /\b(?:contacta (?:con|a)|contactar (?:con|a)|habla con|hablar con|companer[oa]|colega|te paso con|en copia a|escribele a|lo lleva|la lleva|se encarga de esto es|persona (?:adecuada|indicada) (?:es|seria)|lo decide|la decide|hablar con|reenvio (?:tu|su) (?:mensaje|correo) a)\b/g,
];

/** Words between the phrase and the name: possessives, "colleague", roles, titles. */
const FILLER = new Set(
  (
    "my our the your this colleague coworker instead please with to at " +
    "ma mon notre nos collegue plutot avec a au " +
    "meine meiner meinem meinen unsere unserer unserem unseren kollegin kollege bitte mal bei uns die den dem der " +
    "mi nuestro nuestra companero companera colega con a al " +
    "mr mrs ms dr mme m sr sra herr frau direkt " +
    "cto ceo cfo coo cmo cio cro dsi drh vp svp evp"
  ).split(" "),
);

/** Capitalised words that are never a name here (German nouns for departments, greetings…). */
const NOT_NAMES = new Set(
  (
    "i i'm please thanks thank hi hello sales marketing procurement hr it head team department " +
    "service achats direction equipe directeur directrice responsable " +
    "einkauf vertrieb team abteilung geschaftsfuhrung personalabteilung it " +
    "departamento compras ventas equipo director directora gerente"
  ).split(" "),
);

/** Words that end a lowercase name ("lukas meyer nach", "anna schmidt, she…"). */
const LOWERCASE_STOP = new Set(
  (
    "he she who on in at from for is will can he'll she'll they instead " +
    "qui de du pour il elle sur dans " +
    "nach er sie der die das aus von fur im " +
    "el ella de del que para en me you me us moi mich"
  ).split(" "),
);

const NAME_AROUND: readonly RegExp[] = [
  /\bC'est\s+(?:plutôt\s+)?(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})\s+qu(?:i\b|')/u,
  /\b(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})\s+(?:is your (?:guy|girl|person|man|woman|contact)|is the (?:right )?person|handles (?:this|that)|owns this|runs \w+|does now|decides|makes (?:these|the) calls|es quien|ist (?:hier )?(?:die|der) richtige|sera plus)\b/u,
];

const WORD = /^[\p{L}'’-]+/u;

function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

function isDepartment(folded: string): boolean {
  return NOT_NAMES.has(folded) || /(?:ung|abteilung|team)$/.test(folded);
}

/** The name that starts at `start` (after fillers), or null. */
function nameAt(original: string, folded: string, start: number): string | null {
  let at = start;
  const words: string[] = [];
  let lowercase: boolean | null = null;
  for (let steps = 0; steps < 12 && words.length < 3; steps++) {
    const gap = /^[\s,:;@]*/.exec(original.slice(at))![0].length;
    // Punctuation that ends a clause ends the name.
    if (words.length > 0 && /[,:;]/.test(original.slice(at, at + gap))) break;
    at += gap;
    const match = WORD.exec(original.slice(at));
    if (!match) break;
    const word = match[0].replace(/['’]s$/, "");
    const plain = folded.slice(at, at + word.length);
    if (words.length === 0) {
      if (FILLER.has(plain)) {
        at += match[0].length;
        continue;
      }
      if (isDepartment(plain)) return null;
      lowercase = !isCapitalised(word);
      words.push(word);
    } else if (lowercase) {
      if (LOWERCASE_STOP.has(plain) || isCapitalised(word)) break;
      if (isDepartment(plain)) return null;
      words.push(word);
      if (words.length === 2) break;
    } else {
      if (!isCapitalised(word) || isDepartment(plain)) break;
      words.push(word);
    }
    at += match[0].length;
  }
  if (words.length === 0) return null;
  // A single lowercase word ("contact me", "ask them") is not a name.
  if (lowercase && words.length < 2) return null;
  if (lowercase && words.some((word) => LOWERCASE_STOP.has(foldText(word)) || word.length < 2)) {
    return null;
  }
  return words.join(" ");
}

/** Capitalised words that start sentences or greet, never a first name here. */
const NOT_FIRST_NAMES = new Set(
  (
    "hi hello hey dear thanks thank please sorry the this that our my your we i you he she they " +
    "bonjour salut merci le la les ce c'est notre mon ma je il elle vous nous " +
    "hallo danke bitte der die das dem den ein eine unser unsere ich er sie wir " +
    "hola gracias el los las este esta nuestro nuestra mi yo usted " +
    "monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi vendredi " +
    "montag dienstag mittwoch donnerstag freitag lunes martes miercoles jueves viernes " +
    "head vp director directeur directrice leiter leiterin jefe jefa team sales marketing " +
    "falscher richtige richtiger ansprechpartner ansprechpartnerin kollege kollegin herr frau"
  ).split(" "),
);

const FULL_NAME =
  /(?<![\p{L}'’-])(\p{Lu}\p{Ll}+(?:['’-]\p{Lu}?\p{Ll}+)?)\s+(\p{Lu}\p{Ll}*(?:['’-]\p{Lu}?\p{Ll}+)?)(?![\p{L}'’-])/gu;

/** A first and last name anywhere in the text, for referrals no phrase introduces. */
function anyFullName(text: string): string | null {
  for (const match of text.matchAll(FULL_NAME)) {
    const [first, last] = [foldText(match[1]!), foldText(match[2]!)];
    if (NOT_FIRST_NAMES.has(first) || NOT_FIRST_NAMES.has(last)) continue;
    if (isDepartment(first) || isDepartment(last)) continue;
    return `${match[1]} ${match[2]}`;
  }
  return null;
}

export function findReferralName(text: string): string | null {
  for (const pattern of NAME_AROUND) {
    const match = pattern.exec(text);
    // "Frau Claudia Vogel": the name without its title.
    const name = match?.[1]?.replace(/^(?:Herr|Frau|Mr|Mrs|Ms|Mme|Sr|Sra|Dr)\.?\s+/u, "");
    if (name && !isDepartment(foldText(name.split(/\s+/)[0]!))) return name;
  }
  const folded = foldText(text);
  const candidates: { index: number; name: string }[] = [];
  for (const pattern of BEFORE_NAME) {
    for (const match of folded.matchAll(pattern)) {
      const name = nameAt(text, folded, match.index + match[0].length);
      if (name !== null) candidates.push({ index: match.index, name });
    }
  }
  // The first named person in the text; else a first and last name anywhere in it.
  candidates.sort((a, b) => a.index - b.index);
  return candidates[0]?.name ?? anyFullName(text);
}
