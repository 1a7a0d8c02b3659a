import { describe, expect, it } from "vitest";
import { starterTemplates } from "@/workflows/templates/index";
import { documentOf } from "./document";
import { layoutDocument, walkingOrder } from "./layout";

const template = starterTemplates.find((t) => t.id === "connect-then-inmail")!;
const document = documentOf(structuredClone(template.graph));
const noSizes = () => undefined;

describe("auto-layout", () => {
  it("puts the yes branch left of the no branch, and Sent left of Not sent", async () => {
    const positions = await layoutDocument(document, noSizes);
    // accepted: yes → thanks, no → inmail; inmail: sent → replied-to-inmail, not_sent → end-not-sent
    expect(positions.get("thanks")!.x).toBeLessThan(positions.get("inmail")!.x);
    expect(positions.get("replied-to-inmail")!.x).toBeLessThan(positions.get("end-not-sent")!.x);
  });

  it("lays steps out top to bottom in the order leads walk them", async () => {
    const positions = await layoutDocument(document, noSizes);
    const y = (id: string) => positions.get(id)!.y;
    expect(y("start")).toBeLessThan(y("connect"));
    expect(y("connect")).toBeLessThan(y("accepted"));
    expect(y("accepted")).toBeLessThan(y("thanks"));
    expect(y("thanks")).toBeLessThan(y("replied-to-message"));
  });

  it("is stable: the same graph gets the same layout, whatever order its arrays are in", async () => {
    const first = await layoutDocument(document, noSizes);
    const shuffled = {
      nodes: [...document.nodes].reverse(),
      edges: [...document.edges].reverse(),
    };
    const second = await layoutDocument(shuffled, noSizes);
    expect([...second].sort()).toEqual([...first].sort());
    const again = await layoutDocument(document, noSizes);
    expect(again).toEqual(first);
  });

  it("walks from the start, exits in kind order, then the steps nothing reaches", () => {
    const withStray = {
      nodes: [
        ...document.nodes,
        { id: "stray", kind: "visit" as const, position: { x: 0, y: 0 }, config: {} },
      ],
      edges: document.edges,
    };
    const order = walkingOrder(withStray).map((node) => node.id);
    expect(order.slice(0, 5)).toEqual(["start", "connect", "accepted", "thanks", "inmail"]);
    expect(order.at(-1)).toBe("stray");
  });

  it("uses the measured size of each card", async () => {
    const tall = await layoutDocument(document, (id) =>
      id === "connect" ? { width: 256, height: 400 } : undefined,
    );
    const normal = await layoutDocument(document, noSizes);
    expect(tall.get("accepted")!.y - tall.get("connect")!.y).toBeGreaterThan(
      normal.get("accepted")!.y - normal.get("connect")!.y,
    );
  });
});
