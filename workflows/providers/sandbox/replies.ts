/**
 * What sandbox leads write back: realistic replies (interested, a question, not interested, an
 * out-of-office with a return date, a referral to a colleague, "please stop", thanks for
 * connecting) in English, French, German and Spanish, with settable proportions.
 *
 * Pure and deterministic: a reply is a function of its seed (a named draw of the world), the
 * mix and the day it is written, so every process that knows the world's seed writes the same
 * words, and nothing needs storing to show them again.
 */
import { z } from "zod";
import { drawInt, pickWeighted, type Seed, seedFor } from "../../random";
import type { ReplyCategory } from "../../replies/classify";

export const SANDBOX_REPLY_KINDS = [
  "interested",
  "question",
  "not_interested",
  "out_of_office",
  "referral",
  "unsubscribe",
  "thanks",
] as const;
export type SandboxReplyKind = (typeof SANDBOX_REPLY_KINDS)[number];

export const SANDBOX_REPLY_LANGUAGES = ["en", "fr", "de", "es"] as const;
export type SandboxReplyLanguage = (typeof SANDBOX_REPLY_LANGUAGES)[number];

/** What the classifier should make of each kind: a question about the offer is interest. */
export const INTENDED_CATEGORY: Record<SandboxReplyKind, ReplyCategory> = {
  interested: "interested",
  question: "interested",
  not_interested: "not_interested",
  out_of_office: "out_of_office",
  referral: "referral",
  unsubscribe: "unsubscribe",
  thanks: "other",
};

const weight = z.number().min(0).max(1000).finite();
const hasPositive = (weights: Record<string, number>) =>
  Object.values(weights).some((value) => value > 0);

/** Relative weights (they need not add up to 1; at least one must be above 0). */
export const SandboxReplyMixSchema = z.object({
  kinds: z
    .object({
      interested: weight.default(0.2),
      question: weight.default(0.12),
      not_interested: weight.default(0.25),
      out_of_office: weight.default(0.1),
      referral: weight.default(0.08),
      unsubscribe: weight.default(0.05),
      thanks: weight.default(0.2),
    })
    .prefault({})
    .refine(hasPositive, { message: "At least one kind of reply needs a weight above 0" }),
  /** Shares of people by the language they write in (drawn once per person). */
  languages: z
    .object({
      en: weight.default(0.55),
      fr: weight.default(0.15),
      de: weight.default(0.15),
      es: weight.default(0.15),
    })
    .prefault({})
    .refine(hasPositive, { message: "At least one language needs a weight above 0" }),
});
export type SandboxReplyMix = z.output<typeof SandboxReplyMixSchema>;

export interface SandboxReply {
  text: string;
  language: SandboxReplyLanguage;
  kind: SandboxReplyKind;
  intendedCategory: ReplyCategory;
  /** Out of office: the day the text says the person is back (YYYY-MM-DD). */
  returnDate: string | null;
  /** Referral: the colleague the text names. */
  referral: string | null;
}

type Templates = Record<SandboxReplyKind, readonly string[]>;

