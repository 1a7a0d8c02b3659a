import "server-only";

import { z } from "zod";
import { WORKSPACE_ROLES } from "@/db/queries/workspaces";
import { diagnosticSchema as graphDiagnosticSchema } from "@/workflows/graph/diagnostics";
import { API_KEY_SCOPES } from "../api-keys/api-key-shared";

// What the API answers, as zod schemas: the OpenAPI document is generated from them and the
// contract test checks every answer against them. Dates travel as ISO 8601 strings.

const when = z.string().meta({ format: "date-time" });
const counts = z.record(z.string(), z.number()).meta({ description: "Leads per state." });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .meta({ id: "Problem", description: "An error, as RFC 9457 problem details." });

export const leadListItemSchema = z
  .looseObject({
    id: z.string(),
    publicIdentifier: z.string(),
    name: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    company: z.string(),
    title: z.string(),
    createdAt: when,
    campaigns: z.array(
      z.object({
        campaignId: z.string(),
        name: z.string(),
        state: z.string().meta({ description: "active (in progress), done, failed or removed." }),
        paused: z
          .boolean()
          .meta({ description: "The campaign is paused: a lead in progress there waits for it." }),
        waiting: z.string().nullable().meta({
          description:
            "In progress: why the lead waits there, in words (a timer, the seat's hours or cap, its queue, the credit pool, a paused campaign or seat).",
        }),
      }),
    ),
    lastActivityAt: when.nullable(),
    replied: z.boolean(),
    blocklisted: z.boolean(),
  })
  .meta({ id: "LeadListItem" });

export const leadPageSchema = z.object({
  leads: z.array(leadListItemSchema),
  total: z.number().int().meta({
    description:
      "How many leads match, counted up to 10,000: beyond, 10,000 with `totalCapped` true.",
  }),
  totalCapped: z
    .boolean()
    .meta({ description: "More than `total` leads match (shown as 10,000+)." }),
  waitingCapped: z.boolean().meta({
    description:
      "The `waiting` filter read only the campaign's first 10,000 leads in progress: there are more.",
  }),
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page." }),
});

export const upsertLeadsResultSchema = z.object({
  received: z.number().int(),
  leads: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  enrollment: z
    .object({
      campaignId: z.string(),
      campaignName: z.string(),
      enrolled: z.number().int(),
      skipped: z.record(z.string(), z.number().int()),
    })
    .nullable(),
});

export const leadDetailSchema = z
  .looseObject({
    lead: z.looseObject({ id: z.string(), publicIdentifier: z.string(), profileUrl: z.string() }),
    blocklisted: z.object({ reason: z.string().nullable(), since: when }).nullable(),
    enrollments: z.array(z.looseObject({ id: z.string(), state: z.string() })),
    timeline: z.array(z.looseObject({})).meta({ description: "Every action, event and branch." }),
  })
  .meta({ id: "LeadDetail" });

const campaignAccountSchema = z.object({ id: z.string(), name: z.string(), status: z.string() });

export const campaignListSchema = z.object({
  campaigns: z.array(
    z
      .looseObject({
        id: z.string(),
        name: z.string(),
        status: z.string(),
        createdAt: when,
        accounts: z.array(campaignAccountSchema),
        counts,
        lastActivityAt: when.nullable(),
        figures: z.object({
          invited: z.number(),
          accepted: z.number(),
          texted: z.number(),
          replied: z.number(),
          acceptanceRate: z.number().nullable(),
          replyRate: z.number().nullable(),
          creditsUsed: z.number(),
        }),
      })
      .meta({ id: "CampaignListItem" }),
  ),
});

const diagnosticSchema = graphDiagnosticSchema.meta({ id: "Diagnostic" });

export const createdCampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["draft", "running"]),
  liveVersionId: z.string().nullable(),
  warnings: z.array(diagnosticSchema),
});

export const graphValidationSchema = z.object({
  ok: z.boolean(),
  errors: z.array(diagnosticSchema),
  warnings: z.array(diagnosticSchema),
});

export const campaignDetailSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    status: z.string(),
    stopOnReply: z.boolean(),
    /** Share of a busy seat against other campaigns' sends of the same priority (1–10). */
    weight: z.number().int().min(1).max(10),
    createdAt: when,
    updatedAt: when,
    liveVersion: z
      .looseObject({ id: z.string(), version: z.number().int(), publishedAt: when })
      .nullable(),
    accounts: z.array(campaignAccountSchema),
    counts,
    nodes: z.array(z.looseObject({ nodeId: z.string(), summary: z.string() })),
  })
  .meta({ id: "Campaign" });

export const dashboardSchema = z
  .looseObject({})
  .meta({ id: "CampaignDashboard", description: "Funnel, per-step figures and daily activity." });

