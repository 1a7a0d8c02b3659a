import { describe, expect, it } from "vitest";
import { checkConnection, connect, openExits } from "./connections";
import { countingIds, documentFrom, wiring } from "./test-helpers";

const document = documentFrom(
  [
    ["start", "start"],
    ["invite", "connect"],
    ["accepted", "if_accepted"],
    ["thanks", "message"],
    ["done", "end"],
  ],
  ["start.next>invite", "invite.next>accepted"],
);

describe("connection rules", () => {
  it("accepts an exit of the source into another step", () => {
    expect(
      checkConnection(document, { source: "accepted", sourceHandle: "yes", target: "thanks" }),
    ).toEqual({
      ok: true,
    });
  });

  it("refuses a connection into the start", () => {
    const check = checkConnection(document, {
      source: "thanks",
      sourceHandle: "next",
      target: "start",
    });
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/Nothing leads into Start/) });
  });

  it("refuses a step connected to itself", () => {
    const check = checkConnection(document, {
      source: "thanks",
      sourceHandle: "next",
      target: "thanks",
    });
    expect(check).toEqual({ ok: false, reason: "A step cannot lead to itself." });
  });

  it("refuses an exit the source kind does not have, and steps not on the canvas", () => {
    expect(
      checkConnection(document, { source: "invite", sourceHandle: "yes", target: "thanks" }).ok,
    ).toBe(false);
    expect(
      checkConnection(document, { source: "done", sourceHandle: "next", target: "thanks" }).ok,
    ).toBe(false);
    expect(
      checkConnection(document, { source: "ghost", sourceHandle: "next", target: "thanks" }).ok,
    ).toBe(false);
  });

  it("keeps one connection per exit: connecting a wired exit again moves its connection", () => {
    const ids = countingIds();
    const once = connect(
      document,
      { source: "accepted", sourceHandle: "yes", target: "thanks" },
      ids,
    );
    const moved = connect(once, { source: "accepted", sourceHandle: "yes", target: "done" }, ids);
    expect(wiring(moved)).toEqual([
      "accepted.yes>done",
      "invite.next>accepted",
      "start.next>invite",
    ]);
    expect(moved.edges.find((edge) => edge.target === "done")?.id).toBe("accepted-yes");
  });

  it("leaves the document untouched (same object) for a refused or repeated connection", () => {
    const ids = countingIds();
    expect(
      connect(document, { source: "thanks", sourceHandle: "next", target: "start" }, ids),
    ).toBe(document);
    expect(
      connect(document, { source: "start", sourceHandle: "next", target: "invite" }, ids),
    ).toBe(document);
  });

  it("lists a step's open exits in the kind's order, yes before no", () => {
    expect(openExits(document, "accepted")).toEqual(["yes", "no"]);
    const wired = connect(
      document,
      { source: "accepted", sourceHandle: "yes", target: "thanks" },
      countingIds(),
    );
    expect(openExits(wired, "accepted")).toEqual(["no"]);
    expect(openExits(document, "done")).toEqual([]);
  });
});
