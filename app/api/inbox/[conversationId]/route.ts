import { workspaceRoute } from "@/server/http/guard";
import {
  conversationIdInput,
  getConversation,
  updateConversation,
  updateConversationInput,
} from "@/server/inbox/conversations";

export const GET = workspaceRoute(conversationIdInput, getConversation);
/** `{read?, done?, assigneeId?}` */
export const PATCH = workspaceRoute(updateConversationInput, updateConversation);
