import "server-only";

import { type SQL, sql } from "drizzle-orm";
import { ADMIN_KINDS } from "@/workflows/notifications/kinds";
import { type Database, queryRows } from "../client";

// Notifications are written like webhook events: in the same statement (so the same
// transaction) as the change they tell of, with one pending delivery per email recipient who
// chose email for that kind and one for the workspace's Slack webhook when it wants that kind.
// The deliveries are rows, so a crash after the commit loses nothing and a rollback sends
// nothing; the engine's workers send them (server/notifications/deliver.ts).

/** Email goes out only when the server has an SMTP server and a sender address. */
export function emailConfigured(): boolean {
  return Boolean(process.env.SMTP_URL && process.env.MAIL_FROM);
}

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/**
 * Common table expressions that write the notifications `source` selects — columns
 * `workspace_id`, `kind`, `title`, `body`, `link`, `dedupe_key`, `created_at` — and their
 * deliveries. A notification whose dedupe key is already open is not written again.
 */
export function notificationCtes(source: SQL): SQL {
  return sql`nt_source as (${source}),
    nt_row as (
      insert into notification
        (id, workspace_id, audience, kind, title, body, link, dedupe_key, created_at)
      select gen_random_uuid()::text, s.workspace_id,
             case when s.kind in (${list(ADMIN_KINDS)}) then 'admins' else 'all' end,
             s.kind, s.title, s.body, s.link, s.dedupe_key, s.created_at
        from nt_source s
      on conflict do nothing
      returning id, workspace_id, audience, kind
    ),
    nt_email as (
      insert into notification_delivery
        (id, workspace_id, notification_id, channel, recipient, next_attempt_at, created_at)
      select gen_random_uuid()::text, n.workspace_id, n.id, 'email', p.user_id, now(), now()
        from nt_row n
        join notification_preference p on p.workspace_id = n.workspace_id and p.kind = n.kind
                                      and p.channel = 'email'
        join member m on m.organization_id = n.workspace_id and m.user_id = p.user_id
       where ${emailConfigured()}::boolean
         and (n.audience = 'all' or m.role in ('owner', 'admin'))
      on conflict do nothing
      returning id
    ),
    nt_slack as (
      insert into notification_delivery
        (id, workspace_id, notification_id, channel, recipient, next_attempt_at, created_at)
      select gen_random_uuid()::text, n.workspace_id, n.id, 'slack', 'workspace', now(), now()
        from nt_row n
        join notification_slack w on w.workspace_id = n.workspace_id
                                 and w.kinds @> jsonb_build_array(n.kind)
      on conflict do nothing
      returning id
    )`;
}

/**
 * The notification an outbox event makes, if any, selected from the CTE `ob_source` (columns
 * `workspace_id`, `type`, `payload`, `occurred_at`): replies by category, seats paused,
 * restricted or disconnected, safety pauses, credits, finished campaigns.
 */
export const EVENT_NOTIFICATIONS = sql`
  select s.workspace_id, k.kind, k.title, k.body, k.link, null::text as dedupe_key,
         s.occurred_at as created_at
    from ob_source s
    cross join lateral (
      select case s.type
               when 'lead.replied' then
                 'reply_' || case when s.payload->>'category' in ('interested', 'not_interested',
                   'out_of_office', 'referral', 'unsubscribe') then s.payload->>'category'
                   else 'other' end
               when 'campaign.finished' then 'campaign_finished'
               when 'account.needs_reconnect' then 'account_needs_reconnect'
               when 'account.paused' then
                 case when s.payload->>'status' = 'restricted' then 'account_restricted'
                      when s.payload->>'reason' like 'Paused by %' then 'account_paused'
                      else 'safety_pause' end
               when 'credits.low' then 'credits_low'
               when 'credits.forfeit_upcoming' then 'credits_forfeit_upcoming'
             end as kind,
             case s.type
               when 'lead.replied' then
                 trim(coalesce(s.payload->'lead'->>'firstName', '') || ' ' ||
                      coalesce(s.payload->'lead'->>'lastName', '')) || ' replied'
               when 'campaign.finished' then
                 'The campaign "' || coalesce(s.payload->>'name', '') || '" finished'
               when 'account.needs_reconnect' then
                 'The seat "' || coalesce(s.payload->>'accountName', '') || '" needs reconnecting'
               when 'account.paused' then
                 'The seat "' || coalesce(s.payload->>'accountName', '') || '" ' ||
                 case when s.payload->>'status' = 'restricted' then 'was restricted by LinkedIn'
                      else 'was paused' end
               when 'credits.low' then
                 'InMail credits are running low in "' || coalesce(s.payload->>'poolName', '') || '"'
               when 'credits.forfeit_upcoming' then
                 (s.payload->>'forfeit') || ' credits of "' || coalesce(s.payload->>'poolName', '') ||
                 '" will be lost at the next renewal'
             end as title,
             case s.type
               when 'lead.replied' then left(coalesce(s.payload->>'text', ''), 280)
               when 'account.needs_reconnect' then
                 'LinkedIn ended its session: its campaigns wait until it is reconnected.'
               when 'account.paused' then coalesce(s.payload->>'reason', '')
               when 'credits.low' then
                 (s.payload->>'balance') || ' left of a monthly allowance of ' ||
                 (s.payload->>'allowance') || '.'
               when 'credits.forfeit_upcoming' then
                 'The balance (' || (s.payload->>'balance') || ') plus the allowance exceeds the cap of ' ||
                 (s.payload->>'cap') || ': spend them before the renewal.'
             end as body,
             case s.type
               when 'lead.replied' then '/leads/' || (s.payload->'lead'->>'id')
               when 'campaign.finished' then '/campaigns/' || (s.payload->>'campaignId')
               when 'account.needs_reconnect' then '/accounts/' || (s.payload->>'accountId')
               when 'account.paused' then '/accounts/' || (s.payload->>'accountId')
               when 'credits.low' then '/credits'
               when 'credits.forfeit_upcoming' then '/credits'
             end as link
    ) k
   where k.kind is not null`;

export interface NewNotification {
  workspaceId: string;
  kind: string;
  title: string;
  body?: string | null;
  link?: string | null;
  dedupeKey?: string | null;
  at: Date;
}

/** Writes notifications from TypeScript, inside the caller's transaction. */
export async function recordNotifications(
  db: Pick<Database, "execute">,
  notes: NewNotification[],
): Promise<number> {
  if (notes.length === 0) return 0;
  const rows = notes.map((note) => ({
    workspace_id: note.workspaceId,
    kind: note.kind,
    title: note.title,
    body: note.body ?? null,
    link: note.link ?? null,
    dedupe_key: note.dedupeKey ?? null,
    created_at: note.at.toISOString(),
  }));
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with ${notificationCtes(
      sql`select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(workspace_id text,
            kind text, title text, body text, link text, dedupe_key text, created_at timestamptz)`,
    )}
    select (select count(*)::int from nt_row) as n`,
  );
  return row?.n ?? 0;
}
