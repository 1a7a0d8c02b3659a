/**
 * Text helpers for reading replies: the part of a reply its author wrote (no quoted message, no
 * signature), and a folded copy for matching rules written in plain lowercase ASCII.
 */

/** Lines that open a quoted earlier message; everything from there on is not the reply. */
const QUOTE_HEADERS: readonly RegExp[] = [
  /^\s*on\b.{0,120}\bwrote:?\s*$/i,
  /^\s*le\b.{0,120}\ba écrit\s*:?\s*$/i,
  /^\s*am\b.{0,120}\bschrieb\b.{0,80}$/i,
  /^\s*el\b.{0,120}\bescribió\s*:?\s*$/i,
  /^\s*-{2,}\s*(original message|message d'origine|ursprüngliche nachricht|mensaje original)/i,
  /^\s*(from|de|von)\s*:\s*\S.*$/i,
];

/** A line that ends the message and starts a signature: "--" or a closing formula alone. */
const SIGNATURE_OPENERS: readonly RegExp[] = [
  /^\s*--\s*$/,
  /^\s*(best|best regards|kind regards|regards|cheers|thanks|many thanks|sent from my \w+)\s*,?\s*$/i,
  /^\s*(cordialement|bien cordialement|bien à vous|salutations|bonne journée)\s*,?\s*$/i,
  /^\s*(mit freundlichen grüßen|viele grüße|beste grüße|freundliche grüße|grüße|lg|vg|mfg)\s*,?\s*$/i,
  /^\s*(saludos|un saludo|atentamente|saludos cordiales|un abrazo)\s*,?\s*$/i,
];

/**
 * The reply as its author wrote it: stops at a quoted message ("> …" lines or an "On … wrote:"
 * header) and at a signature (a "--" line or a closing formula on its own line).
 */
export function replyBody(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (const line of lines) {
    if (/^\s*>/.test(line)) break;
    if (QUOTE_HEADERS.some((pattern) => pattern.test(line))) break;
    // A closing formula on the first line is the whole message ("Thanks"), not a signature.
    if (
      kept.some((earlier) => earlier.trim() !== "") &&
      SIGNATURE_OPENERS.some((p) => p.test(line))
    )
      break;
    kept.push(line);
  }
  return kept.join("\n").trim();
}

/**
 * Lowercase, accents removed (ß kept), curly quotes straightened, one character for one: index i
 * of the folded text is character i of the original, so a match found in the folded text can be
 * cut from the original (names keep their accents and case).
 */
export function foldText(text: string): string {
  let folded = "";
  for (const char of text) {
    let plain = char
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[’‘`´]/g, "'");
    // Keep the length in UTF-16 units equal to the original character's.
    if (plain.length !== char.length)
      plain =
        plain.length > char.length ? plain.slice(0, char.length) : plain.padEnd(char.length, " ");
    folded += plain;
  }
  return folded;
}

/** True when the text has no letter or digit at all (empty, emoji, punctuation). */
export function hasNoWords(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}
