import { withWorkspace } from "@/server/http/guard";
import { unreadConversations } from "@/server/inbox/count-unread-conversations";

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await unreadConversations(caller)),
);
