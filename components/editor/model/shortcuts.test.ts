import { describe, expect, it } from "vitest";
import { isTypingTarget, type KeyPress, shortcutFor } from "./shortcuts";

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe("keyboard shortcuts", () => {
  it.each([
    [press("z", { ctrlKey: true }), "undo"],
    [press("z", { metaKey: true }), "undo"],
    [press("Z", { ctrlKey: true, shiftKey: true }), "redo"],
    [press("z", { metaKey: true, shiftKey: true }), "redo"],
    [press("y", { ctrlKey: true }), "redo"],
    [press("c", { metaKey: true }), "copy"],
    [press("v", { ctrlKey: true }), "paste"],
    [press("d", { ctrlKey: true }), "duplicate"],
    [press("Delete"), "delete"],
    [press("Backspace"), "delete"],
    [press("Escape"), "clear-selection"],
  ] as const)("%o is %s", (keyPress, command) => {
    expect(shortcutFor(keyPress)).toBe(command);
  });

  it("plain letters, Cmd+Y and Alt combinations do nothing", () => {
    expect(shortcutFor(press("z"))).toBeNull();
    expect(shortcutFor(press("d"))).toBeNull();
    expect(shortcutFor(press("y", { metaKey: true }))).toBeNull();
    expect(shortcutFor(press("z", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(press("Delete", { ctrlKey: true }))).toBeNull();
  });

  it("is ignored while typing in a field, not on buttons and check boxes", () => {
    expect(isTypingTarget({ tagName: "INPUT", type: "text" })).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "number" })).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT" })).toBe(true);
    expect(isTypingTarget({ tagName: "TEXTAREA" })).toBe(true);
    expect(isTypingTarget({ tagName: "SELECT" })).toBe(true);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(isTypingTarget({ tagName: "BUTTON" })).toBe(false);
    expect(isTypingTarget({ tagName: "DIV" })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
