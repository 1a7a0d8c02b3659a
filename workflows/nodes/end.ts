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
  icon: "flag",
  colour: "#64748b",
  group: "exit",
  inPalette: true,
  exits: [],
  configSchema: endConfigSchema,
  fieldLabels: { outcome: "Outcome" },
  defaults: (): EndConfig => ({ outcome: "no answer" }),
  summary: (config) => `End · ${config.outcome}`,
  engine: { sideEffect: null, isCondition: false, isWait: false },
});
