import "server-only";

import { z } from "zod";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { answerConversation, MAX_ANSWER_CHARS } from "./answer";
import { conversationIdInput } from "./conversation-shared";
import { answerProvider } from "./provider";

export const answerInput = conversationIdInput.extend({
  text: z.string().trim().min(1, "Write the answer first.").max(MAX_ANSWER_CHARS),
  /** Chosen by the client once per typed answer: a retry with the same key never sends twice. */
  idempotencyKey: z
    .string()
    .min(8)
    .max(100)
    .regex(/^[A-Za-z0-9_.:-]+$/, "Letters, digits and - _ . : only."),
});

/** A person's answer, sent at once through the seat (see answerConversation). */
export async function answer(caller: Caller, input: z.infer<typeof answerInput>) {
  const { db, workspace } = caller;
  return answerConversation(db, answerProvider(db), {
    workspaceId: workspace.workspaceId,
    conversationId: input.conversationId,
    user: { id: caller.user.id, name: caller.user.name },
    text: input.text,
    key: input.idempotencyKey,
    now: engineNow(),
  });
}
