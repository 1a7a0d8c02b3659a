import { z } from "zod";
import { defineNode, type SendInput, type SendPlan, type SendRoute } from "./definition";

export const followConfigSchema = z.object({});
export type FollowConfig = z.output<typeof followConfigSchema>;

export const followNode = defineNode({
  kind: "follow",
  label: "Follow",
  description: "Follows the lead's profile: a light touch before reaching out.",
  icon: {
    name: "bell-plus",
    shapes: [
      { path: "M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-1-.7-1.9-2.6" },
      { path: "M10.3 21a1.9 1.9 0 0 0 3.4 0M19 2v6M16 5h6" },
    ],
  },
  colour: "#0d9488",
  group: "action",
  inPalette: true,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: followConfigSchema,
  defaults: (): FollowConfig => ({}),
  summary: () => "Follow profile",
  engine: { isCondition: false, isWait: false },
  send: {
    action: "follow" as const,
    defaultDailyCap: 40,
    capLabel: "Follows a day",
    plural: "Follows",
    timeline: "Follow",
    chartColour: "#0ea5e9",
    writesText: false,
    doneExit: "next",
    prepare: (
      _config: FollowConfig,
      _input: SendInput,
    ): SendPlan<"follow", Record<string, never>> => ({
      action: "follow",
      request: {},
      variant: null,
      hasText: false,
      credits: 0,
    }),
    notSent: (_config: FollowConfig, reason: string): SendRoute => ({
      type: "exit",
      exit: "next",
      note: `not done: ${reason}`,
    }),
  },
});
