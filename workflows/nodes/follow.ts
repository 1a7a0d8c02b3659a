import { z } from "zod";
import { defineNode } from "./definition";

export const followConfigSchema = z.object({});
export type FollowConfig = z.output<typeof followConfigSchema>;

export const followNode = defineNode({
  kind: "follow",
  label: "Follow",
  description: "Follows the lead's profile: a light touch before reaching out.",
  icon: "bell-plus",
  colour: "#0d9488",
  group: "action",
  inPalette: true,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: followConfigSchema,
  defaults: (): FollowConfig => ({}),
  summary: () => "Follow profile",
  engine: { sideEffect: "follow", isCondition: false, isWait: false },
});
