import { z } from "zod";
import { defineNode, type SendInput, type SendPlan, type SendRoute } from "./definition";
import { TEXT_LIMITS } from "./limits";
import { cannotRender, stopped } from "./send";
import { renderForSend } from "./template";
import { checkTemplatedText, worstCaseLength } from "./text-checks";
import { pickVariant, variantIdSchema, variantName, variantRules } from "./variants";

export const noteVariantSchema = z.object({
  id: variantIdSchema,
  weight: z.number(),
  /** Blank means this variant sends the invitation without a note (a common A/B test). */
  text: z.string(),
});

export const connectConfigSchema = z.object({
  /** No variants: invitations go without a note. */
  noteVariants: z.array(noteVariantSchema).superRefine(variantRules({ minimum: 0, noun: "note" })),
  /**
   * When the lead is already a 1st-degree connection no invitation can be sent: true moves the
   * lead on along "next", false stops the lead here.
   */
  skipIfConnected: z.boolean(),
});
export type ConnectConfig = z.output<typeof connectConfigSchema>;

export function hasNote(config: ConnectConfig): boolean {
  return config.noteVariants.some((variant) => variant.text.trim() !== "");
}

/** Every variant carries a note, so every lead on the path was sent some text. */
function everyInvitationHasNote(config: ConnectConfig): boolean {
  return (
    config.noteVariants.length > 0 &&
    config.noteVariants.every((variant) => variant.text.trim() !== "")
  );
}

export const connectNode = defineNode({
  kind: "connect",
  label: "Connect",
  description: "Sends an invitation to connect, with an optional note.",
  icon: {
    name: "user-plus",
    shapes: [
      { circle: { cx: 9, cy: 8, r: 4 } },
      { path: "M2 21c.8-3.7 3.6-6 7-6s6.2 2.3 7 6M19 8v6M16 11h6" },
    ],
  },
  colour: "#2563eb",
  group: "action",
  inPalette: true,
  exits: [{ handle: "next", label: "Next" }],
  configSchema: connectConfigSchema,
  fieldLabels: { noteVariants: "Note", skipIfConnected: "Skip if already connected" },
  defaults: (): ConnectConfig => ({ noteVariants: [], skipIfConnected: true }),
  summary: (config) => {
    if (!hasNote(config)) return "Connect · no note";
    const longest = Math.max(
      ...config.noteVariants.map((variant) => worstCaseLength(variant.text)),
    );
    const abTest = config.noteVariants.length > 1 ? ` · A/B ${config.noteVariants.length}` : "";
    return `Connect · note ${longest}/${TEXT_LIMITS.connectNote}${abTest}`;
  },
  validate: (config, context) =>
    config.noteVariants.flatMap((variant, index, variants) =>
      variant.text.trim() === ""
        ? []
        : checkTemplatedText(
            variant.text,
            {
              name: variantName("note", index, variants.length),
              limit: TEXT_LIMITS.connectNote,
            },
            context,
          ),
    ),
  pathEffects: (config) => ({
    next:
      config === null || everyInvitationHasNote(config) ? ["invited", "contacted"] : ["invited"],
  }),
  pathExpectations: [
    {
      fact: "connected",
      raisedWhen: "may_be_present",
      severity: "warning",
      code: "invitation_to_connection",
      message:
        "Leads on this path have already accepted an invitation, so there is nobody to invite here.",
    },
  ],
  engine: {
    isCondition: false,
    isWait: false,
    whenAlreadyConnected: (config: ConnectConfig): "continue" | "stop" =>
      config.skipIfConnected ? "continue" : "stop",
  },
  send: {
    action: "connect" as const,
    defaultDailyCap: 25,
    capLabel: "Invitations a day",
    plural: "Invitations",
    timeline: "Invitation",
    chartColour: "#2563eb",
    writesText: true,
    doneExit: "next",
    prepare: (
      config: ConnectConfig,
      input: SendInput,
    ): SendPlan<"connect", { note: string | null }> | SendRoute => {
      const variant = pickVariant(config.noteVariants, input.roll);
      let note: string | null = null;
      if (variant && variant.text.trim() !== "") {
        const rendered = renderForSend(variant.text, input.lead, TEXT_LIMITS.connectNote);
        if (!rendered.ok) return cannotRender("invitation note", rendered);
        note = rendered.text;
      }
      return {
        action: "connect",
        request: { note },
        variant: variant?.id ?? null,
        hasText: note !== null,
        credits: 0,
      };
    },
    notSent: (config: ConnectConfig, reason: string): SendRoute => {
      if (reason === "already_invited")
        return { type: "exit", exit: "next", note: "already invited" };
      if (reason === "already_connected") {
        return config.skipIfConnected
          ? { type: "exit", exit: "next", note: "already connected" }
          : { type: "end", outcome: "stopped", reason: "already connected" };
      }
      return stopped(reason);
    },
  },
});
