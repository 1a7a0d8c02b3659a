import { z } from "zod";
import {
  defineNode,
  type NodeIssue,
  type SendInput,
  type SendPlan,
  type SendRoute,
} from "./definition";
import { TEXT_LIMITS } from "./limits";
import { cannotRender, stopped } from "./send";
import { renderForSend } from "./template";
import { checkTemplatedText, worstCaseLength } from "./text-checks";
import { pickVariant, variantIdSchema, variantName, variantRules } from "./variants";

export const messageVariantSchema = z.object({
  id: variantIdSchema,
  weight: z.number(),
  text: z.string(),
});

export const messageConfigSchema = z.object({
  variants: z
    .array(messageVariantSchema)
    .superRefine(variantRules({ minimum: 1, noun: "message" })),
});
export type MessageConfig = z.output<typeof messageConfigSchema>;

/** A message to a connection, in the existing chat when there is one. */
export type MessagePlan = SendPlan<"message", { text: string; chatId?: string | null }>;

export function messagePlan(variant: string, text: string): MessagePlan {
  return { action: "message", request: { text }, variant, hasText: true, credits: 0 };
}

export const messageNode = defineNode({
  kind: "message",
  label: "Message",
  description: "Sends a message to a 1st-degree connection, in the existing chat if there is one.",
  icon: {
    name: "message-square",
    shapes: [{ path: "M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" }],
  },
  colour: "#16a34a",
  group: "action",
  inPalette: true,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: messageConfigSchema,
  fieldLabels: { variants: "Message" },
  defaults: (): MessageConfig => ({
    variants: [{ id: "a", weight: 1, text: "Hi {{firstName|there}}, thanks for connecting!" }],
  }),
  summary: (config) => {
    const longest = Math.max(0, ...config.variants.map((variant) => worstCaseLength(variant.text)));
    return config.variants.length > 1
      ? `Message · A/B ${config.variants.length} · up to ${longest} chars`
      : `Message · ${longest} chars`;
  },
  validate: (config, context) =>
    config.variants.flatMap((variant, index, variants): NodeIssue[] => {
      const name = variantName("message", index, variants.length);
      if (variant.text.trim() === "") {
        return [{ severity: "error", code: "empty_text", message: `${name} is empty.` }];
      }
      return checkTemplatedText(variant.text, { name, limit: TEXT_LIMITS.message }, context);
    }),
  pathEffects: () => ({ next: ["contacted"] }),
  pathExpectations: [
    {
      fact: "connected",
      raisedWhen: "may_be_missing",
      severity: "warning",
      code: "message_may_not_reach_connection",
      message:
        "Some leads may reach this message without being connected, and LinkedIn only lets you message 1st-degree connections. Put it behind the “Accepted” exit of an If accepted step, or use an InMail.",
    },
  ],
  engine: {
    isCondition: false,
    isWait: false,
    requiresConnection: true,
    continuesExistingChat: true,
  },
  send: {
    action: "message" as const,
    defaultDailyCap: 60,
    capLabel: "Messages a day",
    plural: "Messages",
    timeline: "Message",
    chartColour: "#16a34a",
    writesText: true,
    doneExit: "next",
    prepare: (config: MessageConfig, input: SendInput): MessagePlan | SendRoute => {
      const variant = pickVariant(config.variants, input.roll);
      if (!variant) return stopped("no message text");
      const rendered = renderForSend(variant.text, input.lead, TEXT_LIMITS.message);
      if (!rendered.ok) return cannotRender("message", rendered);
      return messagePlan(variant.id, rendered.text);
    },
    notSent: (_config: MessageConfig, reason: string): SendRoute => stopped(reason),
  },
});
