import { z } from "zod";
import { migrateGraph } from "./migrate";
import {
  CURRENT_SCHEMA_VERSION,
  type DraftGraph,
  draftGraphSchema,
  type Graph,
  graphSchema,
} from "./schema";

export type ParseResult<Parsed> =
  | { ok: true; graph: Parsed; migratedFrom: number | null }
  | { ok: false; message: string };

function parseWith<Parsed>(schema: z.ZodType<Parsed>, input: unknown): ParseResult<Parsed> {
  const migration = migrateGraph(input);
  if (!migration.ok) return { ok: false, message: migration.message };
  const parsed = schema.safeParse(migration.graph);
  if (!parsed.success) return { ok: false, message: z.prettifyError(parsed.error) };
  return {
    ok: true,
    graph: parsed.data,
    migratedFrom: migration.fromVersion === CURRENT_SCHEMA_VERSION ? null : migration.fromVersion,
  };
}

/**
 * A graph with every config valid for its kind, upgraded to the current schema: what the engine
 * runs. Wiring rules are not checked here; publish only graphs `validateGraph` accepts.
 */
export function parseGraph(input: unknown): ParseResult<Graph> {
  return parseWith(graphSchema, input);
}

/** The structure only (configs may be half-filled): what the editor loads and saves. */
export function parseDraftGraph(input: unknown): ParseResult<DraftGraph> {
  return parseWith(draftGraphSchema, input);
}