// {date}: a return date written the way the language writes it; {name}: a colleague.
const TEMPLATES: Record<SandboxReplyLanguage, Templates> = {
  en: {
    interested: [
      "Sounds interesting, let's talk. Are you free later this week?",
      "Yes, happy to have a quick call. Send me a couple of slots.",
      "Good timing actually, we're looking at this right now. Can you share a deck?",
      "Sure, I'd like to learn more 🙂",
      "Interested. What's the best way to book a demo?",
    ],
    question: [
      "How much does it cost for a team of 10?",
      "How does it work with our CRM? Could you tell me more?",
      "What kind of results have similar companies seen? Send me some details.",
      "Do you offer a trial? Curious to see the pricing.",
    ],
    not_interested: [
      "Thanks, but we're not interested.",
      "Not a priority for us right now, sorry.",
      "We already use another tool and we're happy with it.",
      "No thanks.",
      "Appreciate it, but it's not a fit for us. Good luck!",
    ],
    out_of_office: [
      "Automatic reply: I'm out of the office until {date} with limited access to messages.",
      "Thanks for your message. I'm on holiday and will be back on {date}.",
      "I'm currently travelling and will reply when I'm back on {date}.",
      "Out of office: I'm on annual leave, returning on {date}.",
    ],
    referral: [
      "I'm not the right person for this, please contact {name}.",
      "You should talk to my colleague {name}, who handles this.",
      "Thanks! Best person would be {name} on our team.",
      "I'm forwarding this to {name}, they own this topic.",
    ],
    unsubscribe: [
      "Please stop messaging me.",
      "Remove me from your list, thanks.",
      "Not interested. Don't contact me again.",
      "Unsubscribe",
    ],
    thanks: [
      "Thanks for connecting!",
      "Nice to connect 🙂",
      "Thanks for the invite, great to be connected.",
      "Hi, likewise, happy to be connected.",
    ],
  },
  fr: {
    interested: [
      "Bonjour, oui ça m'intéresse. On peut s'appeler cette semaine ?",
      "Avec plaisir, envoyez-moi une présentation.",
      "Pourquoi pas, je suis dispo pour un échange rapide.",
      "Intéressant ! Je veux bien en savoir plus.",
    ],
    question: [
      "Quel est le tarif pour une équipe de 10 personnes ?",
      "Comment ça marche avec notre CRM ? Pouvez-vous m'en dire plus ?",
      "Vous avez une démo à me montrer ?",
    ],
    not_interested: [
      "Merci, mais pas intéressé.",
      "Non merci, ce n'est pas une priorité pour nous.",
      "Nous avons déjà une solution en place, merci.",
      "Ce n'est pas le moment pour nous, désolé.",
    ],
    out_of_office: [
      "Réponse automatique : je suis absent jusqu'au {date}.",
      "Bonjour, je suis en congés et serai de retour le {date}.",
      "Je suis en déplacement, de retour le {date}. Je vous répondrai à mon retour.",
    ],
    referral: [
      "Je ne suis pas la bonne personne, contactez plutôt {name}.",
      "Voyez avec ma collègue {name}, elle gère ce sujet.",
      "Merci, je mets en copie {name} qui pourra vous répondre.",
    ],
    unsubscribe: [
      "Merci de ne plus me contacter.",
      "Veuillez me retirer de votre liste.",
      "Arrêtez de m'envoyer des messages, s'il vous plaît.",
    ],
    thanks: [
      "Merci pour l'invitation !",
      "Ravi d'être connecté 🙂",
      "Merci, bonne journée à vous.",
    ],
  },
  de: {
    interested: [
      "Klingt interessant, lassen Sie uns telefonieren.",
      "Ja, gerne. Schicken Sie mir bitte mehr Infos.",
      "Das kommt gerade recht. Haben Sie nächste Woche Zeit für eine Demo?",
      "Gerne können wir uns kurz austauschen.",
    ],
    question: [
      "Was kostet das für ein Team von 10 Leuten?",
      "Wie funktioniert das mit unserem CRM?",
      "Können Sie mir mehr zu den Preisen sagen?",
    ],
    not_interested: [
      "Danke, aber kein Interesse.",
      "Aktuell kein Bedarf, vielen Dank.",
      "Wir haben bereits eine Lösung, danke.",
      "Das passt leider nicht zu uns.",
    ],
    out_of_office: [
      "Automatische Antwort: Ich bin bis zum {date} nicht im Büro.",
      "Vielen Dank für Ihre Nachricht. Ich bin im Urlaub und ab dem {date} wieder erreichbar.",
      "Ich bin auf Dienstreise und ab {date} wieder da.",
    ],
    referral: [
      "Dafür bin ich nicht zuständig, wenden Sie sich bitte an {name}.",
      "Sprechen Sie am besten mit meiner Kollegin {name}.",
      "Der richtige Ansprechpartner ist {name}.",
    ],
    unsubscribe: [
      "Bitte kontaktieren Sie mich nicht mehr.",
      "Bitte entfernen Sie mich aus Ihrem Verteiler.",
      "Keine weiteren Nachrichten bitte.",
    ],
    thanks: [
      "Danke für die Vernetzung!",
      "Freut mich, vernetzt zu sein 🙂",
      "Danke, schönen Tag noch.",
    ],
  },
  es: {
    interested: [
      "Suena interesante, hablemos esta semana.",
      "Sí, por favor, envíame más información.",
      "Me interesa, ¿cuándo podemos hablar?",
      "Claro, agendemos una llamada.",
    ],
    question: [
      "¿Cuánto cuesta para un equipo de 10 personas?",
      "¿Cómo funciona la integración con nuestro CRM?",
      "¿Tienes una demo? Me gustaría saber más.",
    ],
    not_interested: [
      "No me interesa, gracias.",
      "Gracias, pero ya tenemos una solución.",
      "Ahora mismo no es prioridad.",
      "No, gracias.",
    ],
    out_of_office: [
      "Respuesta automática: estoy fuera de la oficina hasta el {date}.",
      "Gracias por tu mensaje. Estoy de vacaciones, regreso el {date}.",
      "Estoy de viaje, estaré de vuelta el {date}.",
    ],
    referral: [
      "No soy la persona adecuada, contacta con {name}.",
      "Habla con mi compañera {name}, ella lleva este tema.",
      "Te paso con {name}, que se encarga de esto.",
    ],
    unsubscribe: [
      "Por favor, no me contactes más.",
      "Elimíname de tu lista.",
      "Deja de enviarme mensajes, gracias.",
    ],
    thanks: ["¡Gracias por conectar!", "Encantado de conectar 🙂", "Gracias, buen día."],
  },
};

