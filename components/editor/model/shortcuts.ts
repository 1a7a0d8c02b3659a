/**
 * The editor's keyboard shortcuts, as a pure mapping from a key press to a command. They are
 * ignored while the user types in a field, so Ctrl+Z there undoes typing, not the canvas.
 */
export type ShortcutCommand =
  | "undo"
  | "redo"
  | "copy"
  | "paste"
  | "duplicate"
  | "delete"
  | "clear-selection";

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function shortcutFor(press: KeyPress): ShortcutCommand | null {
  const command = press.ctrlKey || press.metaKey;
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (press.altKey) return null;
  if (command && key === "z") return press.shiftKey ? "redo" : "undo";
  if (press.ctrlKey && !press.metaKey && key === "y") return "redo";
  if (command && !press.shiftKey && key === "c") return "copy";
  if (command && !press.shiftKey && key === "v") return "paste";
  if (command && !press.shiftKey && key === "d") return "duplicate";
  if (!command && (key === "Delete" || key === "Backspace")) return "delete";
  if (!command && key === "Escape") return "clear-selection";
  return null;
}

/** What counts as typing in a field: text inputs, text areas, selects, editable content. */
export interface FocusTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

const NOT_TYPING_INPUTS: ReadonlySet<string> = new Set([
  "button",
  "checkbox",
  "radio",
  "submit",
  "reset",
  "range",
  "color",
  "file",
]);

export function isTypingTarget(target: FocusTarget | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !NOT_TYPING_INPUTS.has((target.type ?? "text").toLowerCase());
  return false;
}
