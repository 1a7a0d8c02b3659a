import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Database, Transaction } from "../client";
import { notification } from "../schema";

// Notifications: short messages to a workspace's people, shown until read. One unread message
// per dedupe key, so a problem that repeats (a refused key on every send) is told once.

export type NotificationAudience = "admins" | "all";

export interface NewNotification {
  workspaceId: string;
  audience: NotificationAudience;
  kind: string;
  title: string;
  body?: string | null;
  dedupeKey?: string | null;
  at: Date;
}

export async function notifyWorkspace(db: Database | Transaction, input: NewNotification) {
  await db
    .insert(notification)
    .values({
      id: randomUUID(),
      workspaceId: input.workspaceId,
      audience: input.audience,
      kind: input.kind,
      title: input.title,
      body: input.body ?? null,
      dedupeKey: input.dedupeKey ?? null,
      createdAt: input.at,
    })
    .onConflictDoNothing();
}

/** Unread notifications a member of the workspace with `role` may see, newest first. */
export async function listUnreadNotifications(
  db: Database,
  workspaceId: string,
  role: string,
  limit = 20,
) {
  const audiences: NotificationAudience[] =
    role === "owner" || role === "admin" ? ["admins", "all"] : ["all"];
  return db
    .select({
      id: notification.id,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      createdAt: notification.createdAt,
    })
    .from(notification)
    .where(
      and(
        eq(notification.workspaceId, workspaceId),
        inArray(notification.audience, audiences),
        isNull(notification.readAt),
      ),
    )
    .orderBy(desc(notification.createdAt))
    .limit(limit);
}

/** Marks the workspace's unread notifications of one dedupe key read (the problem is over). */
export async function closeNotifications(
  db: Database,
  workspaceId: string,
  dedupeKey: string,
  at: Date,
) {
  await db
    .update(notification)
    .set({ readAt: at })
    .where(
      and(
        eq(notification.workspaceId, workspaceId),
        eq(notification.dedupeKey, dedupeKey),
        isNull(notification.readAt),
      ),
    );
}