const NAMES: Record<SandboxReplyLanguage, { first: readonly string[]; last: readonly string[] }> = {
  en: {
    first: ["Jane", "Mark", "Priya", "Daniel", "Emily", "Robert", "Laura", "James"],
    last: ["Doe", "Evans", "Patel", "Kim", "Clarke", "Chen", "Martin", "Wilson"],
  },
  fr: {
    first: ["Pierre", "Sophie", "Thomas", "Claire", "Nicolas", "Élodie", "Hugo", "Camille"],
    last: ["Martin", "Bernard", "Petit", "Lefèvre", "Roux", "Fournier", "Lambert", "Durand"],
  },
  de: {
    first: ["Thomas", "Anna", "Markus", "Katrin", "Michael", "Sabine", "Jürgen", "Lena"],
    last: ["Schneider", "Fischer", "Becker", "Wolf", "Schulz", "Koch", "Braun", "Zimmermann"],
  },
  es: {
    first: ["María", "Javier", "Ana", "Pablo", "Elena", "Diego", "Laura", "Carmen"],
    last: ["López", "Ruiz", "Torres", "Sánchez", "Díaz", "Romero", "Jiménez", "Vega"],
  },
};

const MONTHS: Record<SandboxReplyLanguage, readonly string[]> = {
  en: "January February March April May June July August September October November December".split(
    " ",
  ),
  fr: "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(
    " ",
  ),
  de: "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(
    " ",
  ),
  es: "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(
    " ",
  ),
};

const pad = (value: number) => String(value).padStart(2, "0");

/** The date as people of that language write it; `style` picks one of their usual ways. */
function writeDate(date: Date, language: SandboxReplyLanguage, style: number): string {
  const day = date.getUTCDate();
  const month = date.getUTCMonth();
  const name = MONTHS[language][month]!;
  const numeric = `${pad(day)}/${pad(month + 1)}`;
  switch (language) {
    case "en":
      return [`${day} ${name}`, `${name} ${day}`, `${day} ${name} ${date.getUTCFullYear()}`][
        style % 3
      ]!;
    case "fr":
      return [
        `${day === 1 ? "1er" : day} ${name}`,
        numeric,
        `${day} ${name} ${date.getUTCFullYear()}`,
      ][style % 3]!;
    case "de":
      return [
        `${day}. ${name}`,
        `${pad(day)}.${pad(month + 1)}.${date.getUTCFullYear()}`,
        `${day}. ${name}`,
      ][style % 3]!;
    case "es":
      return [`${day} de ${name}`, numeric, `${day} de ${name} de ${date.getUTCFullYear()}`][
        style % 3
      ]!;
  }
}

const DAY_MS = 86_400_000;
const entries = <K extends string>(weights: Record<K, number>) =>
  (Object.keys(weights) as K[]).map((key) => ({ key, weight: weights[key] }));

/** The language a person writes in: one draw per person, from the mix's shares. */
export function drawReplyLanguage(seed: Seed, mix: SandboxReplyMix): SandboxReplyLanguage {
  return pickWeighted(seedFor(seed, "reply-language"), entries(mix.languages)).key;
}

/**
 * One reply, written on the day of `at` (UTC). `seed` names the draw (the world passes its seed,
 * the conversation and the message replied to); `language` fixes the person's language,
 * otherwise it is drawn from the mix.
 */
export function generateReply(
  seed: Seed,
  mix: SandboxReplyMix,
  options: { at: Date; language?: SandboxReplyLanguage },
): SandboxReply {
  const draw = (what: string) => seedFor(seed, "reply", what);
  const kind = pickWeighted(draw("kind"), entries(mix.kinds)).key;
  const language = options.language ?? drawReplyLanguage(seed, mix);
  const templates = TEMPLATES[language][kind];
  const template = templates[drawInt(draw("template"), 0, templates.length - 1)]!;
  let returnDate: string | null = null;
  let referral: string | null = null;
  let text = template;
  if (template.includes("{date}")) {
    const day = Math.floor(options.at.getTime() / DAY_MS) * DAY_MS;
    const back = new Date(day + drawInt(draw("days-away"), 2, 21) * DAY_MS);
    returnDate = back.toISOString().slice(0, 10);
    text = text.replace("{date}", writeDate(back, language, drawInt(draw("date-style"), 0, 2)));
  }
  if (template.includes("{name}")) {
    const names = NAMES[language];
    referral = `${names.first[drawInt(draw("first-name"), 0, names.first.length - 1)]} ${
      names.last[drawInt(draw("last-name"), 0, names.last.length - 1)]
    }`;
    text = text.replace("{name}", referral);
  }
  return { text, language, kind, intendedCategory: INTENDED_CATEGORY[kind], returnDate, referral };
}
