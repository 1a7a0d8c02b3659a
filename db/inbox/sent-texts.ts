import type { Provider, ProviderOutcome } from "@/workflows/providers/types";
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
  return {
    name: provider.name,
    visit: (account, lead, ctx) => provider.visit(account, lead, ctx),
    follow: (account, lead, ctx) => provider.follow(account, lead, ctx),
    async invite(account, lead, input, ctx) {
      const outcome = await provider.invite(account, lead, input, ctx);
      if (!input.note) return outcome;
      return record(outcome, {
        accountId: account.accountId,
        leadId: lead.leadId,
        idempotencyKey: ctx.idempotencyKey,
        kind: "connect",
        subject: null,
        text: input.note,
        at: ctx.at,
      });
    },
    async message(account, lead, input, ctx) {
      const outcome = await provider.message(account, lead, input, ctx);
      return record(outcome, {
        accountId: account.accountId,
        leadId: lead.leadId,
        idempotencyKey: ctx.idempotencyKey,
        kind: "message",
        subject: null,
        text: input.text,
        at: ctx.at,
      });
    },
    async inmail(account, lead, input, ctx) {
      const outcome = await provider.inmail(account, lead, input, ctx);
      return record(outcome, {
        accountId: account.accountId,
        leadId: lead.leadId,
        idempotencyKey: ctx.idempotencyKey,
        kind: "inmail",
        subject: input.subject,
        text: input.body,
        at: ctx.at,
      });
    },
    reconcile: (account, lead, input) => provider.reconcile(account, lead, input),
    inmailBalance: (account) => provider.inmailBalance(account),
  };
}
