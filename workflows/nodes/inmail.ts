import { z } from "zod";
import {
  defineNode,
  type NodeIssue,
  type SendInput,
  type SendPlan,
  type SendRoute,
} from "./definition";
import { formatCount, INMAIL_BODY_HINT_LENGTH, TEXT_LIMITS } from "./limits";
import { type MessagePlan, messagePlan } from "./message";
import { cannotRender } from "./send";
import { analyseTemplate, previewTemplate, renderForSend } from "./template";
import { checkTemplatedText, worstCaseLength } from "./text-checks";
import { pickVariant, variantIdSchema, variantName, variantRules } from "./variants";

/**
 * Why an InMail left by the "not_sent" exit. The provider tells a refusal apart from missing
 * credits (`not_allowed_inmail` vs `insufficient_credits`) and the lead is routed, never dropped.
 */
export const INMAIL_NOT_SENT_REASONS = {
  no_credit: "No InMail credit left",
  budget_reached: "The campaign's InMail budget is reached",
  recipient_refuses_inmail: "The recipient does not accept InMail",
  not_reachable: "The recipient cannot be reached",
  first_degree_skipped: "Already a connection, and this step skips connections",
} as const;
export type InMailNotSentReason = keyof typeof INMAIL_NOT_SENT_REASONS;

export const inmailVariantSchema = z.object({
  id: variantIdSchema,
  weight: z.number(),
  subject: z.string(),
  body: z.string(),
});

export const inmailConfigSchema = z.object({
  variants: z.array(inmailVariantSchema).superRefine(variantRules({ minimum: 1, noun: "InMail" })),
  /**
   * LinkedIn does not deliver InMail to 1st-degree connections. "send_message" sends the body
   * as a normal message (free, leaves by "sent"); "skip" leaves by "not_sent".
   */
  firstDegree: z.enum(["send_message", "skip"], 'should be "send_message" or "skip"'),
});
export type InMailConfig = z.output<typeof inmailConfigSchema>;

function checkVariant(
  variant: InMailConfig["variants"][number],
  name: string,
  context: Parameters<typeof checkTemplatedText>[2],
): NodeIssue[] {
  const issues: NodeIssue[] = [];
  for (const [part, text, limit] of [
    ["subject", variant.subject, TEXT_LIMITS.inmailSubject],
    ["body", variant.body, TEXT_LIMITS.inmailBody],
  ] as const) {
    if (text.trim() === "") {
      issues.push({
        severity: "error",
        code: "empty_text",
        message: `${name}: the ${part} is empty.`,
      });
      continue;
    }
    issues.push(...checkTemplatedText(text, { name: `${name}, ${part}`, limit }, context));
  }
  const bodyLength = analyseTemplate(variant.body, context.template).literalLength;
  if (bodyLength > INMAIL_BODY_HINT_LENGTH && bodyLength <= TEXT_LIMITS.inmailBody) {
    issues.push({
      severity: "warning",
      code: "inmail_body_long",
      message: `${name}: the body is ${formatCount(bodyLength)} characters. InMails under ${INMAIL_BODY_HINT_LENGTH} characters get more replies.`,
    });
  }
  return issues;
}

export const inmailNode = defineNode({
  kind: "inmail",
  label: "InMail",
  description: "Sends an InMail, using one credit; leads it cannot reach leave by “Not sent”.",
  icon: {
    name: "mail",
    shapes: [{ rect: { x: 2, y: 4, width: 20, height: 16, rx: 2 } }, { path: "m22 7-10 6L2 7" }],
  },
  colour: "#d97706",
  group: "action",
  inPalette: true,
  exits: [
    { handle: "sent", label: "Sent" },
    { handle: "not_sent", label: "Not sent" },
  ],
  configSchema: inmailConfigSchema,
  fieldLabels: { variants: "InMail", subject: "subject", body: "body", firstDegree: "Connections" },
  defaults: (): InMailConfig => ({
    variants: [
      {
        id: "a",
        weight: 1,
        subject: "Quick question, {{firstName|there}}",
        body: "Hi {{firstName|there}}, I noticed your work at {{company|your company}}. Open to a short chat?",
      },
    ],
    firstDegree: "send_message",
  }),
  summary: (config) => {
    // A label, not the template: "Quick question, there" rather than raw {{…}} syntax.
    const subject = previewTemplate(config.variants[0]?.subject ?? "");
    const longest = Math.max(0, ...config.variants.map((variant) => worstCaseLength(variant.body)));
    return config.variants.length > 1
      ? `InMail · A/B ${config.variants.length} · '${subject}' · up to ${longest} chars`
      : `InMail · '${subject}' · ${longest} chars`;
  },
  validate: (config, context) =>
    config.variants.flatMap((variant, index, variants) =>
      checkVariant(variant, variantName("InMail", index, variants.length), context),
    ),
  pathEffects: () => ({ sent: ["contacted"] }),
  pathExpectations: [
    {
      fact: "connected",
      raisedWhen: "may_be_present",
      severity: "warning",
      code: "inmail_to_connection",
      message:
        "Leads on this path have accepted your invitation: a Message reaches them for free, while an InMail step is meant for people you are not connected to.",
    },
  ],
  engine: {
    isCondition: false,
    isWait: false,
    notSentReasons: Object.keys(INMAIL_NOT_SENT_REASONS) as InMailNotSentReason[],
    firstDegree: (config: InMailConfig) => config.firstDegree,
  },
  send: {
    action: "inmail" as const,
    defaultDailyCap: 30,
    capLabel: "InMails a day",
    plural: "InMails",
    timeline: "InMail",
    chartColour: "#9333ea",
    writesText: true,
    doneExit: "sent",
    prepare: (
      config: InMailConfig,
      input: SendInput,
    ): SendPlan<"inmail", { subject: string; body: string }> | MessagePlan | SendRoute => {
      const variant = pickVariant(config.variants, input.roll);
      if (!variant) return { type: "end", outcome: "stopped", reason: "no InMail text" };
      const body = renderForSend(variant.body, input.lead, TEXT_LIMITS.inmailBody);
      if (!body.ok) return cannotRender("InMail body", body);
      if (input.firstDegree) {
        // LinkedIn does not deliver InMail to a connection; a normal message is free.
        if (config.firstDegree === "skip") {
          return { type: "exit", exit: "not_sent", note: "not sent: first_degree_skipped" };
        }
        return messagePlan(variant.id, body.text);
      }
      const subject = renderForSend(variant.subject, input.lead, TEXT_LIMITS.inmailSubject);
      if (!subject.ok) return cannotRender("InMail subject", subject);
      return {
        action: "inmail",
        request: { subject: subject.text, body: body.text },
        variant: variant.id,
        hasText: true,
        credits: input.isOpenProfile ? 0 : 1,
      };
    },
    notSent: (_config: InMailConfig, reason: string): SendRoute => ({
      type: "exit",
      exit: "not_sent",
      note: `not sent: ${reason}`,
    }),
  },
});
