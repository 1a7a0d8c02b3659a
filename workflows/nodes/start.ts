import { z } from "zod";
import { defineNode } from "./definition";

export const startConfigSchema = z.object({
  /** Who enters. Only "every lead enrolled in the campaign" for now; filters may come later. */
  leads: z.literal("all_enrolled", { error: 'should be "all_enrolled"' }),
});
export type StartConfig = z.output<typeof startConfigSchema>;

export const startNode = defineNode({
  kind: "start",
  label: "Start",
  description: "Where every enrolled lead enters the campaign.",
  icon: {
    name: "play",
    shapes: [{ path: "M7 4.5v15l12-7.5z" }],
  },
  colour: "#475569",
  group: "entry",
  inPalette: false,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: startConfigSchema,
  fieldLabels: { leads: "Leads" },
  defaults: (): StartConfig => ({ leads: "all_enrolled" }),
  summary: () => "Start · all enrolled leads",
  engine: { isCondition: false, isWait: false },
});
