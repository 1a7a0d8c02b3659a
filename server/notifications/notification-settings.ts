import "server-only";

import { z } from "zod";
import { emailConfigured } from "@/db/notifications/outbox";
import {
  findNotificationSlack,
  listNotifications,
  markNotificationsRead,
  notificationPreferences,
  saveNotificationPreferences,
  saveNotificationSlack,
} from "@/db/queries/notifications";
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from "@/workflows/notifications/kinds";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { assertSlackWebhookUrl } from "./slack";

// The notification centre for the signed-in person, their channels, and the workspace's Slack.

const viewerOf = (caller: Caller) => ({
  workspaceId: caller.workspace.workspaceId,
  userId: caller.user.id,
  role: caller.workspace.role,
});

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

export const markReadInput = z.union([
  z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(100) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

/** Marks the caller's notifications read; one that is not theirs to see is a 404. */
export async function markMyNotificationsRead(
  caller: Caller,
  input: z.infer<typeof markReadInput>,
  now: Date = new Date(),
) {
  const ids = "ids" in input ? input.ids : ("all" as const);
  const { matched } = await markNotificationsRead(caller.db, viewerOf(caller), ids, now);
  if (ids !== "all" && matched !== new Set(ids).size) throw notFound("Notification");
  return { read: matched };
}

const kindSchema = z.enum(NOTIFICATION_KINDS);
const channelSchema = z.enum(NOTIFICATION_CHANNELS);

export async function myNotificationPreferences(caller: Caller) {
  return {
    preferences: await notificationPreferences(
      caller.db,
      caller.workspace.workspaceId,
      caller.user.id,
    ),
    emailEnabled: emailConfigured(),
  };
}

export const savePreferencesInput = z.object({
  preferences: z.partialRecord(kindSchema, channelSchema),
});

export async function saveMyNotificationPreferences(
  caller: Caller,
  input: z.infer<typeof savePreferencesInput>,
) {
  await saveNotificationPreferences(
    caller.db,
    caller.workspace.workspaceId,
    caller.user.id,
    input.preferences as Partial<Record<NotificationKind, z.infer<typeof channelSchema>>>,
  );
  return myNotificationPreferences(caller);
}

export async function workspaceSlack(caller: Caller) {
  const slack = await findNotificationSlack(caller.db, caller.workspace.workspaceId);
  return { url: slack?.url ?? null, kinds: slack?.kinds ?? [] };
}

export const saveSlackInput = z.union([
  z
    .object({
      url: z.string().trim().min(1).max(500),
      kinds: z.array(kindSchema).max(NOTIFICATION_KINDS.length),
    })
    .strict(),
  z.object({ url: z.null() }).strict(),
]);

/** Sets (owners and admins) the workspace's Slack incoming webhook and its kinds, or removes it. */
export async function saveWorkspaceSlack(caller: Caller, input: z.infer<typeof saveSlackInput>) {
  if (input.url === null) {
    await saveNotificationSlack(caller.db, caller.workspace.workspaceId, null, new Date());
    return { url: null, kinds: [] };
  }
  const url = (await assertSlackWebhookUrl(input.url)).toString();
  const kinds = [...new Set(input.kinds)];
  await saveNotificationSlack(caller.db, caller.workspace.workspaceId, { url, kinds }, new Date());
  return { url, kinds };
}
