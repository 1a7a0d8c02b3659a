import "server-only";

import type {
  ActionKind,
  ActionRequest,
  Provider,
  ProviderOutcome,
} from "@/workflows/providers/types";
import type { Database } from "../client";
import { recordSentText, type SentTextInput } from "./messages";

/**
 * The engine's provider, with the text of every note, message and InMail LinkedIn accepted
 * written to the lead's conversation: exactly what was sent, after templates and the A/B draw.
 * A failure to record is logged and never fails the send (it already happened).
 */
export function recordingSentTexts(
  provider: Provider,
  db: Database,
  log: (message: string) => void = () => {},
): Provider {
  const record = async (
    outcome: ProviderOutcome,
    input: Omit<SentTextInput, "chatId" | "reference">,
  ) => {
    if (outcome.status !== "sent") return outcome;
    try {
      await recordSentText(db, {
        ...input,
        chatId: outcome.chatId ?? null,
        reference: outcome.reference ?? null,
      });
    } catch (error) {
      log(`recording a sent text failed: ${error instanceof Error ? error.message : error}`);
    }
    return outcome;
  };
  /** What LinkedIn was given as text for an action of this kind, if it carries any. */
  const textOf = (
    kind: ActionKind,
    request: unknown,
  ): { kind: "connect" | "message" | "inmail"; subject: string | null; text: string } | null => {
    if (kind === "connect") {
      const note = (request as ActionRequest<"connect">).note;
      return note ? { kind, subject: null, text: note } : null;
    }
    if (kind === "message")
      return { kind, subject: null, text: (request as ActionRequest<"message">).text };
    if (kind === "inmail") {
      const { subject, body } = request as ActionRequest<"inmail">;
      return { kind, subject, text: body };
    }
    return null;
  };
  return {
    name: provider.name,
    async perform(kind, account, lead, request, ctx) {
      const outcome = await provider.perform(kind, account, lead, request, ctx);
      const sent = textOf(kind, request);
      if (!sent) return outcome;
      return record(outcome, {
        accountId: account.accountId,
        leadId: lead.leadId,
        idempotencyKey: ctx.idempotencyKey,
        ...sent,
        at: ctx.at,
      });
    },
    reconcile: (account, lead, input) => provider.reconcile(account, lead, input),
    inmailBalance: (account) => provider.inmailBalance(account),
  };
}
