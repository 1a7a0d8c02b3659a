import { workspaceRoute } from "@/server/http/guard";
import { conversationIdInput } from "@/server/inbox/conversation-shared";
import { getConversation } from "@/server/inbox/get-conversation";
import { updateConversation, updateConversationInput } from "@/server/inbox/update-conversation";

export const GET = workspaceRoute(conversationIdInput, getConversation);
/** `{read?, done?, assigneeId?}` */
export const PATCH = workspaceRoute(updateConversationInput, updateConversation);