export const publishResultSchema = z.object({
  versionId: z.string(),
  version: z.number().int(),
  leads: z.object({ stayed: z.number(), moved: z.number(), ended: z.number() }),
});

export const campaignStatusSchema = z.object({
  id: z.string(),
  status: z.enum(["running", "paused"]),
});

export const addLeadsResultSchema = z.object({
  received: z.number().int(),
  enrolled: z.number().int(),
  skipped: z.object({
    alreadyInCampaign: z.number().int(),
    inOtherCampaign: z.number().int(),
    blocklisted: z.number().int(),
  }),
});

export const removedLeadSchema = z.object({
  campaignId: z.string(),
  leadId: z.string(),
  state: z.literal("removed"),
});

export const seatSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    provider: z.string(),
    status: z.string(),
    statusReason: z.string().nullable(),
    timeZone: z.string(),
    usage: z
      .looseObject({
        localDate: z.string(),
        used: z.record(z.string(), z.number()),
        caps: z.looseObject({}),
      })
      .nullable()
      .meta({ description: "Today's usage against the caps in force." }),
  })
  .meta({ id: "Seat" });

export const keySchema = z.object({
  name: z.string().meta({ description: "The name the key was given when it was created." }),
  scope: z.enum(API_KEY_SCOPES),
  role: z.enum(WORKSPACE_ROLES).meta({
    description:
      "What the key may do in the workspace: its creator's role for a read and write key, member for a read key.",
  }),
  workspace: z.object({ name: z.string(), slug: z.string() }),
});

export const seatListSchema = z.object({ seats: z.array(seatSchema) });

export const poolSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    plan: z.string(),
    allowance: z.number(),
    cap: z.number(),
    balance: z.number(),
    lowThreshold: z
      .number()
      .nullable()
      .meta({ description: "The pool's own low-credit threshold; null: 10 % of the allowance." }),
    lowMark: z.number().meta({ description: "Below this balance, credits.low is announced." }),
    refundsPending: z.number(),
    accounts: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .meta({ id: "CreditPool" });

export const poolListSchema = z.object({ pools: z.array(poolSchema) });

export const ledgerSchema = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      at: when,
      type: z.string(),
      amount: z.number(),
      campaignId: z.string().nullable(),
      nodeId: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
});

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    createdAt: when,
    disabledAt: when.nullable(),
    disabledReason: z.string().nullable(),
  })
  .meta({ id: "WebhookEndpoint" });

const replyCategory = z
  .enum(["interested", "not_interested", "out_of_office", "referral", "unsubscribe", "other"])
  .nullable();

export const conversationSummarySchema = z
  .object({
    id: z.string(),
    lead: z.object({ id: z.string(), name: z.string(), company: z.string() }),
    account: z.object({ id: z.string(), name: z.string() }),
    lastMessageAt: when,
    preview: z.string(),
    unread: z.boolean(),
    category: replyCategory,
    assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
    done: z.boolean(),
  })
  .meta({ id: "ConversationSummary" });

export const conversationPageSchema = z.object({
  items: z.array(conversationSummarySchema),
  nextCursor: z.string().nullable(),
});

export const conversationMessageSchema = z
  .object({
    id: z.string(),
    direction: z.enum(["in", "out"]),
    origin: z.enum(["lead", "automated", "person", "linkedin"]).meta({
      description:
        "Written by the lead, sent by a campaign step, answered by a person in Outflow, or written on LinkedIn itself (read back when the seat was connected).",
    }),
    kind: z.string(),
    subject: z.string().nullable(),
    text: z.string(),
    at: when,
    sender: z.string().nullable(),
    status: z.string().meta({ description: "received, or intent / sent / failed." }),
    error: z.string().nullable(),
    category: replyCategory,
    classifiedAs: replyCategory,
    corrected: z.boolean(),
    language: z.string().nullable(),
    returnDate: z.string().nullable(),
    referral: z.string().nullable(),
    campaign: z.string().nullable(),
  })
  .meta({ id: "ConversationMessage" });

export const conversationThreadSchema = z
  .object({
    conversation: conversationSummarySchema,
    messages: z.array(conversationMessageSchema),
    lead: z.looseObject({ id: z.string(), publicIdentifier: z.string(), profileUrl: z.string() }),
    blocklisted: z.object({ reason: z.string().nullable(), since: when }).nullable(),
    enrollments: z.array(z.looseObject({ id: z.string(), state: z.string() })),
  })
  .meta({ id: "ConversationThread" });

export const answerResultSchema = z
  .object({
    id: z.string(),
    status: z.enum(["intent", "sent", "failed"]),
    error: z.string().nullable(),
    at: when,
    created: z.boolean().meta({
      description: "False when the idempotency key had been used: nothing was sent again.",
    }),
  })
  .meta({ id: "AnswerResult" });
