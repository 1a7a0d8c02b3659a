/**
 * LinkedIn's character limits, in one place.
 * The connection-note limit is the paid-account one; free accounts get 200.
 */
export const TEXT_LIMITS = {
  connectNote: 300,
  inmailSubject: 200,
  inmailBody: 1900,
  message: 8000,
} as const;

export type TextLimitName = keyof typeof TEXT_LIMITS;

/** InMails shorter than this perform better; the editor hints at it. */
export const INMAIL_BODY_HINT_LENGTH = 400;

/**
 * Counts characters the way LinkedIn's text boxes do (UTF-16 code units, like a browser's
 * `maxlength`). An emoji counts as 2, so we never under-count against LinkedIn's own counter.
 */
export function characterCount(text: string): number {
  return text.length;
}

export function exceedsLimit(text: string, limit: number): boolean {
  return characterCount(text) > limit;
}

/** "8,000" — limits are shown to users with a thousands separator. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
