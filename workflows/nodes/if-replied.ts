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
  icon: "message-circle-reply",
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
    sideEffect: null,
    isCondition: true,
    isWait: false,
    condition: "replied",
    windowDays: (config: IfRepliedConfig) => config.withinDays,
  },
});
