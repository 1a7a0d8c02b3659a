import "server-only";

/** The events an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "lead.replied",
  "lead.accepted",
  "action.sent",
  "action.failed",
  "lead.finished",
  "campaign.finished",
  "account.paused",
  "account.needs_reconnect",
  "credits.low",
  "credits.forfeit_upcoming",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  "lead.replied": "A lead replied (with the reply's category)",
  "lead.accepted": "A lead accepted an invitation",
  "action.sent": "A visit, follow, invitation, message or InMail was sent",
  "action.failed": "A send failed",
  "lead.finished": "A lead left its campaign (with the outcome)",
  "campaign.finished": "Every lead of a campaign is done",
  "account.paused": "A sender account was paused",
  "account.needs_reconnect": "A sender account lost its LinkedIn session",
  "credits.low": "A credit pool ran low",
  "credits.forfeit_upcoming": "Credits will be forfeited at the next renewal",
};
