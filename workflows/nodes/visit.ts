import { z } from "zod";
import { defineNode } from "./definition";

export const visitConfigSchema = z.object({});
export type VisitConfig = z.output<typeof visitConfigSchema>;

export const visitNode = defineNode({
  kind: "visit",
  label: "Visit profile",
  description: "Views the lead's profile; they may see the visit.",
  icon: "eye",
  colour: "#0891b2",
  group: "action",
  inPalette: true,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: visitConfigSchema,
  defaults: (): VisitConfig => ({}),
  summary: () => "Visit profile",
  engine: {
    sideEffect: "visit",
    isCondition: false,
    isWait: false,
    /** Reading the profile also refreshes network distance, Premium and Open Profile flags. */
    refreshesProfile: true,
  },
});
