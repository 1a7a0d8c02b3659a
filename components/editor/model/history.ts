/**
 * Which changes become their own undo step. A change made under a group key joins the step
 * before it when that step had the same key and was changed less than `idleMs` ago, so a burst
 * of typing in one field, or the many moves of one drag, undo in one go. A gesture (a drag)
 * holds its group open until it ends, however slow it is. Anything else closes the group; so
 * does typing a space (see `typedWordBreak`), so text undoes word by word, not the whole field.
 */
export interface HistoryGrouper {
  /** True when a change under `key` starts a new undo step; null keys always do. */
  startsStep(key: string | null): boolean;
  /** Opens a group that stays open until `endGesture`, whatever the time between changes. */
  beginGesture(key: string): void;
  endGesture(): void;
  /** Forgets the open group (after undo, redo or loading), so the next change is a new step. */
  close(): void;
}

export const TYPING_IDLE_MS = 1000;

export function createHistoryGrouper(
  options: { idleMs?: number; now?: () => number } = {},
): HistoryGrouper {
  const idleMs = options.idleMs ?? TYPING_IDLE_MS;
  const now = options.now ?? (() => Date.now());
  let open: { key: string; at: number } | null = null;
  let gesture: { key: string; recorded: boolean } | null = null;
  return {
    startsStep(key) {
      if (gesture !== null) {
        // The first change of a gesture is the step; the rest join it.
        const first = !gesture.recorded;
        gesture.recorded = true;
        return first;
      }
      const at = now();
      if (key !== null && open !== null && open.key === key && at - open.at <= idleMs) {
        open.at = at;
        return false;
      }
      open = key === null ? null : { key, at };
      return true;
    },
    beginGesture(key) {
      gesture = { key, recorded: false };
      open = null;
    },
    endGesture() {
      gesture = null;
      open = null;
    },
    close() {
      open = null;
    },
  };
}

/**
 * True when `next` differs from `previous` by whitespace typed into one text (a space, a tab, a
 * new line): the end of a word, which ends the undo step so typing undoes word by word.
 */
export function typedWordBreak(previous: unknown, next: unknown): boolean {
  if (typeof previous === "string" && typeof next === "string") {
    if (next.length <= previous.length) return false;
    let start = 0;
    while (start < previous.length && previous[start] === next[start]) start += 1;
    const inserted = next.slice(start, start + next.length - previous.length);
    return next.slice(start + inserted.length) === previous.slice(start) && /^\s+$/.test(inserted);
  }
  if (Array.isArray(previous) && Array.isArray(next)) {
    if (previous.length !== next.length) return false;
    return next.some(
      (item, index) => item !== previous[index] && typedWordBreak(previous[index], item),
    );
  }
  if (isObject(previous) && isObject(next)) {
    return Object.keys(next).some(
      (key) => next[key] !== previous[key] && typedWordBreak(previous[key], next[key]),
    );
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
