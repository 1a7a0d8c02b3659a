import "server-only";

import { z } from "zod";
import { ACTION_KINDS } from "@/workflows/nodes/catalog";
import { REPLY_CATEGORIES } from "@/workflows/replies/index";

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

// What each event's `data` holds, as zod schemas: the OpenAPI document's `webhooks` section is
// generated from them, and the webhook tests check every event the outbox holds against them.

const id = z.string().meta({ description: "Outflow's id." });
const leadRef = z.object({
  id,
  publicIdentifier: z.string().meta({ description: "The lead's LinkedIn public identifier." }),
  firstName: z.string(),
  lastName: z.string(),
});
const seatStatus = z.object({
  accountId: id,
  accountName: z.string(),
  status: z.enum(["paused", "restricted", "needs_reconnect"]),
  reason: z.string().nullable(),
  linkedinStatus: z
    .string()
    .optional()
    .meta({ description: "The provider's account status, when it told of the change." }),
});
const action = z.object({
  actionId: id,
  kind: z.enum(ACTION_KINDS),
  campaignId: id,
  leadId: id,
  publicIdentifier: z.string(),
  accountId: id,
  stepId: z.string().meta({ description: "The step of the campaign's workflow that sent it." }),
  branch: z.string().meta({ description: "The condition exits taken to reach it." }),
  variant: z.string().nullable().meta({ description: "The A/B variant of its text, if any." }),
  credits: z.number().int().meta({ description: "InMail credits it used." }),
});

export const WEBHOOK_PAYLOADS = {
  "lead.replied": z.object({
    lead: leadRef,
    accountId: id,
    chatId: z.string().nullable(),
    text: z.string().nullable(),
    category: z.enum(REPLY_CATEGORIES).nullable(),
    language: z.string().nullable(),
    returnDate: z
      .string()
      .nullable()
      .meta({ description: "An out-of-office reply's return date (YYYY-MM-DD)." }),
    referral: z.string().nullable().meta({ description: "The person a referral points to." }),
  }),
  "lead.accepted": z.object({ lead: leadRef, accountId: id }),
  "action.sent": action,
  "action.failed": action,
  "lead.finished": z.object({
    campaignId: id,
    leadId: id,
    publicIdentifier: z.string(),
    state: z.enum(["done", "failed"]),
    outcome: z.string().nullable(),
    reason: z.string().nullable(),
  }),
  "campaign.finished": z.object({ campaignId: id, name: z.string() }),
  "account.paused": seatStatus,
  "account.needs_reconnect": seatStatus,
  "credits.low": z.object({
    poolId: id,
    poolName: z.string(),
    balance: z.number().int(),
    allowance: z.number().int(),
    threshold: z.number().meta({ description: "The pool's low-credit threshold." }),
  }),
  "credits.forfeit_upcoming": z.object({
    poolId: id,
    poolName: z.string(),
    balance: z.number().int(),
    allowance: z.number().int(),
    cap: z.number().int(),
    forfeit: z.number().int().meta({ description: "Credits the renewal would lose." }),
    renewalAt: z.string().meta({ format: "date-time" }),
  }),
} satisfies Record<WebhookEventType, z.ZodObject>;
