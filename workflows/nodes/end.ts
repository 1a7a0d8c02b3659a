import { z } from "zod";
import { defineNode } from "./definition";

export const MAX_OUTCOME_LENGTH = 60;

/** Offered in the inspector; any short label is allowed. */
export const SUGGESTED_OUTCOMES = [
  "replied",
  "not interested",
  "no answer",
  "not connected",
  "InMail not sent",
] as const;

export const endConfigSchema = z.object({
  outcome: z
    .string()
    .trim()
    .min(1, "give this ending a name, for example “replied” or “no answer”")
    .max(MAX_OUTCOME_LENGTH, `should be at most ${MAX_OUTCOME_LENGTH} characters`),
});
export type EndConfig = z.output<typeof endConfigSchema>;

export const endNode = defineNode({
  kind: "end",
  label: "End",
  description: "Leads stop here; the outcome label shows in results.",
  icon: {
    name: "flag",
    shapes: [{ path: "M4 22V4s1.5-1 4.5-1S13 5 16 5s4-1 4-1v11s-1 1-4 1-4.5-2-7.5-2S4 15 4 15" }],
  },
  colour: "#64748b",
  group: "exit",
  inPalette: true,
  exits: [],
  configSchema: endConfigSchema,
  fieldLabels: { outcome: "Outcome" },
  defaults: (): EndConfig => ({ outcome: "no answer" }),
  summary: (config) => `End · ${config.outcome}`,
  engine: { isCondition: false, isWait: false },
});
