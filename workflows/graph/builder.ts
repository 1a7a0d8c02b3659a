/**
 * A small fluent builder for graphs in code: starter templates, tests, seeds.
 *
 *   buildGraph().node("start", "start").node("visit", "visit").chain("start", "visit")...
 */
import { defaultConfig, type ExitHandle, type NodeConfig, type NodeKind } from "../nodes/index";
import {
  CURRENT_SCHEMA_VERSION,
  type Graph,
  type GraphEdge,
  type GraphNode,
  type Position,
} from "./schema";

/** Vertical distance between steps in auto layout (top to bottom). */
export const LAYOUT_ROW_HEIGHT = 200;

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];

  /** Adds a step; config fields not given take the kind's defaults. */
  node<Kind extends NodeKind>(
    id: string,
    kind: Kind,
    config: Partial<NodeConfig<Kind>> = {},
    position: Position = { x: 0, y: this.nodes.length * LAYOUT_ROW_HEIGHT },
  ): this {
    const fullConfig = { ...(defaultConfig(kind) as object), ...config } as NodeConfig<Kind>;
    this.nodes.push({ id, kind, position, config: fullConfig } as GraphNode);
    return this;
  }

  /** Connects an exit of `source` to `target`; the id defaults to `source-exit`. */
  edge(source: string, exit: ExitHandle, target: string, id = `${source}-${exit}`): this {
    this.edges.push({ id, source, sourceHandle: exit, target });
    return this;
  }

  /** Connects the "next" exits of consecutive steps: chain("a", "b", "c") is a → b → c. */
  chain(...ids: string[]): this {
    for (let index = 1; index < ids.length; index += 1) {
      this.edge(ids[index - 1]!, "next", ids[index]!);
    }
    return this;
  }

  build(): Graph {
    return {
      schemaVersion: CURRENT_SCHEMA_VERSION,
      nodes: structuredClone(this.nodes),
      edges: structuredClone(this.edges),
    };
  }
}

export function buildGraph(): GraphBuilder {
  return new GraphBuilder();
}
