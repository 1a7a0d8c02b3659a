import "server-only";

import { z } from "zod";
import { listNotifications } from "@/db/queries/notifications";
import type { Caller } from "../http/guard";
import { viewerOf } from "./notification-shared";

export const listNotificationsInput = z.object({
  unread: z.boolean().default(false),
  limit: z.number().int().min(1).max(100).default(30),
});

export async function listMyNotifications(
  caller: Caller,
  input: z.infer<typeof listNotificationsInput>,
) {
  const { notifications, unread } = await listNotifications(caller.db, viewerOf(caller), {
    limit: input.limit,
    unreadOnly: input.unread,
  });
  return {
    unread,
    notifications: notifications.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      link: n.link,
      createdAt: n.created_at.toISOString(),
      read: n.read,
    })),
  };
}
