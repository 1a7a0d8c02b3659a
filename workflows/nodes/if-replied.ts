import { z } from "zod";
import { defineNode } from "./definition";
import { days, withinDaysSchema } from "./if-accepted";

export const ifRepliedConfigSchema = z.object({
  /** Counted from the last message, note or InMail sent on the lead's path. */
  withinDays: withinDaysSchema,
});
export type IfRepliedConfig = z.output<typeof ifRepliedConfigSchema>;

export const ifRepliedNode = defineNode({
  kind: "if_replied",
  label: "If replied",
  description: "Waits for a reply to the last message sent, up to a number of days.",
  icon: {
    name: "message-circle-reply",
    shapes: [
      { path: "M7.9 20A9 9 0 1 0 4 16.1L2 22z" },
      { path: "m10 9-3 3 3 3M7 12h7a2 2 0 0 1 2 2v1" },
    ],
  },
  colour: "#9333ea",
  group: "condition",
  inPalette: true,
  exits: [
    { handle: "yes", label: "Replied" },
    { handle: "no", label: "No reply" },
  ],
  configSchema: ifRepliedConfigSchema,
  fieldLabels: { withinDays: "Days to wait for a reply" },
  defaults: (): IfRepliedConfig => ({ withinDays: 5 }),
  summary: (config) => `If replied within ${days(config.withinDays)}`,
  branchLabel: (config, exit) =>
    `${exit === "yes" ? "Replied" : "No reply"} within ${days(config.withinDays)}`,
  pathExpectations: [
    {
      fact: "contacted",
      raisedWhen: "may_be_missing",
      severity: "error",
      code: "reply_check_without_message",
      message:
        "Some leads reach this check with nothing sent to them on their path, so there is nothing to reply to. Put a Message, InMail or Connect with a note before it.",
    },
  ],
  engine: {
    isCondition: true,
    isWait: false,
    condition: "replied",
    windowDays: (config: IfRepliedConfig) => config.withinDays,
  },
});
