import { parseInput, withWorkspace } from "@/server/http/guard";
import {
  listMyNotifications,
  listNotificationsInput,
} from "@/server/notifications/list-my-notifications";

export const GET = withWorkspace(async (request, caller) => {
  const params = new URL(request.url).searchParams;
  const input = parseInput(listNotificationsInput, {
    unread: params.get("unread") === "1",
    limit: params.has("limit") ? Number(params.get("limit")) : undefined,
  });
  return Response.json(await listMyNotifications(caller, input));
});
