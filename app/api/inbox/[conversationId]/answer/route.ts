import { workspaceRoute } from "@/server/http/guard";
import { answer, answerInput } from "@/server/inbox/send-answer";

/** `{text, idempotencyKey}`: the same key never sends twice. */
export const POST = workspaceRoute(answerInput, answer);
