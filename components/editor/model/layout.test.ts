import { describe, expect, it } from "vitest";
import { starterTemplates } from "@/workflows/templates/index";
import { documentOf } from "./document";
import { layoutDocument, layoutWithRoutes, walkingOrder } from "./layout";
import { CARD_HEIGHT, CARD_WIDTH } from "./operations";

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

describe("connection routes", () => {
  /** True when the axis-aligned segment a–b crosses the inside of the rectangle. */
  function crosses(
    a: { x: number; y: number },
    b: { x: number; y: number },
    box: { x: number; y: number; width: number; height: number },
  ): boolean {
    const inset = 2;
    const left = box.x + inset;
    const right = box.x + box.width - inset;
    const top = box.y + inset;
    const bottom = box.y + box.height - inset;
    const [x1, x2] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
    const [y1, y2] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
    return x1 < right && x2 > left && y1 < bottom && y2 > top;
  }

  it.each(starterTemplates.map((t) => [t.id, t] as const))(
    "%s: no connection passes behind a card, even with cards of different heights",
    async (_id, starter) => {
      const doc = documentOf(structuredClone(starter.graph));
      const sizeOf = (id: string) => ({
        width: CARD_WIDTH,
        height: CARD_HEIGHT + (id.length % 3) * 40,
      });
      const { positions, routes } = await layoutWithRoutes(doc, sizeOf);
      expect(routes.size).toBe(doc.edges.length);
      for (const edge of doc.edges) {
        const points = routes.get(edge.id)!.points;
        expect(points.length).toBeGreaterThanOrEqual(2);
        for (const node of doc.nodes) {
          if (node.id === edge.source || node.id === edge.target) continue;
          const box = { ...positions.get(node.id)!, ...sizeOf(node.id) };
          for (let i = 1; i < points.length; i += 1) {
            expect(
              crosses(points[i - 1]!, points[i]!, box),
              `${edge.source}→${edge.target} behind ${node.id}`,
            ).toBe(false);
          }
        }
      }
    },
  );
});
