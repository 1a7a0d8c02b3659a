import { z } from "zod";
import { defineNode, type SendInput, type SendPlan, type SendRoute } from "./definition";

export const visitConfigSchema = z.object({});
export type VisitConfig = z.output<typeof visitConfigSchema>;

export const visitNode = defineNode({
  kind: "visit",
  label: "Visit profile",
  description: "Views the lead's profile; they may see the visit.",
  icon: {
    name: "eye",
    shapes: [
      { path: "M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" },
      { circle: { cx: 12, cy: 12, r: 3 } },
    ],
  },
  colour: "#0891b2",
  group: "action",
  inPalette: true,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: visitConfigSchema,
  defaults: (): VisitConfig => ({}),
  summary: () => "Visit profile",
  engine: {
    isCondition: false,
    isWait: false,
    /** Reading the profile also refreshes network distance, Premium and Open Profile flags. */
    refreshesProfile: true,
  },
  send: {
    action: "visit" as const,
    defaultDailyCap: 80,
    capLabel: "Profile visits a day",
    plural: "Visits",
    timeline: "Profile visit",
    chartColour: "#64748b",
    writesText: false,
    doneExit: "next",
    prepare: (
      _config: VisitConfig,
      _input: SendInput,
    ): SendPlan<"visit", Record<string, never>> => ({
      action: "visit",
      request: {},
      variant: null,
      hasText: false,
      credits: 0,
    }),
    notSent: (_config: VisitConfig, reason: string): SendRoute => ({
      type: "exit",
      exit: "next",
      note: `not done: ${reason}`,
    }),
  },
});
