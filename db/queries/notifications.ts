import "server-only";

import { and, eq, sql } from "drizzle-orm";
import {
  DEFAULT_CHANNEL,
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from "@/workflows/notifications/kinds";
import { type Database, queryRows, type Transaction } from "../client";
import { type NewNotification, recordNotifications } from "../notifications/outbox";
import { notification, notificationPreference, notificationSlack } from "../schema/index";

// The notification centre: one row per notification, read marks per person, each person's
// channel per kind. A notification with a dedupe key is written once while it is open, so a
// problem that repeats (a refused key on every send) is told once.

export type { NewNotification };

/** Writes one notification, and its email and Slack deliveries, in the caller's transaction. */
export async function notifyWorkspace(db: Database | Transaction, input: NewNotification) {
  await recordNotifications(db, [input]);
}

/**
 * The notifications (`n`) a person sees in a workspace: their audience includes the person's
 * role, and the person has not set that kind to `none`.
 */
const visibleTo = (workspaceId: string, userId: string, role: string) => sql`
  n.workspace_id = ${workspaceId}
  and (n.audience = 'all' or ${role === "owner" || role === "admin"}::boolean)
  and not exists (select 1 from notification_preference p
                   where p.workspace_id = n.workspace_id and p.user_id = ${userId}
                     and p.kind = n.kind and p.channel = 'none')`;

export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  created_at: string;
  read: boolean;
}

/**
 * The notifications a member sees, newest first, with their own read mark. A notification
 * closed for everyone (its problem is over) counts as read.
 */
export async function listNotifications(
  db: Database,
  viewer: { workspaceId: string; userId: string; role: string },
  options: { limit: number; unreadOnly?: boolean },
) {
  const rows = await queryRows<NotificationRow>(
    db,
    sql`select n.id, n.kind, n.title, n.body, n.link, n.created_at,
               (n.read_at is not null or r.user_id is not null) as read
          from notification n
          left join notification_read r on r.notification_id = n.id and r.user_id = ${viewer.userId}
         where ${visibleTo(viewer.workspaceId, viewer.userId, viewer.role)}
           and (not ${options.unreadOnly ?? false}::boolean
                or (n.read_at is null and r.user_id is null))
         order by n.created_at desc, n.id
         limit ${options.limit}`,
  );
  const [count] = await queryRows<{ unread: number }>(
    db,
    sql`select count(*)::int as unread from notification n
         where ${visibleTo(viewer.workspaceId, viewer.userId, viewer.role)}
           and n.read_at is null
           and not exists (select 1 from notification_read r
                            where r.notification_id = n.id and r.user_id = ${viewer.userId})`,
  );
  return {
    notifications: rows.map((row) => ({ ...row, created_at: new Date(row.created_at) })),
    unread: count?.unread ?? 0,
  };
}

/**
 * Marks notifications read for one person: the ones named, or every one they see. When one of
 * the named ones is not theirs to see (another workspace's, another audience's), nothing is
 * marked and `matched` says how many were.
 */
export async function markNotificationsRead(
  db: Database,
  viewer: { workspaceId: string; userId: string; role: string },
  ids: string[] | "all",
  at: Date,
): Promise<{ matched: number }> {
  const named = ids === "all" ? [] : [...new Set(ids)];
  const which =
    ids === "all"
      ? sql`true`
      : sql`n.id in (${sql.join(
          named.map((id) => sql`${id}`),
          sql`, `,
        )})`;
  const expected = ids === "all" ? null : named.length;
  const [row] = await queryRows<{ matched: number }>(
    db,
    sql`with seen as (
          select n.id from notification n
           where ${visibleTo(viewer.workspaceId, viewer.userId, viewer.role)} and ${which}
        ), marked as (
          insert into notification_read (notification_id, user_id, read_at)
          select id, ${viewer.userId}, ${at.toISOString()}::timestamptz from seen
           where ${expected}::int is null or (select count(*) from seen) = ${expected}::int
          on conflict do nothing
        )
        select count(*)::int as matched from seen`,
  );
  return { matched: row?.matched ?? 0 };
}

/** Closes the workspace's open notifications of one dedupe key (the problem is over). */
export async function closeNotifications(
  db: Database,
  workspaceId: string,
  dedupeKey: string,
  at: Date,
) {
  await db
    .update(notification)
    .set({ closedAt: at })
    .where(
      and(
        eq(notification.workspaceId, workspaceId),
        eq(notification.dedupeKey, dedupeKey),
        sql`${notification.closedAt} is null`,
      ),
    );
}

/** A person's channel for every kind (the default where they chose nothing). */
export async function notificationPreferences(
  db: Database,
  workspaceId: string,
  userId: string,
): Promise<Record<NotificationKind, NotificationChannel>> {
  const rows = await db
    .select({ kind: notificationPreference.kind, channel: notificationPreference.channel })
    .from(notificationPreference)
    .where(
      and(
        eq(notificationPreference.workspaceId, workspaceId),
        eq(notificationPreference.userId, userId),
      ),
    );
  const chosen = new Map(rows.map((row) => [row.kind, row.channel as NotificationChannel]));
  return Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [kind, chosen.get(kind) ?? DEFAULT_CHANNEL]),
  ) as Record<NotificationKind, NotificationChannel>;
}

export async function saveNotificationPreferences(
  db: Database,
  workspaceId: string,
  userId: string,
  choices: Partial<Record<NotificationKind, NotificationChannel>>,
) {
  const rows = Object.entries(choices).map(([kind, channel]) => ({
    workspaceId,
    userId,
    kind,
    channel: channel as string,
  }));
  if (rows.length === 0) return;
  await db
    .insert(notificationPreference)
    .values(rows)
    .onConflictDoUpdate({
      target: [
        notificationPreference.workspaceId,
        notificationPreference.userId,
        notificationPreference.kind,
      ],
      set: { channel: sql`excluded.channel` },
    });
}

export async function findNotificationSlack(db: Database, workspaceId: string) {
  const [row] = await db
    .select({ url: notificationSlack.url, kinds: notificationSlack.kinds })
    .from(notificationSlack)
    .where(eq(notificationSlack.workspaceId, workspaceId))
    .limit(1);
  return row ?? null;
}

/** Sets the workspace's Slack webhook and its kinds, or removes it (`null`). */
export async function saveNotificationSlack(
  db: Database,
  workspaceId: string,
  slack: { url: string; kinds: string[] } | null,
  at: Date,
) {
  if (!slack) {
    await db.delete(notificationSlack).where(eq(notificationSlack.workspaceId, workspaceId));
    return;
  }
  await db
    .insert(notificationSlack)
    .values({ workspaceId, url: slack.url, kinds: slack.kinds, updatedAt: at })
    .onConflictDoUpdate({
      target: notificationSlack.workspaceId,
      set: { url: slack.url, kinds: slack.kinds, updatedAt: at },
    });
}
