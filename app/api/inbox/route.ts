import { parseInput, withWorkspace } from "@/server/http/guard";
import {
  listConversations,
  listConversationsInput,
  listQuery,
} from "@/server/inbox/list-conversations";

/** Conversations with replies: `?accountId=`, `?campaignId=`, `?category=`, `?unread=`, `?assignedToMe=`, `?cursor=`. */
export const GET = withWorkspace(async (request, caller) =>
  Response.json(
    await listConversations(
      caller,
      parseInput(listConversationsInput, listQuery(new URL(request.url).searchParams)),
    ),
  ),
);
