import { z } from "zod";
import { defineNode, type WaitDuration } from "./definition";

/** Longer waits are almost always a typo, and would hold leads for a whole quarter. */
export const MAX_WAIT_DAYS = 90;

export const waitConfigSchema = z
  .object({
    amount: z.int().min(1, "wait at least 1 hour or 1 day"),
    unit: z.enum(["hours", "days"], 'should be "hours" or "days"'),
    /** Count only Monday to Friday (the sender account's working days). */
    workingDaysOnly: z.boolean(),
  })
  .refine(
    (config) => (config.unit === "days" ? config.amount : config.amount / 24) <= MAX_WAIT_DAYS,
    { message: `wait at most ${MAX_WAIT_DAYS} days`, path: ["amount"] },
  );
export type WaitConfig = z.output<typeof waitConfigSchema>;

function plural(amount: number, unit: string): string {
  return `${amount} ${unit}${amount === 1 ? "" : "s"}`;
}

export function waitDuration(config: WaitConfig): WaitDuration {
  return {
    amount: config.amount,
    unit: config.unit,
    // Working days only mean something when counting days.
    workingDaysOnly: config.unit === "days" && config.workingDaysOnly,
  };
}

export const waitNode = defineNode({
  kind: "wait",
  label: "Wait",
  description: "Pauses the lead for some hours or days before the next step.",
  icon: {
    name: "clock",
    shapes: [{ circle: { cx: 12, cy: 12, r: 9 } }, { path: "M12 7v5l3 2" }],
  },
  colour: "#a16207",
  group: "timing",
  inPalette: true,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: waitConfigSchema,
  fieldLabels: { amount: "Duration", unit: "Unit", workingDaysOnly: "Working days only" },
  defaults: (): WaitConfig => ({ amount: 2, unit: "days", workingDaysOnly: false }),
  summary: (config) => {
    const duration = waitDuration(config);
    if (duration.unit === "hours") return `Wait ${plural(duration.amount, "hour")}`;
    return `Wait ${plural(duration.amount, duration.workingDaysOnly ? "working day" : "day")}`;
  },
  validate: (config) =>
    config.unit === "hours" && config.workingDaysOnly
      ? [
          {
            severity: "warning",
            code: "wait_working_days_ignored",
            message: "“Working days only” applies to waits in days; this wait is in hours.",
          },
        ]
      : [],
  engine: { isCondition: false, isWait: true, waitDuration },
});
