import { describe, expect, it } from "vitest";
import { copySelection, duplicateSelection, PASTE_OFFSET, pasteClipboard } from "./clipboard";
import { updateConfig } from "./operations";
import { countingIds, documentFrom, wiring } from "./test-helpers";

const document = documentFrom(
  [
    ["start", "start"],
    ["invite", "connect"],
    ["accepted", "if_accepted"],
    ["done", "end"],
  ],
  ["start.next>invite", "invite.next>accepted", "accepted.no>done"],
);

describe("copy and paste", () => {
  it("copies the selected steps with the connections between them, never the start", () => {
    const content = copySelection(document, ["start", "invite", "accepted"])!;
    expect(content.nodes.map((node) => node.id)).toEqual(["invite", "accepted"]);
    expect(content.edges.map((edge) => edge.id)).toEqual(["invite-next"]);
    expect(copySelection(document, ["start"])).toBeNull();
  });

  it("pastes new steps with new ids, shifted, wired among themselves only", () => {
    const content = copySelection(document, ["invite", "accepted"])!;
    const pasted = pasteClipboard(document, content, { offset: PASTE_OFFSET, ids: countingIds() });
    expect(pasted.nodeIds).toEqual(["connect-1", "if-accepted-2"]);
    expect(wiring(pasted.document)).toEqual(
      [...wiring(document), "connect-1.next>if-accepted-2"].sort(),
    );
    const copy = pasted.document.nodes.find((node) => node.id === "connect-1")!;
    const original = document.nodes.find((node) => node.id === "invite")!;
    expect(copy.position).toEqual({
      x: original.position.x + PASTE_OFFSET,
      y: original.position.y + PASTE_OFFSET,
    });
  });

  it("a copy does not change when the original is edited afterwards", () => {
    const content = copySelection(document, ["invite"])!;
    const edited = updateConfig(document, "invite", { noteVariants: [], skipIfConnected: false });
    const pasted = pasteClipboard(edited, content, { offset: PASTE_OFFSET, ids: countingIds() });
    expect(pasted.document.nodes.at(-1)!.config).toEqual({
      noteVariants: [],
      skipIfConnected: true,
    });
  });

  it("duplicates in one go, leaving the clipboard alone", () => {
    const duplicated = duplicateSelection(document, ["done"], countingIds());
    expect(duplicated.nodeIds).toEqual(["end-1"]);
    expect(duplicated.document.nodes).toHaveLength(5);
    expect(duplicateSelection(document, ["start"], countingIds()).nodeIds).toEqual([]);
  });
});
