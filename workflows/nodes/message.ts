import { z } from "zod";
import { defineNode, type NodeIssue } from "./definition";
import { TEXT_LIMITS } from "./limits";
import { checkTemplatedText, worstCaseLength } from "./text-checks";
import { variantIdSchema, variantName, variantRules } from "./variants";

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

export const messageNode = defineNode({
  kind: "message",
  label: "Message",
  description: "Sends a message to a 1st-degree connection, in the existing chat if there is one.",
  icon: "message-square",
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
    sideEffect: "message",
    isCondition: false,
    isWait: false,
    requiresConnection: true,
    continuesExistingChat: true,
  },
});
