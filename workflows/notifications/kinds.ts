// What people are told about, and through which channels. The same list drives the
// notification centre, the per-person preferences and the workspace's Slack choice.

export const NOTIFICATION_KINDS = [
  "reply_interested",
  "reply_not_interested",
  "reply_out_of_office",
  "reply_referral",
  "reply_unsubscribe",
  "reply_other",
  "account_paused",
  "account_restricted",
  "account_needs_reconnect",
  "safety_pause",
  "credits_low",
  "credits_forfeit_upcoming",
  "campaign_finished",
  "import_finished",
  "webhook_endpoint_disabled",
  "unipile_credentials",
  "step_held",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** `email` also shows the notification in the app; `none` hides it. */
export const NOTIFICATION_CHANNELS = ["in_app", "email", "none"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export const DEFAULT_CHANNEL: NotificationChannel = "in_app";

/** Who a kind is for: owners and admins only, or every member. */
export const ADMIN_KINDS: readonly NotificationKind[] = [
  "credits_low",
  "credits_forfeit_upcoming",
  "webhook_endpoint_disabled",
  "unipile_credentials",
  "step_held",
];

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  reply_interested: "A lead replied: interested",
  reply_not_interested: "A lead replied: not interested",
  reply_out_of_office: "A lead replied: out of office",
  reply_referral: "A lead replied: referred you to someone",
  reply_unsubscribe: "A lead replied: asked to stop",
  reply_other: "A lead replied: anything else",
  account_paused: "A person paused a seat",
  account_restricted: "LinkedIn restricted a seat",
  account_needs_reconnect: "A seat needs reconnecting",
  safety_pause: "A seat was paused for its safety",
  credits_low: "InMail credits running low",
  credits_forfeit_upcoming: "Credits will be lost at the next renewal",
  campaign_finished: "A campaign finished",
  import_finished: "A lead import finished",
  webhook_endpoint_disabled: "A webhook endpoint was turned off",
  unipile_credentials: "Unipile refused the API key",
  step_held: "A campaign step is on hold",
};

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

export function audienceOf(kind: NotificationKind): "admins" | "all" {
  return ADMIN_KINDS.includes(kind) ? "admins" : "all";
}
