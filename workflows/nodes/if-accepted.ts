import { z } from "zod";
import { defineNode } from "./definition";

export const MAX_CONDITION_DAYS = 90;

export const withinDaysSchema = z
  .int()
  .min(1, "should be at least 1 day")
  .max(MAX_CONDITION_DAYS, `should be at most ${MAX_CONDITION_DAYS} days`);

export const ifAcceptedConfigSchema = z.object({
  /** Counted from the last invitation sent on the lead's path. */
  withinDays: withinDaysSchema,
});
export type IfAcceptedConfig = z.output<typeof ifAcceptedConfigSchema>;

export function days(count: number): string {
  return `${count} day${count === 1 ? "" : "s"}`;
}

export const ifAcceptedNode = defineNode({
  kind: "if_accepted",
  label: "If accepted",
  description: "Waits for the invitation to be accepted, up to a number of days.",
  icon: {
    name: "user-check",
    shapes: [
      { circle: { cx: 9, cy: 8, r: 4 } },
      { path: "M2 21c.8-3.7 3.6-6 7-6s6.2 2.3 7 6M16 11l2 2 4-4" },
    ],
  },
  colour: "#7c3aed",
  group: "condition",
  inPalette: true,
  exits: [
    { handle: "yes", label: "Accepted" },
    { handle: "no", label: "Not accepted" },
  ],
  configSchema: ifAcceptedConfigSchema,
  fieldLabels: { withinDays: "Days to wait for acceptance" },
  defaults: (): IfAcceptedConfig => ({ withinDays: 7 }),
  summary: (config) => `If accepted within ${days(config.withinDays)}`,
  branchLabel: (config, exit) =>
    `${exit === "yes" ? "Accepted" : "Not accepted"} within ${days(config.withinDays)}`,
  pathEffects: () => ({ yes: ["connected"] }),
  pathExpectations: [
    {
      fact: "invited",
      raisedWhen: "may_be_missing",
      severity: "error",
      code: "acceptance_check_without_invitation",
      message:
        "Some leads reach this check without an invitation sent on their path, so there is nothing to accept. Put a Connect step before it.",
    },
  ],
  engine: {
    isCondition: true,
    isWait: false,
    condition: "invitation_accepted",
    windowDays: (config: IfAcceptedConfig) => config.withinDays,
  },
});
